// AS-09 .. AS-16 of ../shared/linux-truth/README.md (captures d1-d6, h_backlog0): listen(backlog)
// with a server that never accepts, SYN queue and accept queue overflow, SYN cookies, SYN-ACK
// retransmission, tcp_abort_on_overflow, closing a listener with queued children.
import { describe, expect, it } from 'vitest';
import { isErr, sys } from '../../../process';
import { MS, SEC } from '../../../sim';
import { bytes, lab, SERVER } from './harness';

const PORT = 5010;

function setup(opts: { backlog: number; closeAt?: number; sysctl?: Record<string, string>; latency?: number }) {
  const l = lab(opts.latency);
  for (const [k, v] of Object.entries(opts.sysctl ?? {})) l.world.machine('server')!.sysctl.set(k, v);
  l.run('server', function* () {
    const fd = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.bind(fd, SERVER, PORT);
    yield* sys.listen(fd, opts.backlog);
    yield* sys.nanosleep(opts.closeAt ?? 1000 * SEC);
    yield* sys.close(fd);
    yield* sys.nanosleep(1000 * SEC);
    return 0;
  }, 'python3');
  const results: Record<string, string[]> = {};
  const client = (name: string, at: number, pingAt?: number) =>
    l.run('client', function* () {
      const log = (results[name] = [] as string[]);
      yield* sys.nanosleep(at);
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      const r = yield* sys.connect(fd, SERVER, PORT);
      log.push(isErr(r) ? `connect ${r.name}` : 'connected');
      if (pingAt !== undefined && !isErr(r)) {
        const now = yield* sys.now();
        yield* sys.nanosleep(Math.max(0, pingAt - now));
        const s = yield* sys.send(fd, bytes(`ping-${name}`));
        log.push(isErr(s) ? `send ${s.name}` : 'send ok');
        const rr = yield* sys.recv(fd);
        log.push(isErr(rr) ? `recv ${rr.name}` : `recv ${rr.length}`);
      }
      yield* sys.nanosleep(1000 * SEC);
      return 0;
    });
  const server = () => l.world.machine('server')!;
  const listenRow = () => server().sockets().find((r) => r.state === 'LISTEN');
  const synTimes = (clientIndex: number) => {
    const firstSyns = l.segments().filter((s) => s.flags === 'S');
    const ports = [...new Set(firstSyns.map((s) => s.sport))];
    return firstSyns.filter((s) => s.sport === ports[clientIndex]).map((s) => s.t);
  };
  return { ...l, client, results, server, listenRow, synTimes };
}

describe('listen backlog (d1: clients 300 ms apart, server never accepts)', () => {
  it('AS-09: two complete (backlog+1), the others get no reply and retransmit their SYN at +1,2,3,4,5,7 s; LISTEN 2 1', () => {
    const t = setup({ backlog: 1, closeAt: 10_500 * MS });
    t.client('c1', 0, 11_500 * MS);
    t.client('c2', 300 * MS, 11_500 * MS);
    t.client('c3', 600 * MS);
    t.client('c4', 900 * MS);
    t.world.sched.runUntil(9_800 * MS);
    expect(t.listenRow()).toMatchObject({ recvQ: 2, sendQ: 1 });
    expect(t.server().sockets().filter((r) => r.state === 'ESTABLISHED')).toHaveLength(2);
    expect(t.results.c3).toEqual([]); // connect() still pending
    const c3 = t.synTimes(2).map((x) => (x - t.synTimes(2)[0]!) / SEC);
    expect(c3).toEqual([0, 1, 2, 3, 4, 5, 7]);
    const synacksToC3 = t.segments().filter((s) => s.flags === 'S.' && s.dport === t.segments().filter((x) => x.flags === 'S')[2]!.sport);
    expect(synacksToC3).toHaveLength(0);
    expect(t.server().counters()).toMatchObject({ TcpExtListenOverflows: 14, TcpExtListenDrops: 14, TcpPassiveOpens: 2 });
    t.world.sched.runUntil(13 * SEC);
    // AS-15: the listener's close resets both queued children; c3's next SYN (11.6 s) meets a closed port.
    const resets = t.segments().filter((s) => s.flags === 'R.' && s.from === '10.0.0.2');
    expect(resets.filter((r) => Math.abs(r.t - 10_500 * MS) < MS)).toHaveLength(2);
    expect(resets.some((r) => r.t > 11 * SEC)).toBe(true);
    expect(t.results.c1).toEqual(['connected', 'send ECONNRESET', 'recv 0']);
    expect(t.results.c3).toEqual(['connect ECONNREFUSED']);
  });

  it('AS-10: listen(0) completes exactly one connection (LISTEN 1 0)', () => {
    const t = setup({ backlog: 0 });
    t.client('c1', 0);
    t.client('c2', 100 * MS);
    t.world.sched.runUntil(3 * SEC);
    expect(t.listenRow()).toMatchObject({ recvQ: 1, sendQ: 0 });
    expect(t.results.c2).toEqual([]);
  });
});

describe('SYN queue overflow (d2/d3: four SYNs before any final ACK)', () => {
  // A 4 ms one-way latency and clients 1 ms apart: every SYN reaches the server before the first ACK.
  const burst = (t: ReturnType<typeof setup>) => ['c1', 'c2', 'c3', 'c4'].forEach((c, i) => t.client(c, i * MS, 11_500 * MS));

  it('AS-11: SYN cookies for SYN3/SYN4 (no state), all four connect(), the cookie ACKs are dropped silently, later data gets RST', () => {
    const t = setup({ backlog: 1, closeAt: 10_500 * MS, latency: 4 * MS });
    burst(t);
    t.world.sched.runUntil(100 * MS);
    expect(t.segments().filter((s) => s.flags === 'S.')).toHaveLength(4);
    const synacks = t.segments().filter((s) => s.flags === 'S.');
    expect(new Set(synacks.map((s) => s.opts.join(',')))).toEqual(new Set(['mss,sackPerm,timestamp,nop,wscale']));
    expect(t.server().sockets().filter((r) => r.kind === 'request')).toHaveLength(0);
    expect(t.server().sockets().filter((r) => r.state === 'ESTABLISHED')).toHaveLength(2);
    expect(['c1', 'c2', 'c3', 'c4'].map((c) => t.results[c])).toEqual([['connected'], ['connected'], ['connected'], ['connected']]);
    expect(t.server().counters()).toMatchObject({ TcpExtSyncookiesSent: 2, TcpExtSyncookiesRecv: 2, TcpExtTCPReqQFullDoCookies: 2, TcpExtListenOverflows: 2 });
    t.world.sched.runUntil(9 * SEC);
    expect(t.segments().filter((s) => s.flags === 'S.')).toHaveLength(4); // no SYN-ACK retransmissions
    t.world.sched.runUntil(13 * SEC);
    expect(t.results.c3).toEqual(['connected', 'send ok', 'recv ECONNRESET']);
  });

  it('AS-12: with tcp_syncookies=0, SYN3/SYN4 are dropped and stay in SYN_SENT', () => {
    const t = setup({ backlog: 1, latency: 4 * MS, sysctl: { 'net.ipv4.tcp_syncookies': '0' } });
    burst(t);
    t.world.sched.runUntil(8 * SEC);
    expect(t.results.c3).toEqual([]);
    expect(t.server().counters().TcpExtTCPReqQFullDrop).toBe(2);
    expect(t.server().counters().TcpExtListenOverflows).toBeGreaterThanOrEqual(10);
  });
});

describe('final ACK while the accept queue is full (d4/d5/d6)', () => {
  const d4 = (t: ReturnType<typeof setup>) => {
    t.client('c1', 0, 70 * SEC);
    ['c2', 'c3', 'c4'].forEach((c, i) => t.client(c, 500 * MS + i * MS, 70 * SEC));
  };

  it('AS-13: the request stays in SYN_RECV and retransmits its SYN-ACK at +1,3,7,15,31 s, then dies silently at 63 s', () => {
    const t = setup({ backlog: 1, latency: 4 * MS });
    d4(t);
    t.world.sched.runUntil(5 * SEC);
    expect(t.server().sockets().filter((r) => r.kind === 'request')).toHaveLength(1);
    expect(t.listenRow()).toMatchObject({ recvQ: 2, sendQ: 1 });
    t.world.sched.runUntil(69 * SEC);
    const c3port = t.segments().filter((s) => s.flags === 'S')[2]!.sport;
    const synacks = t.segments().filter((s) => s.flags === 'S.' && s.dport === c3port).map((s) => s.t);
    const rel = synacks.map((x) => Math.round((x - synacks[0]!) / SEC));
    expect(rel).toEqual([0, 1, 3, 7, 15, 31]);
    expect(t.server().sockets().filter((r) => r.kind === 'request')).toHaveLength(0);
    expect(t.segments().filter((s) => s.from === '10.0.0.2' && s.flags.includes('R') && s.t < 69 * SEC)).toHaveLength(0);
    t.world.sched.runUntil(75 * SEC);
    // AS-16: the queued children are live sockets: they ACK data at once.
    const estab = t.server().sockets().filter((r) => r.state === 'ESTABLISHED');
    expect(estab.map((r) => r.recvQ).sort()).toEqual([7, 7]); // 'ping-c1' and 'ping-c2', ACKed and queued before any accept()
    expect(t.results.c3).toEqual(['connected', 'send ok', 'recv ECONNRESET']);
  });

  it('AS-14: with tcp_abort_on_overflow=1 the final ACK gets R seq=ACK at once (EmbryonicRsts); the cookie client gets nothing', () => {
    const t = setup({ backlog: 1, latency: 4 * MS, sysctl: { 'net.ipv4.tcp_abort_on_overflow': '1' } });
    d4(t);
    t.world.sched.runUntil(2 * SEC);
    const rst = t.segments().filter((s) => s.from === '10.0.0.2' && s.flags === 'R');
    expect(rst).toHaveLength(1);
    expect(t.server().counters().TcpExtEmbryonicRsts).toBe(1);
    expect(t.server().sockets().filter((r) => r.kind === 'request')).toHaveLength(0);
  });
});

