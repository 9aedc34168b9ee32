// Packet scripts for TCP state-table cells (DESIGN.md section 8, habit 8). One machine runs the real
// stack ("server", 10.0.0.2, the machine under test); the test plays its peer (10.0.0.1): `send()`
// crafts a segment with the shared/wire writers and delivers it into the machine's NIC,
// `expectSent()` reads the next TCP segment the machine put on its wire, `advance()` moves virtual
// time. The peer host's own stack only answers ARP (so the machine's neighbour entry stays valid);
// every IPv4 frame reaching it is swallowed, so nothing but the script ever answers the machine.
//
// The socket under test is driven with real syscalls by a program ("app") that runs one job per
// cue: `h.app(function* () { ... })` runs the job at the current virtual time and returns its
// result. Every fd the app opens is O_NONBLOCK, so a job never sleeps (connect -> EINPROGRESS).
//
// Sequence numbers in scripts are relative: the peer's to its ISN (chosen by the script), the
// machine's to the ISN it chose (learned from its SYN or SYN-ACK), like tcpdump's relative numbers.
import { expect } from 'vitest';
import type { SocketRow } from '../../../../../../shared/api/kernel-view';
import type { FrameEvent, KernelEvent, TraceSink } from '../../../../../../shared/trace';
import {
  ArpOp,
  EtherType,
  IpProto,
  linuxOptionLayout,
  parseEthernet,
  parseIpv4,
  parseIpv4Header,
  parseTcp,
  parseTcpOptions,
  parseTcpOptionValues,
  seqAdd,
  seqDiff,
  TcpFlag,
  writeArp,
  writeEthernet,
  writeIpv4,
  writeTcp,
  type LinuxOptionRequest,
} from '../../../../../../shared/wire';
import type { Machine } from '../../../../machine';
import { AGAIN, ERRNO, isErr, POLLIN, sys, type Accepted, type FileObject, type Process, type ShutdownHow, type Sys } from '../../../../process';
import { MS, WaitQueue } from '../../../../sim';
import { twoHosts } from '../../../../test/lab-fixtures';
import { World } from '../../../../world';

export { MS, SEC } from '../../../../sim';

/** The machine under test and the scripted peer. */
export const ME = parseIpv4('10.0.0.2')!;
export const PEER = parseIpv4('10.0.0.1')!;
/** The port the machine listens on (passive open) or connects to (active open). */
export const SERVICE_PORT = 5000;
/** The scripted peer's port for passive opens. */
export const PEER_PORT = 40000;
/** The peer's ISN and TS clock (arbitrary; relative numbers hide them). */
export const PEER_ISN = 1_000_000;
const PEER_TS_BASE = 7_000_000;
/** Window scale the peer offers (a Linux peer with a 6 MiB tcp_rmem[2]). */
export const PEER_WSCALE = 7;
/** One-way delay the builders wait before the peer answers (the handshake's RTT sample). */
export const RTT = MS;

// ------------------------------------------------------------------ segments

/** tcpdump's notation: S, S., ., P., F., FP., R, R., SF. */
export function tcpdumpFlags(f: number): string {
  let s = '';
  if (f & TcpFlag.SYN) s += 'S';
  if (f & TcpFlag.FIN) s += 'F';
  if (f & TcpFlag.PSH) s += 'P';
  if (f & TcpFlag.RST) s += 'R';
  if (f & TcpFlag.URG) s += 'U';
  if (f & TcpFlag.ACK) s += '.';
  return s || 'none';
}

function parseFlags(s: string): number {
  const bits: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, P: TcpFlag.PSH, R: TcpFlag.RST, U: TcpFlag.URG, '.': TcpFlag.ACK };
  let f = 0;
  for (const c of s) {
    const b = bits[c];
    if (b === undefined) throw new Error(`flag '${c}' in '${s}' is not tcpdump notation (S F P R U .)`);
    f |= b;
  }
  return f;
}

/** What the peer sends. Omitted seq/ack continue the conversation (peer's next seq, ack of all the machine sent). */
export interface PeerSegment {
  flags: string;
  /** Relative to the peer's ISN. */
  seq?: number;
  /** Relative to the machine's ISN. */
  ack?: number;
  rawSeq?: number;
  rawAck?: number;
  /** The window field as sent (default: 64240 in a SYN, else 64240 >> the peer's window scale). */
  win?: number;
  /** Payload: bytes, text, or a length of 'x'. */
  data?: number | string | Uint8Array;
  /** Options, in Linux's layout. Default: a Linux SYN's (mss, sackOK, TS, nop, wscale) in a SYN, TS afterwards if agreed. */
  opts?: LinuxOptionRequest | 'none';
  /** The peer's TS value when the default options carry a timestamp. */
  tsVal?: number;
  /** The peer's port (default: the current connection's). */
  port?: number;
}

/** A segment the machine sent, with numbers relative to the connection it belongs to. */
export interface SentSegment {
  t: number;
  sport: number;
  dport: number;
  flags: string;
  seq: number;
  ack: number;
  rawSeq: number;
  rawAck: number;
  win: number;
  len: number;
  opts: string[];
  tsVal?: number;
  tsEcr?: number;
  data: Uint8Array;
}

/** What expectSent() checks. Unset fields are not checked, except len (default 0). */
export interface Expected {
  flags: string;
  seq?: number;
  ack?: number;
  rawSeq?: number;
  rawAck?: number;
  win?: number;
  len?: number;
  opts?: string[];
  /** The peer port it goes to. */
  port?: number;
}

/** The effect of one delivered segment: named drops, changed counters, the delivery sentence. */
export interface Delivery {
  drops: string[];
  counters: Record<string, number>;
  summary: string;
}

/** One connection as the script sees it (keyed by the peer's port). */
interface Conn {
  peerPort: number;
  myPort: number;
  peerIsn: number;
  myIsn?: number;
  /** Relative: the peer's next sequence number. */
  peerNxt: number;
  /** Relative: the end of the highest segment the machine sent. */
  myNxt: number;
  /** The machine's last TS value (for the peer's echo). */
  myTsVal: number;
  peerOfferedTs: boolean;
  peerWscale?: number;
  tsOk: boolean;
  wsOk: boolean;
}

export function render(s: SentSegment): string {
  const opts = s.opts.length ? ` <${s.opts.join(',')}>` : '';
  return `t=${(s.t / MS).toFixed(3)}ms ${s.sport} > ${s.dport} [${s.flags}] seq ${s.seq} ack ${s.ack} win ${s.win} len ${s.len}${opts}`;
}

// ------------------------------------------------------------------ the app (socket calls on cue)

interface Job {
  fn: () => Sys<unknown>;
  done: boolean;
  result: unknown;
}

/** A file the app reads its cues from: readable while a job is queued. */
class CueFile implements FileObject {
  readonly kind = 'tty';
  readonly label = 'cue';
  readonly waitq = new WaitQueue();
  constructor(private readonly jobs: Job[]) {}
  read(): string | typeof AGAIN {
    return this.jobs.length ? 'go' : AGAIN;
  }
  poll(): number {
    return this.jobs.length ? POLLIN : 0;
  }
  release(): void {}
}

// ------------------------------------------------------------------ the script

export interface ScriptOptions {
  /** sysctl overrides for the machine under test, e.g. { 'net.ipv4.tcp_syncookies': '0' }. */
  sysctl?: Record<string, string>;
}

export class Script {
  readonly world: World;
  readonly machine: Machine;
  private readonly out: SentSegment[] = [];
  private readonly events: KernelEvent[] = [];
  private readonly conns = new Map<number, Conn>();
  private current: number;
  private readonly jobs: Job[] = [];
  private readonly cue: CueFile;
  readonly proc: Process;
  /** The listening socket's fd, once listen() ran. */
  lfd = -1;
  /** The fd of the connection under test (accepted or connecting). */
  fd = -1;

  constructor(opts: ScriptOptions = {}) {
    const lab = twoHosts();
    const server = lab.machines.find((m) => m.id === 'server')!;
    if (opts.sysctl) server.sysctl = { ...opts.sysctl };
    lab.links[0]!.latencyNs = 10_000;
    const sink: TraceSink = {
      frame: (e) => this.onFrame(e),
      kernel: (e) => {
        if (e.machine === 'server') this.events.push(e);
      },
    };
    this.world = new World(lab, sink);
    this.machine = this.world.machine('server')!;
    // The peer's stack keeps answering ARP; its IPv4 input is cut off (the script is the peer).
    const peerNic = this.world.machine('client')!.nics[0]!;
    const stackRx = peerNic.onReceive;
    peerNic.onReceive = (f) => {
      const eth = parseEthernet(f.bytes, 0);
      if (eth.ok && eth.value.etherType === EtherType.ARP) stackRx(f);
    };
    // Pre-resolve: an ARP request from the peer gives the machine a neighbour entry for it.
    this.injectArpRequest();
    this.current = PEER_PORT;
    this.conn(PEER_PORT);
    this.cue = new CueFile(this.jobs);
    const jobs = this.jobs;
    let cueFd = -1;
    this.proc = this.machine.kernel.startProgram(['app'], () =>
      (function* () {
        for (;;) {
          yield* sys.read(cueFd, 1);
          const job = jobs.shift();
          if (!job) continue;
          job.result = yield* job.fn();
          job.done = true;
        }
      })(),
    );
    const fd = this.machine.kernel.install(this.proc, this.cue);
    if (isErr(fd)) throw new Error('cannot install the cue file');
    cueFd = fd;
    this.world.sched.runUntil(0);
  }

  get now(): number {
    return this.world.sched.now;
  }

  // ---------------------------------------------------------------- connections

  private conn(peerPort: number): Conn {
    let c = this.conns.get(peerPort);
    if (!c) {
      c = { peerPort, myPort: SERVICE_PORT, peerIsn: PEER_ISN, peerNxt: 0, myNxt: 0, myTsVal: 0, peerOfferedTs: false, tsOk: false, wsOk: false };
      this.conns.set(peerPort, c);
    }
    return c;
  }

  /** Talk as the peer on another port (a second client), optionally with another ISN. */
  peer(port: number, isn = PEER_ISN): this {
    this.current = port;
    const c = this.conn(port);
    if (c.peerNxt === 0) c.peerIsn = isn;
    return this;
  }

  /** A new incarnation on the current 4-tuple: forget the machine's ISN, start the peer at `isn` (raw). */
  newIncarnation(rawIsn: number): this {
    const c = this.conn(this.current);
    Object.assign(c, { peerIsn: rawIsn, myIsn: undefined, peerNxt: 0, myNxt: 0, myTsVal: 0, tsOk: false, wsOk: false, peerOfferedTs: false });
    return this;
  }

  /** The machine's port and ISN on the current connection (raw). */
  get mine(): { port: number; isn: number | undefined } {
    const c = this.conn(this.current);
    return { port: c.myPort, isn: c.myIsn };
  }

  // ---------------------------------------------------------------- wire

  private onFrame(e: FrameEvent): void {
    if (e.machine !== 'server' || e.dir !== 'tx' || !e.first) return;
    const eth = parseEthernet(e.bytes, 0);
    if (!eth.ok || eth.value.etherType !== EtherType.IPV4) return; // ARP is not the script's business
    const ip = parseIpv4Header(e.bytes, 14);
    if (!ip.ok || ip.value.protocol !== IpProto.TCP) return;
    const t = parseTcp(e.bytes, ip.value.payloadOffset, ip.value.payloadOffset + ip.value.payloadLength);
    if (!t.ok) throw new Error(`the machine sent a malformed TCP header: ${t.error}`);
    const h = t.value;
    const kinds = parseTcpOptions(e.bytes, h.optionsOffset, h.payloadOffset);
    const vals = parseTcpOptionValues(e.bytes, h.optionsOffset, h.payloadOffset);
    const c = this.conn(h.dstPort);
    const syn = (h.flags & TcpFlag.SYN) !== 0;
    if (syn && c.myIsn === undefined) {
      c.myIsn = h.seq;
      c.myPort = h.srcPort;
      c.tsOk = c.peerOfferedTs && vals.tsVal !== undefined;
      c.wsOk = c.peerWscale !== undefined && vals.wscale !== undefined;
    }
    if (syn && !(h.flags & TcpFlag.ACK) && c.myIsn === h.seq) {
      // Our own SYN (active open): the peer's answer decides what is agreed.
      c.tsOk = vals.tsVal !== undefined;
      c.wsOk = vals.wscale !== undefined;
    }
    if (vals.tsVal !== undefined) c.myTsVal = vals.tsVal;
    const base = c.myIsn ?? 0;
    const seq = seqDiff(h.seq, base);
    const len = h.payloadLength;
    const end = seq + len + (syn ? 1 : 0) + (h.flags & TcpFlag.FIN ? 1 : 0);
    if (c.myIsn !== undefined && !(h.flags & TcpFlag.RST) && end > c.myNxt) c.myNxt = end;
    this.out.push({
      t: e.at,
      sport: h.srcPort,
      dport: h.dstPort,
      flags: tcpdumpFlags(h.flags),
      seq: c.myIsn === undefined ? h.seq : seq,
      ack: h.flags & TcpFlag.ACK ? seqDiff(h.ack, c.peerIsn) : 0,
      rawSeq: h.seq,
      rawAck: h.ack,
      win: h.window,
      len,
      opts: kinds.ok ? kinds.value.map((o) => o.kind) : ['malformed'],
      tsVal: vals.tsVal,
      tsEcr: vals.tsEcr,
      data: e.bytes.slice(h.payloadOffset, h.payloadOffset + len),
    });
  }

  private peerTs(): number {
    return (PEER_TS_BASE + Math.floor(this.now / MS)) >>> 0;
  }

  private injectArpRequest(): void {
    const peerMac = this.world.machine('client')!.nics[0]!.mac;
    const b = new Uint8Array(60);
    writeArp(b, 14, { op: ArpOp.REQUEST, sha: peerMac, spa: PEER, tha: 0, tpa: ME });
    writeEthernet(b, 0, { dst: 0xffffffffffff, src: peerMac, etherType: EtherType.ARP });
    this.machine.nics[0]!.deliver({ bytes: b, id: this.world.nextFrameId() });
  }

  /** Deliver one crafted segment from the peer into the machine's NIC (now, synchronously). */
  send(s: PeerSegment): Delivery {
    const port = s.port ?? this.current;
    const c = this.conn(port);
    const flags = parseFlags(s.flags);
    const syn = (flags & TcpFlag.SYN) !== 0;
    const data = typeof s.data === 'number' ? new Uint8Array(s.data).fill(0x78) : typeof s.data === 'string' ? Uint8Array.from(s.data, (ch) => ch.charCodeAt(0)) : (s.data ?? new Uint8Array(0));
    const relSeq = s.seq ?? c.peerNxt;
    const seq = s.rawSeq ?? seqAdd(c.peerIsn, relSeq);
    const ackOn = (flags & TcpFlag.ACK) !== 0;
    const ack = s.rawAck ?? (ackOn ? seqAdd(c.myIsn ?? 0, s.ack ?? c.myNxt) : 0);
    let opts: LinuxOptionRequest | undefined;
    if (s.opts === 'none') opts = undefined;
    else if (s.opts) opts = s.opts;
    else if (syn) opts = { mss: 1460, sackPerm: true, ts: { val: s.tsVal ?? this.peerTs(), ecr: ackOn ? c.myTsVal : 0 }, wscale: PEER_WSCALE };
    else if (c.tsOk) opts = { ts: { val: s.tsVal ?? this.peerTs(), ecr: c.myTsVal } };
    if (syn && !ackOn && s.rawSeq === undefined && relSeq === 0) {
      // The peer's opening SYN: remember what it offered.
      c.peerOfferedTs = opts?.ts !== undefined;
      c.peerWscale = opts?.wscale;
    }
    if (syn && ackOn) {
      // The peer's SYN-ACK to our SYN decides the agreed options.
      c.tsOk = c.tsOk && opts?.ts !== undefined;
      c.wsOk = c.wsOk && opts?.wscale !== undefined;
      c.peerWscale = opts?.wscale;
    }
    const win = s.win ?? (syn ? 64240 : c.wsOk ? 64240 >> (c.peerWscale ?? 0) : 64240);
    const options = opts ? linuxOptionLayout(opts) : undefined;
    const hdr = new Uint8Array(60);
    const tcpLen = writeTcp(hdr, 0, { srcPort: port, dstPort: c.myPort, seq, ack, flags, window: win, options, payloadLength: 0, src: PEER, dst: ME });
    const frame = new Uint8Array(Math.max(60, 14 + 20 + tcpLen + data.length));
    frame.set(hdr.subarray(0, tcpLen), 34);
    frame.set(data, 34 + tcpLen);
    writeTcp(frame, 34, { srcPort: port, dstPort: c.myPort, seq, ack, flags, window: win, options, payloadLength: data.length, src: PEER, dst: ME });
    writeIpv4(frame, 14, { id: 1, protocol: IpProto.TCP, src: PEER, dst: ME, payloadLength: tcpLen + data.length });
    writeEthernet(frame, 0, { dst: this.machine.nics[0]!.mac, src: this.world.machine('client')!.nics[0]!.mac, etherType: EtherType.IPV4 });
    const end = relSeq + data.length + (syn ? 1 : 0) + (flags & TcpFlag.FIN ? 1 : 0);
    if (s.rawSeq === undefined && relSeq === c.peerNxt && !(flags & TcpFlag.RST)) c.peerNxt = end;
    const id = this.world.nextFrameId();
    const before = this.machine.counters();
    const mark = this.events.length;
    this.machine.nics[0]!.deliver({ bytes: frame, id });
    const after = this.machine.counters();
    const counters: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) if (v !== before[k]) counters[k] = v - (before[k] ?? 0);
    const evs = this.events.slice(mark);
    return {
      drops: evs.filter((e) => e.type === 'drop').map((e) => e.reason!),
      counters,
      summary: evs.find((e) => e.type === 'deliver' && e.frameId === id)?.text ?? '',
    };
  }

  // ---------------------------------------------------------------- time and expectations

  /** Move virtual time forward. */
  advance(ns: number): this {
    this.world.sched.runUntil(this.now + ns);
    return this;
  }

  /** Segments the machine sent and the script has not consumed yet. */
  get pending(): readonly SentSegment[] {
    return this.out;
  }

  /**
   * Assert on the next segment the machine sent. With `within`, virtual time runs forward until it
   * appears (at most `within` ns); `elapsed` says how long that took.
   */
  expectSent(e: Expected, o: { within?: number } = {}): SentSegment & { elapsed: number } {
    const start = this.now;
    if (o.within !== undefined && this.out.length === 0) {
      const deadline = start + o.within;
      const sched = this.world.sched;
      for (;;) {
        const next = sched.nextTime();
        if (this.out.length || next === null || next > deadline) break;
        sched.step();
      }
      if (!this.out.length) sched.runUntil(deadline);
    }
    const seg = this.out.shift();
    if (!seg) {
      expect.fail(`expected [${e.flags}] from the machine, but it sent nothing (t=${(this.now / MS).toFixed(3)}ms${o.within !== undefined ? `, waited ${(o.within / MS).toFixed(3)}ms` : ''})`);
    }
    const actual: Record<string, unknown> = { flags: seg.flags, len: seg.len };
    const want: Record<string, unknown> = { flags: e.flags, len: e.len ?? 0 };
    for (const k of ['seq', 'ack', 'rawSeq', 'rawAck', 'win', 'opts'] as const) {
      if (e[k] !== undefined) {
        actual[k] = seg[k];
        want[k] = e[k];
      }
    }
    if (e.port !== undefined) {
      actual.port = seg.dport;
      want.port = e.port;
    }
    expect(actual, `next segment from the machine: ${render(seg)}`).toEqual(want);
    return { ...seg, elapsed: seg.t - start };
  }

  /** Assert the machine sends nothing for `ns` (0: nothing so far). */
  expectNothing(ns = 0): this {
    if (ns > 0) this.advance(ns);
    expect(this.out.map(render), 'the machine should have sent nothing').toEqual([]);
    return this;
  }

  // ---------------------------------------------------------------- tables, counters, drops

  /** The state of the current connection in the machine's tables ('CLOSED' when it has none). */
  state(port = this.current): string {
    return this.row(port)?.state ?? 'CLOSED';
  }

  row(port = this.current): SocketRow | undefined {
    const c = this.conn(port);
    return this.machine.sockets().find((r) => r.proto === 'tcp' && r.peerAddr === PEER && r.peerPort === port && r.localPort === c.myPort);
  }

  listener(): SocketRow | undefined {
    return this.machine.sockets().find((r) => r.proto === 'tcp' && r.state === 'LISTEN');
  }

  counter(name: string): number {
    return this.machine.counters()[name] ?? 0;
  }

  // ---------------------------------------------------------------- the app

  /** Run a job in the app now and return its result. */
  app<T>(fn: () => Sys<T>): T {
    const job: Job = { fn, done: false, result: undefined };
    this.jobs.push(job);
    this.cue.waitq.wake();
    this.world.sched.runUntil(this.now);
    if (!job.done) throw new Error('the app job blocked: use non-blocking calls');
    return job.result as T;
  }

  /** socket + bind(10.0.0.2:5000) + listen(backlog), non-blocking. */
  listen(backlog = 8): this {
    this.lfd = this.app(function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setNonblock(fd, true);
      expect(yield* sys.bind(fd, ME, SERVICE_PORT)).toBe(0);
      expect(yield* sys.listen(fd, backlog)).toBe(0);
      return fd;
    });
    return this;
  }

  /** accept() on the listener: the new fd (non-blocking) or the errno name. */
  accept(): number | string {
    const lfd = this.lfd;
    const r = this.app(function* () {
      const a = yield* sys.accept(lfd);
      if (isErr(a)) return a;
      yield* sys.setNonblock((a as Accepted).fd, true);
      return (a as Accepted).fd;
    });
    if (isErr(r)) return r.name;
    this.fd = r;
    return r;
  }

  /** A non-blocking connect() to the peer's port 5000: the connection under test is now that one. */
  connect(port = SERVICE_PORT): string {
    this.peer(port);
    const r = this.app(function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setNonblock(fd, true);
      return { fd, r: yield* sys.connect(fd, PEER, port) };
    });
    this.fd = r.fd;
    return isErr(r.r) ? r.r.name : String(r.r);
  }

  close(fd = this.fd): string {
    return result(this.app(() => sys.close(fd)));
  }

  shutdown(how: ShutdownHow, fd = this.fd): string {
    return result(this.app(() => sys.shutdown(fd, how)));
  }

  /** send() n bytes of 'd': the count or the errno name. */
  write(n: number, fd = this.fd): string {
    return result(this.app(() => sys.send(fd, new Uint8Array(n).fill(0x64))));
  }

  /** recv(): 'EOF', the byte count ('5 bytes'), or the errno name. */
  read(fd = this.fd): string {
    const r = this.app(() => sys.recv(fd));
    if (isErr(r)) return r.name;
    return r.length === 0 ? 'EOF' : `${r.length} bytes`;
  }

  /** getsockopt(SO_ERROR) as an errno name, or '0'. */
  soError(fd = this.fd): string {
    const v = this.app(() => sys.getsockopt(fd, 'SO_ERROR'));
    if (isErr(v)) return v.name;
    if (v === 0) return '0';
    return (Object.keys(ERRNO) as (keyof typeof ERRNO)[]).find((k) => ERRNO[k][0] === v) ?? String(v);
  }

  // ---------------------------------------------------------------- the state builders

  /** LISTEN -> (peer SYN) -> SYN_RECV: a request sock; the SYN-ACK is checked and consumed. */
  toSynRecv(): this {
    if (this.lfd < 0) this.listen();
    this.send({ flags: 'S' });
    this.expectSent({ flags: 'S.', seq: 0, ack: 1, win: 65160, opts: ['mss', 'sackPerm', 'timestamp', 'nop', 'wscale'] });
    expect(this.state()).toBe('SYN_RECV');
    return this;
  }

  /** Passive open to ESTABLISHED; the child is accepted (this.fd). */
  toEstablished(): this {
    this.toSynRecv();
    this.advance(RTT);
    const d = this.send({ flags: '.' });
    expect(d.drops).toEqual([]);
    this.expectNothing();
    expect(this.state()).toBe('ESTABLISHED');
    expect(typeof this.accept()).toBe('number');
    return this;
  }

  /** connect() -> SYN_SENT; the SYN is checked and consumed. */
  toSynSent(): this {
    expect(this.connect()).toBe('EINPROGRESS');
    this.expectSent({ flags: 'S', seq: 0, win: 64240, opts: ['mss', 'sackPerm', 'timestamp', 'nop', 'wscale'] });
    expect(this.state()).toBe('SYN_SENT');
    return this;
  }

  /** Active open to ESTABLISHED (the handshake gives an RTT sample of RTT). */
  toEstablishedActive(): this {
    this.toSynSent();
    this.advance(RTT);
    this.send({ flags: 'S.', seq: 0, ack: 1 });
    this.expectSent({ flags: '.', seq: 1, ack: 1 });
    expect(this.state()).toBe('ESTABLISHED');
    expect(this.soError()).toBe('0');
    return this;
  }

  /** ESTABLISHED -> FIN_WAIT1 by close() (orphan) or shutdown(SHUT_WR); our FIN is consumed. */
  toFinWait1(o: { by?: 'close' | 'shutdown'; active?: boolean } = {}): this {
    if (o.active) this.toEstablishedActive();
    else this.toEstablished();
    if ((o.by ?? 'close') === 'close') expect(this.close()).toBe('0');
    else expect(this.shutdown('wr')).toBe('0');
    this.expectSent({ flags: 'F.', seq: 1, ack: 1 });
    expect(this.state()).toBe('FIN_WAIT1');
    return this;
  }

  /** FIN_WAIT1 -> (ACK of our FIN) -> FIN_WAIT2. */
  toFinWait2(o: { by?: 'close' | 'shutdown'; active?: boolean } = {}): this {
    this.toFinWait1(o);
    this.advance(RTT);
    this.send({ flags: '.', ack: 2 });
    this.expectNothing();
    expect(this.state()).toBe('FIN_WAIT2');
    return this;
  }

  /** FIN_WAIT2 -> (peer FIN) -> TIME_WAIT; our ACK is consumed. */
  toTimeWait(o: { by?: 'close' | 'shutdown'; active?: boolean } = {}): this {
    this.toFinWait2(o);
    this.send({ flags: 'F.' });
    this.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(this.state()).toBe('TIME_WAIT');
    return this;
  }

  /** FIN_WAIT1 -> (peer FIN that does not ack ours) -> CLOSING; our ACK is consumed. */
  toClosing(o: { by?: 'close' | 'shutdown'; active?: boolean } = {}): this {
    this.toFinWait1(o);
    this.send({ flags: 'F.', ack: 1 });
    this.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(this.state()).toBe('CLOSING');
    return this;
  }

  /** ESTABLISHED -> (peer FIN) -> CLOSE_WAIT; the delayed ACK (40 ms) is consumed. */
  toCloseWait(o: { active?: boolean } = {}): this {
    if (o.active) this.toEstablishedActive();
    else this.toEstablished();
    this.send({ flags: 'F.' });
    expect(this.state()).toBe('CLOSE_WAIT');
    this.expectSent({ flags: '.', seq: 1, ack: 2 }, { within: 200 * MS });
    return this;
  }

  /** CLOSE_WAIT -> close() -> LAST_ACK; our FIN is consumed. */
  toLastAck(o: { active?: boolean } = {}): this {
    this.toCloseWait(o);
    expect(this.close()).toBe('0');
    this.expectSent({ flags: 'F.', seq: 1, ack: 2 });
    expect(this.state()).toBe('LAST_ACK');
    return this;
  }
}

function result(v: unknown): string {
  return isErr(v) ? v.name : String(v);
}

/** A fresh script (the machine under test is idle, nothing listens). */
export function script(opts: ScriptOptions = {}): Script {
  return new Script(opts);
}
