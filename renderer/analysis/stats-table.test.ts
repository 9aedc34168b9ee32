import { describe, expect, it } from 'vitest';
import type { TrafficStats } from '../../shared/api';
import { sortRows, statsColumns, statsRows } from './stats-table';

const stats: TrafficStats = {
  firstNs: 1e9,
  frames: 12,
  conversations: {
    eth: [],
    ip: [{ a: '10.0.0.11', b: '10.0.0.10', framesAtoB: 6, bytesAtoB: 600, framesBtoA: 4, bytesBtoA: 900, startNs: 1.5e9, endNs: 3e9 }],
    tcp: [
      { a: '10.0.0.11', portA: 40000, b: '10.0.0.10', portB: 21, stream: 0, framesAtoB: 5, bytesAtoB: 400, framesBtoA: 4, bytesBtoA: 900, startNs: 1.5e9, endNs: 3e9 },
      { a: '10.0.0.10', portA: 20, b: '10.0.0.11', portB: 40001, stream: 1, framesAtoB: 1, bytesAtoB: 200, framesBtoA: 0, bytesBtoA: 0, startNs: 2e9, endNs: 2e9 },
    ],
    udp: [{ a: '10.0.0.11', portA: 5353, b: '10.0.0.10', portB: 53, framesAtoB: 1, bytesAtoB: 70, framesBtoA: 1, bytesBtoA: 86, startNs: 1e9, endNs: 1.0004e9 }],
  },
  endpoints: { eth: [], ip: [{ address: '10.0.0.10', txFrames: 4, txBytes: 900, rxFrames: 6, rxBytes: 600 }], tcp: [], udp: [] },
};

describe('Conversations and Endpoints tables', () => {
  it('have Wireshark`s columns, ports only for TCP and UDP', () => {
    expect(statsColumns('conversations', 'tcp').map((c) => c.title)).toEqual(['Address A', 'Port A', 'Address B', 'Port B', 'Packets', 'Bytes', 'Packets A → B', 'Bytes A → B', 'Packets B → A', 'Bytes B → A', 'Rel Start', 'Duration']);
    expect(statsColumns('endpoints', 'ip').map((c) => c.title)).toEqual(['Address', 'Packets', 'Bytes', 'Tx Packets', 'Tx Bytes', 'Rx Packets', 'Rx Bytes']);
  });

  it('fill the cells with totals, start relative to the first frame, and a filter for each row', () => {
    const tcp = statsRows(stats, 'conversations', 'tcp');
    expect(tcp[0]!.cells).toEqual(['10.0.0.11', 40000, '10.0.0.10', 21, 9, 1300, 5, 400, 4, 900, '0.500000', '1.500000']);
    expect(tcp.map((r) => [r.filter, r.stream])).toEqual([['tcp.stream == 0', 0], ['tcp.stream == 1', 1]]);
    expect(statsRows(stats, 'conversations', 'udp')[0]!.filter).toBe('ip.addr == 10.0.0.11 && udp.port == 5353 && ip.addr == 10.0.0.10 && udp.port == 53');
    expect(statsRows(stats, 'conversations', 'ip')[0]!.filter).toBe('ip.addr == 10.0.0.11 && ip.addr == 10.0.0.10');
    expect(statsRows(stats, 'endpoints', 'ip')[0]!).toMatchObject({ cells: ['10.0.0.10', 10, 1500, 4, 900, 6, 600], filter: 'ip.addr == 10.0.0.10' });
  });

  it('sort by a column, numbers as numbers, both ways', () => {
    const tcp = statsRows(stats, 'conversations', 'tcp');
    expect(sortRows(tcp, 4, true).map((r) => r.stream)).toEqual([0, 1]);
    expect(sortRows(tcp, 4, false).map((r) => r.stream)).toEqual([1, 0]);
    expect(sortRows(tcp, 0, false).map((r) => r.cells[0])).toEqual(['10.0.0.10', '10.0.0.11']);
  });
});
