import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../shared/trace';
import { packData, unpackData } from './kernel-data';

const row = (e: KernelEvent, stored: string): unknown => unpackData(stored, { frameId: e.frameId ?? null, machine: e.machine, at: e.at, text: e.text });

describe('kernel event detail as stored', () => {
  const delivery = {
    frameId: 7,
    protocol: 'tcp',
    steps: [{ table: 'established', key: '10.0.0.2:9 <- 10.0.0.1:59966', hit: true }],
    socket: { inode: 10001, local: '10.0.0.2:9', peer: '10.0.0.1:59966', state: 'ESTABLISHED', owners: [{ pid: 101, name: 'sink', fd: 4 }] },
    queue: 'receive queue',
    summary: '[.] 1448 bytes in order: receive queue',
    machine: 'b',
    atNs: 201387120,
  };
  const e: KernelEvent = { at: 201387120, machine: 'b', type: 'deliver', frameId: 7, text: delivery.summary, data: delivery };

  it("leaves out a delivery's echo of its row (frameId, machine, atNs, summary) and puts it back on reading", () => {
    const stored = packData(e);
    expect(stored.startsWith('~')).toBe(true);
    for (const key of ['"frameId"', '"machine"', '"atNs"', '"summary"']) expect(stored).not.toContain(key);
    expect(stored.length).toBeLessThan(JSON.stringify(delivery).length * 0.8);
    expect(row(e, stored)).toEqual(delivery);
  });

  it('stores plain JSON when any echoed field differs from the row, or is missing, and reads it unchanged', () => {
    for (const data of [{ ...delivery, atNs: 1 }, { ...delivery, summary: 'other' }, { ...delivery, machine: 'a' }, { protocol: 'udp', summary: e.text }, [1, 2], 'text', 0, null]) {
      const stored = packData({ ...e, data });
      expect(stored).toBe(JSON.stringify(data));
      expect(row(e, stored)).toEqual(data);
    }
    const noFrame = { ...e, frameId: undefined, data: { ...delivery, frameId: undefined } };
    expect(packData(noFrame).startsWith('~')).toBe(false);
    // The store keeps a frame id below 0 as NULL: such a record keeps its own.
    const negative = { ...e, frameId: -1, data: { ...delivery, frameId: -1 } };
    expect(packData(negative)).toBe(JSON.stringify(negative.data));
  });

  it('stores nothing for an event without detail', () => {
    expect(packData({ ...e, data: undefined })).toBe('');
  });
});
