// The columnar filters (column-filter.ts through FilterView) select exactly what the evaluator
// selects on each frame's bytes (FilterView's byte scan, itself held to tshark -Y by
// filter-tshark.test.ts), in the default view and in a capture point's view, on the services lab
// captured at every NIC and on each real-kernel capture of ../shared/linux-truth.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesLabCaptures, truthCaptures } from '../test/captures';
import { FilterView } from './filter-view';
import { readForImport } from './import';
import { TraceStore, type CapturePointQuery } from './store';
import { tempDir } from '../test/tools';

const FILTERS = [
  '', 'eth', 'arp', 'ip', 'icmp', 'tcp', 'udp', 'dns', 'ftp', 'ftp-data', 'telnet', 'smtp', 'http', 'ssh',
  'frame.len > 100', 'frame.len <= 60', 'eth.addr == ff:ff:ff:ff:ff:ff', 'eth.src == 02:00:00:00:01:01', 'eth.type == 0x0806', 'eth.addr',
  'arp.opcode == 2', 'ip.addr == 10.0.0.10', 'ip.src == 10.0.0.0/24', 'ip.dst != 10.0.0.10', 'ip.proto == 17', 'ip.ttl == 64',
  'icmp.type == 3', 'icmp.code == 3', 'tcp.port == 21', 'tcp.port != 21', 'tcp.srcport == 25', 'tcp.dstport >= 1024', 'tcp.stream == 3', 'tcp.stream > 5',
  'tcp.seq == 1', 'tcp.ack == 1', 'tcp.seq > 100', 'tcp.seq_raw > 2000000000', 'tcp.ack_raw == 0', 'tcp.len > 0', 'tcp.window_size_value < 600',
  'tcp.flags.syn == 1', 'tcp.flags.ack == 0', 'tcp.flags.reset == 1', 'tcp.flags.fin == 1', 'tcp.flags.push == 1',
  'udp.port == 53', 'udp.srcport == 53', 'udp.length > 30', 'udp.port != 53', 'udp.port >= 1024',
  'ip.addr != 10.0.0.10/31', 'tcp.port < 1024', 'eth.addr != ff:ff:ff:ff:ff:ff',
  'lab.machine == "server"', 'lab.nic contains "eth"', 'lab.dir == "rx"', 'lab.drop_reason',
  'tcp.flags.syn == 1 and not tcp.flags.ack == 1', '(udp or arp) && !dns', 'tcp.port == 21 || tcp.port == 20', 'not (ip.addr != 10.0.0.12 and tcp)',
  // Every operator on one field and on a pair, subnets both ways, and nesting (each node fills its rows in turn).
  'frame.len < 66', 'frame.len > 66', 'frame.len <= 66', 'frame.len >= 74', 'tcp.port < 21', 'tcp.port > 21', 'ip.ttl < 64', 'ip.ttl >= 64', 'frame.len >= 1514', 'tcp.window_size_value > 500', 'tcp.len <= 0', 'tcp.port > 1023', 'tcp.port <= 25', 'tcp.port >= 1024 and tcp.port < 1024',
  'ip.dst == 10.0.0.0/24', 'ip.src != 10.0.0.0/29', 'ip.addr == 10.0.0.8/29', 'ip.addr != 10.0.0.8/29', 'tcp.flags.fin == 0', 'tcp.flags.push != 1',
  '(tcp.flags.syn == 1 || tcp.flags.fin == 1) && !(tcp.port == 21 or udp) && ip', 'not not arp', 'lab.machine != "server" and tcp.len > 0',
];

function matches(store: TraceStore, filter: string, point: CapturePointQuery | null, scanBytes: boolean): number[] {
  const v = FilterView.create(filter, point, { scanBytes });
  if (!(v instanceof FilterView)) throw new Error(`${filter}: ${v.message}`);
  return v.advanceTo(store).matches;
}

function imported(file: string, batchSize: number): TraceStore {
  const r = readForImport(readFileSync(file));
  if (!r.ok) throw new Error(r.error);
  const store = TraceStore.open(':memory:', { batchSize });
  r.feed(store);
  return store;
}

const dir = tempDir('column-filter-');

describe('columnar display filters select what the byte evaluator selects', () => {
  let lab: TraceStore;
  beforeAll(() => {
    const all = join(dir, 'services.pcapng');
    servicesLabCaptures(all, join(dir, 'server.pcapng'));
    lab = imported(all, 97); // small chunks: filters resume across many of them
  });
  afterAll(() => lab.close());

  it.each(FILTERS)('services lab, default view and server:eth0: %s', (filter) => {
    for (const point of [null, { machine: 'server', nic: 'eth0' }, { machine: 'server' }]) {
      expect(matches(lab, filter, point, false), JSON.stringify(point)).toEqual(matches(lab, filter, point, true));
    }
  });

  it('lab.drop_reason: the drops of each frame (one or two reasons, an ICMP error among them) as the byte scan sees them', () => {
    const store = imported(join(dir, 'services.pcapng'), 97);
    const rows = store.listFrames({ offset: 0, limit: 100_000 });
    const icmpError = store.rowsByNo(matches(store, 'icmp.type == 3', null, false).slice(0, 1))[0]!;
    const dropped: [number, string][] = [[rows[0]!.frameId, 'NO_SOCKET'], [icmpError.frameId, 'IP_CSUM'], [rows[150]!.frameId, 'IP_CSUM'], [rows[150]!.frameId, 'TCP_OLD_DATA'], [rows.at(-1)!.frameId, 'NETFILTER_DROP']];
    for (const [frameId, reason] of dropped) store.kernel({ at: 0, machine: 'server', type: 'drop', reason: reason as 'IP_CSUM', frameId, text: 'dropped' });
    for (const filter of ['lab.drop_reason', 'not lab.drop_reason', 'lab.drop_reason == "IP_CSUM"', 'lab.drop_reason != "IP_CSUM"', 'lab.drop_reason contains "SOCK"', 'icmp and lab.drop_reason', 'lab.drop_reason == "TCP_OLD_DATA" && tcp']) {
      for (const point of [null, { machine: 'server', nic: 'eth0' }]) {
        const columns = matches(store, filter, point, false);
        expect(columns, `${filter} ${JSON.stringify(point)}`).toEqual(matches(store, filter, point, true));
      }
    }
    expect(matches(store, 'lab.drop_reason', null, false)).toHaveLength(4);
    expect(matches(store, 'lab.drop_reason', { machine: 'server', nic: 'eth0' }, false).length).toBeGreaterThan(0);
    expect(matches(store, 'lab.drop_reason != "IP_CSUM"', null, false)).toHaveLength(2); // not the frame with both reasons
    store.close();
  });

  it('the operator and subnet filters select some frames and not all (each row of the table above can fail)', () => {
    const all = matches(lab, '', null, false).length;
    for (const filter of ['frame.len < 66', 'frame.len > 66', 'frame.len <= 66', 'frame.len >= 74', 'tcp.port < 21', 'tcp.port > 21', 'tcp.window_size_value > 500', 'ip.dst == 10.0.0.0/24', 'ip.src != 10.0.0.0/29', 'ip.addr == 10.0.0.8/29']) {
      const n = matches(lab, filter, null, false).length;
      expect(n > 0 && n < all, `${filter}: ${n} of ${all}`).toBe(true);
    }
  });

  it('the corpus exercises ICMP errors (their quoted headers are read from the bytes)', () => {
    expect(matches(lab, 'icmp.type == 3', null, false).length).toBeGreaterThan(0);
    expect(matches(lab, 'icmp.type == 3 && udp', null, false)).toEqual(matches(lab, 'icmp.type == 3', null, false));
  });

  it('a reset capture numbers its conversations afresh (the writer forgets the last run\'s)', () => {
    const r = readForImport(readFileSync(join(dir, 'services.pcapng')));
    if (!r.ok) throw new Error(r.error);
    const store = TraceStore.open(':memory:', { batchSize: 97 });
    // The first run sees the capture's second half only, so its stream 0 is a later conversation.
    let n = 0;
    r.feed({ frame: (e) => void (n++ >= r.report.packets / 2 && store.frame(e)), kernel: () => {} });
    store.reset();
    r.feed(store);
    for (const filter of ['tcp.stream == 0', 'tcp.stream == 4', 'tcp.seq == 1 && tcp.ack == 1']) {
      expect(matches(store, filter, null, false), filter).toEqual(matches(store, filter, null, true));
    }
    store.close();
  });

  const truth = truthCaptures();
  it.skipIf(truth.length === 0)('each linux-truth capture, every filter', () => {
    for (const file of truth) {
      const store = imported(file, 50);
      for (const filter of FILTERS) expect(matches(store, filter, null, false), `${file}: ${filter}`).toEqual(matches(store, filter, null, true));
      store.close();
    }
  });
});
