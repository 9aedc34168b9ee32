// SCM_RIGHTS into a full fd table: like Linux scm_detach_fds, the message is still delivered, the descriptions
// that do not fit are dropped (released if that was their last reference) and MSG_CTRUNC is set.
import { describe, expect, it } from 'vitest';
import { sys, type RecvMsg } from '../process';
import { SEC } from '../sim';
import { MemorySink, twoHosts } from '../test/lab-fixtures';
import { World } from '../world';

describe('recvmsg with SCM_RIGHTS when the receiver has no free fd', () => {
  it('delivers the data and the fds that fit, drops the rest, sets ctrunc and names it in a kernel event', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts(), sink);
    const m = world.machine('server')!;
    const log: string[] = [];
    let got: RecvMsg | undefined;
    m.kernel.startProgram(['test'], function* () {
      const [a, b] = (yield* sys.socketpair('stream')) as [number, number]; // 3, 4
      const u1 = (yield* sys.socket('dgram', 'udp')) as number; // 5
      const u2 = (yield* sys.socket('dgram', 'udp')) as number; // 6
      yield* sys.bind(u2, 0, 4242);
      log.push(`sendmsg ${yield* sys.sendmsg(a, Uint8Array.of(120), [u1, u2])}`);
      yield* sys.close(u2); // the in-flight reference is now u2's only one
      log.push(`setrlimit ${yield* sys.setrlimitNofile(7)}`); // fds 0..5 and 6 free: room for one
      got = (yield* sys.recvmsg(b)) as RecvMsg;
      yield* sys.nanosleep(SEC);
      return 0;
    });
    world.sched.runUntil(500_000_000);
    expect(log).toEqual(['sendmsg 1', 'setrlimit 0']);
    expect(got).toMatchObject({ fds: [6], ctrunc: true });
    expect([...got!.data]).toEqual([120]);
    // u2 (bound to 4242) was released with its last reference; u1 lives on at fd 6.
    const udp = m.sockets().filter((r) => r.proto === 'udp');
    expect(udp.some((r) => r.localPort === 4242)).toBe(false);
    expect(sink.events.find((e) => e.type === 'syscall')?.text).toMatch(/recvmsg: fd table full \(EMFILE\), 1 passed fd dropped, MSG_CTRUNC set/);
  });

  it('a recvmsg whose fds all fit has no ctrunc', () => {
    const world = new World(twoHosts(), new MemorySink());
    let got: RecvMsg | undefined;
    world.machine('server')!.kernel.startProgram(['test'], function* () {
      const [a, b] = (yield* sys.socketpair('stream')) as [number, number];
      const u = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.sendmsg(a, Uint8Array.of(1), [u]);
      got = (yield* sys.recvmsg(b)) as RecvMsg;
      return 0;
    });
    world.sched.runUntil(500_000_000);
    expect(got).toEqual({ data: Uint8Array.of(1), fds: [6] });
  });
});
