import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLab } from '../../../shared/lab';
import type { FrameEvent, KernelEvent, TraceSink } from '../../../shared/trace';
import { parseTcp, TcpFlag } from '../../../shared/wire/tcp';
import { World } from '../world';
import { isErr, sys, type Sys } from './index';

/** two-hosts: client 10.0.0.1, server 10.0.0.2; a listener on the server, a client that talks and closes. */
function run() {
  const r = parseLab(readFileSync('examples/two-hosts.lab.json', 'utf8'));
  if (!r.ok) throw new Error('bad lab');
  const frames: FrameEvent[] = [];
  const kernel: KernelEvent[] = [];
  const sink: TraceSink = { frame: (e) => void frames.push(e), kernel: (e) => void kernel.push(e) };
  const world = new World({ ...r.lab, script: [] }, sink);
  world.machine('server')!.kernel.startProgram(['srv'], function* (): Sys<number> {
    const l = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.bind(l, 0, 5000);
    yield* sys.listen(l, 5);
    const a = yield* sys.accept(l);
    if (isErr(a)) return 1;
    yield* sys.recv(a.fd, 100);
    yield* sys.nanosleep(1e9);
    return 0;
  });
  world.machine('client')!.kernel.startProgram(['talker'], function* (): Sys<number> {
    yield* sys.nanosleep(100e6);
    const fd = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.connect(fd, 0x0a000002, 5000);
    yield* sys.send(fd, new TextEncoder().encode('hello'));
    yield* sys.close(fd);
    return 0;
  });
  world.sched.runFor(3e9);
  return { frames, kernel };
}

const flagsOf = (f: FrameEvent) => {
  const t = parseTcp(f.bytes, 34);
  return t.ok ? t.value.flags : -1;
};

describe('the syscall that sent a frame', () => {
  it('links connect to its SYN, send to its data and close to its FIN, each the first frame it sent', () => {
    const { frames, kernel } = run();
    const causes = kernel.filter((e) => e.type === 'syscall' && e.machine === 'client');
    const byFrame = new Map(frames.filter((f) => f.first).map((f) => [f.frameId, f]));
    const described = causes.map((e) => [e.text, flagsOf(byFrame.get(e.frameId!)!)]);
    // The SYN waited for ARP (connect's ARP request is not the syscall's frame) and keeps its cause.
    expect(described).toEqual([
      ['connect(3, 10.0.0.2:5000) by talker (pid 100) sent this frame', TcpFlag.SYN],
      ['send(3, 5 bytes) by talker (pid 100) sent this frame', TcpFlag.PSH | TcpFlag.ACK],
      ['close(3) by talker (pid 100) sent this frame', TcpFlag.FIN | TcpFlag.ACK],
    ]);
    expect(causes[0]!.data).toEqual({ pid: 100, process: 'talker', call: 'connect(3, 10.0.0.2:5000)', op: 'connect' });
    expect(byFrame.get(causes[0]!.frameId!)!.at).toBeGreaterThan(100e6); // sent when the ARP reply came
    // Nothing the server's kernel sent on its own (SYN-ACK, ACKs) is put on a syscall.
    expect(kernel.filter((e) => e.type === 'syscall' && e.machine === 'server')).toEqual([]);
  });
});
