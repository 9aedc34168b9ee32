import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../shared/trace';
import type { Delivery } from '../../shared/api/kernel-view';
import { SEC } from '../engine/sim';
import { ScriptRunner } from '../engine/script';
import { MemorySink, twoHosts } from '../engine/test/lab-fixtures';
import { World } from '../engine/world';
import { DataPacker, DELIVERY_FIELDS, OWNER_FIELDS, packData, sameDelivery, SOCKET_FIELDS, STEP_FIELDS, unpackData } from './kernel-data';

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

describe('DataPacker: a delivery equal to the last one of its socket reuses its text', () => {
  const base = (frameId: number, machine = 'b', inode = 10001): KernelEvent => {
    const data: Delivery = {
      frameId,
      machine,
      atNs: frameId * 1000,
      protocol: 'tcp',
      steps: [{ table: 'established', key: '10.0.0.2:9 <- 10.0.0.1:59966', hit: true }],
      socket: { inode, kind: 'socket', local: '10.0.0.2:9', peer: '10.0.0.1:59966', state: 'ESTABLISHED', owners: [{ pid: 101, name: 'sink', fd: 4 }] },
      queue: 'receive queue',
      summary: `[.] segment ${frameId}`,
    };
    return { at: data.atNs, machine, type: 'deliver', frameId, text: data.summary, data };
  };
  const changed = (e: KernelEvent, edit: (d: Delivery) => void): KernelEvent => {
    const d = structuredClone(e.data) as Delivery;
    edit(d);
    return { ...e, data: d };
  };

  it('gives the text packData gives, the same string for equal records, and a new one when any compared field changes', () => {
    const p = new DataPacker();
    const first = p.pack(base(1));
    expect(first).toBe(packData(base(1)));
    expect(p.pack(base(2))).toBe(first); // echoes differ: the stored text is the same
    const edits: [string, (d: Delivery) => void][] = [
      ['protocol', (d) => (d.protocol = 'udp')],
      ['queue', (d) => (d.queue = 'out-of-order queue')],
      ['queue absent', (d) => delete d.queue],
      ['reply', (d) => (d.reply = 'RST')],
      ['stateChange', (d) => (d.stateChange = { from: 'ESTABLISHED', to: 'CLOSE_WAIT' })],
      ['drop', (d) => (d.drop = { reason: 'TCP_INVALID_SEQUENCE', text: 'out of window' })],
      ['a second step', (d) => d.steps.push({ table: 'listener', key: '10.0.0.2:9', hit: false })],
      ...STEP_FIELDS.map((f): [string, (d: Delivery) => void] => [`step ${f}`, (d) => ((d.steps[0] as unknown as Record<string, unknown>)[f] = f === 'hit' ? false : 'other')]),
      ...SOCKET_FIELDS.filter((f) => f !== 'inode' && f !== 'owners').map((f): [string, (d: Delivery) => void] => [`socket ${f}`, (d) => ((d.socket as unknown as Record<string, unknown>)[f] = 'other')]),
      ['a second owner', (d) => d.socket!.owners.push({ pid: 102, name: 'sink', fd: 4 })],
      ...OWNER_FIELDS.map((f): [string, (d: Delivery) => void] => [`owner ${f}`, (d) => ((d.socket!.owners[0] as unknown as Record<string, unknown>)[f] = f === 'name' ? 'other' : 7)]),
    ];
    for (const [what, edit] of edits) {
      const e = changed(base(3), edit);
      const text = p.pack(e);
      expect(text, what).toBe(packData(e));
      expect(text, what).not.toBe(first);
      expect(p.pack(base(4)), `${what}, then the first again`).toBe(first);
    }
  });

  it('holds every field of Delivery to its listed treatment', () => {
    const a = base(1).data as Delivery;
    for (const [field, how] of Object.entries(DELIVERY_FIELDS)) {
      const b = structuredClone(a) as unknown as Record<string, unknown>;
      b[field] = how === 'absent' ? { any: 1 } : field === 'steps' ? [] : field === 'socket' ? undefined : 'other';
      expect(sameDelivery(a, b as unknown as Delivery), `${field} (${how})`).toBe(how === 'echo');
    }
    const inode = structuredClone(a);
    inode.socket!.inode = 1;
    expect(sameDelivery(a, inode)).toBe(false);
  });

  it('keeps sockets and machines apart, and stays right past its bound', () => {
    const p = new DataPacker();
    const onA = base(1, 'a');
    expect(p.pack(onA)).toBe(packData(onA));
    const other = changed(base(2, 'b'), (d) => (d.socket!.state = 'CLOSE_WAIT'));
    expect(p.pack(other)).toBe(packData(other));
    expect(p.pack(base(3, 'a'))).toBe(packData(onA));
    for (let inode = 0; inode < 3000; inode++) {
      const e = changed(base(inode + 10, 'b', inode), (d) => (d.socket!.local = `10.0.0.2:${inode}`));
      expect(p.pack(e)).toBe(packData(e));
    }
  });

  it('leaves other records to packData', () => {
    const p = new DataPacker();
    const e = { ...base(1), type: 'drop' as const };
    expect(p.pack(e)).toBe(packData(e));
    const noSocket = changed(base(2), (d) => delete d.socket);
    expect(p.pack(noSocket)).toBe(packData(noSocket));
  });
});

describe('DataPacker on a real run', () => {
  it("stores exactly packData's text for every kernel event of TCP, UDP and ICMP traffic, reusing texts along the way", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} `.repeat(20));
    const run = (cmd: string, atNs: number, on: string, input: string[] = []) => ({ atNs, on, run: cmd, input });
    const sink = new MemorySink();
    const world = new World(
      twoHosts([run('nc -l -k 5000', SEC / 2, 'server'), run('nc 10.0.0.2 5000', SEC, 'client', lines), run('ping -c 3 10.0.0.2', 2 * SEC, 'client'), run('nc -u 10.0.0.2 9999', 3 * SEC, 'client', ['x'])]),
      sink,
    );
    new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(6 * SEC);
    const p = new DataPacker();
    const seen = new Set<string>();
    let reused = 0;
    const protocols = new Set<string>();
    for (const e of sink.events) {
      const text = p.pack(e);
      expect(text, `${e.type} on ${e.machine} at ${e.at}: ${e.text}`).toBe(packData(e));
      if (e.type !== 'deliver') continue;
      protocols.add((e.data as Delivery).protocol);
      if (seen.has(text)) reused++;
      seen.add(text);
    }
    expect([...protocols].sort()).toEqual(['icmp', 'tcp', 'udp']);
    expect(reused).toBeGreaterThan(10);
  });
});
