import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../shared/api';
import { d4Server, eForkServer, fPortsClient, ip } from './fixtures';
import { acceptQueueGauge, findSocketLine, socketKey, socketLines, synQueueGauge } from './sockets';

describe('socketLines', () => {
  it('d4: the listener is followed by its request sock and its two queued children', () => {
    const lines = socketLines(d4Server().sockets);
    expect(lines.map((l) => [l.depth, l.row.state, l.row.peerPort, l.stage ?? null])).toEqual([
      [0, 'LISTEN', 0, null],
      [1, 'SYN_RECV', 40298, 'syn'],
      [1, 'ESTABLISHED', 40288, 'accept'],
      [1, 'ESTABLISHED', 40296, 'accept'],
    ]);
    const [listener, ...kids] = lines;
    expect(kids.every((k) => k.parentKey === listener.key && k.row.localPort === listener.row.localPort)).toBe(true);
    expect(kids.map((k) => k.lastChild ?? false)).toEqual([false, false, true]);
    expect(listener.listener?.children).toBe(3);
  });

  it('d4: the listener carries its queue gauges (LISTEN 2 1: accept queue full at 2, SYN queue 1)', () => {
    const info = socketLines(d4Server().sockets)[0].listener!;
    expect(info.accept).toMatchObject({ length: 2, backlog: 1, capacity: 2, full: true, fill: 1, label: 'accept queue 2 / backlog 1 (holds 2)' });
    expect(info.syn).toMatchObject({ length: 1, backlog: 1, capacity: 2, full: false, fill: 0.5, label: 'SYN queue 1 / backlog 1 (holds 2)' });
  });

  it('e_fork: the accepted child sits under the shared listener, not queued', () => {
    const lines = socketLines(eForkServer().sockets);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ depth: 1, stage: 'accepted', parentKey: 'i10010' });
    expect(lines[0].row.owners.map((o) => o.pid)).toEqual([30691, 30565]);
  });

  it('top level: TCP listeners first, TIME_WAIT last, then UDP and ICMP', () => {
    const lines = socketLines(fPortsClient().sockets);
    const order = lines.map((l) => `${l.row.proto}:${l.row.state}:${l.row.localPort}`);
    expect(order[0]).toBe('tcp:LISTEN:22');
    expect(order[1]).toBe('tcp:ESTABLISHED:47424');
    expect(order.slice(2, 13).every((s) => s.startsWith('tcp:TIME_WAIT'))).toBe(true);
    expect(order.slice(-2)).toEqual(['udp:UNCONN:56317', 'icmp:UNCONN:7']);
    expect(lines.every((l) => l.depth === 0)).toBe(true);
    // TIME_WAIT entries have no inode: their keys are their 4-tuples, all distinct.
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
  });

  it('a child whose listener is gone stays at the top level', () => {
    const orphan = d4Server().sockets.filter((s) => s.state !== 'LISTEN');
    const lines = socketLines(orphan);
    expect(lines.every((l) => l.depth === 0 && l.stage === undefined)).toBe(true);
  });

  it('counts the children when the listener has no queue figures', () => {
    const rows = d4Server().sockets.map((s): SocketRow => (s.state === 'LISTEN' ? { ...s, listener: undefined } : s));
    const info = socketLines(rows)[0].listener!;
    expect([info.accept.length, info.accept.backlog, info.syn.length]).toEqual([2, 1, 1]);
  });
});

describe('queue gauges', () => {
  it('listen(0) holds one child; listen(1) holds two (strict > in sk_acceptq_is_full)', () => {
    expect(acceptQueueGauge(0, 0)).toMatchObject({ capacity: 1, full: false, label: 'accept queue 0 / backlog 0 (holds 1)' });
    expect(acceptQueueGauge(1, 0)).toMatchObject({ capacity: 1, full: true, fill: 1 });
    expect(acceptQueueGauge(1, 1)).toMatchObject({ capacity: 2, full: false, fill: 0.5 });
    expect(acceptQueueGauge(2, 1).full).toBe(true);
  });

  it('draws slots with the +1 slot marked, and a plain bar for big backlogs', () => {
    expect(acceptQueueGauge(2, 1).slots).toEqual(['used', 'extra-used']);
    expect(acceptQueueGauge(1, 3).slots).toEqual(['used', 'free', 'free', 'extra-free']);
    expect(synQueueGauge(0, 0).slots).toEqual(['extra-free']);
    expect(acceptQueueGauge(3, 1).slots).toEqual(['used', 'extra-used', 'over']);
    expect(acceptQueueGauge(5, 128)).toMatchObject({ slots: null, capacity: 129 });
    expect(acceptQueueGauge(0, 128).fill).toBe(0);
  });

  it('explains the limit in the tooltip', () => {
    expect(acceptQueueGauge(2, 1).title).toContain('listen(1) holds 2');
    expect(synQueueGauge(1, 1).title).toContain('SYN cookie');
  });
});

describe('findSocketLine', () => {
  const lines = socketLines(d4Server().sockets);
  it('finds a socket by inode', () => {
    expect(findSocketLine(lines, { inode: 10003, kind: 'socket', local: '10.0.0.2:5010', peer: '10.0.0.1:40296' })?.row.peerPort).toBe(40296);
  });
  it('finds a request sock by its 4-tuple', () => {
    const l = findSocketLine(lines, { inode: 0, kind: 'request', local: '10.0.0.2:5010', peer: '10.0.0.1:40298' }, 'tcp');
    expect(l?.row.state).toBe('SYN_RECV');
  });
  it('returns null when the socket is gone', () => {
    expect(findSocketLine(lines, { inode: 99, kind: 'socket', local: '', peer: '' })).toBeNull();
    expect(findSocketLine(lines, { inode: 0, kind: 'timewait', local: '10.0.0.2:5010', peer: '10.0.0.1:1' })).toBeNull();
    expect(findSocketLine(lines, { inode: 0, kind: 'request', local: 'garbage', peer: '10.0.0.1:1' })).toBeNull();
  });
  it('keys inode-less rows by kind and 4-tuple', () => {
    expect(socketKey({ inode: 0, kind: 'timewait', proto: 'tcp', localAddr: ip('10.0.0.1'), localPort: 47356, peerAddr: ip('10.0.0.2'), peerPort: 5030 })).toBe(
      `timewait:tcp:${ip('10.0.0.1')}:47356>${ip('10.0.0.2')}:5030`,
    );
  });
});
