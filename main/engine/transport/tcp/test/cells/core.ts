// The packet-script engine (DESIGN.md section 8, habit 8). One machine runs the real stack
// ("server", 10.0.0.2, the machine under test); the test plays its peer (10.0.0.1): send() delivers
// a crafted segment into the machine's NIC (synchronously, at the current virtual time),
// expectSent() reads the next TCP segment the machine put on its wire, advance() moves virtual
// time. The peer host's own stack only answers ARP (so the machine's neighbour entry for it stays
// valid); every IPv4 frame reaching it is swallowed, so nothing but the script answers the machine.
//
// The socket under test is driven with real syscalls by a program ("app") that runs one job per
// cue: app(function* () { ... }) runs the job now and returns its result. Every fd the app opens is
// O_NONBLOCK, so a job never sleeps (connect -> EINPROGRESS, accept/recv -> EAGAIN).
//
// Sequence numbers are relative, like tcpdump's: the peer's to its ISN (chosen by the script), the
// machine's to the ISN it chose (learned from its SYN or SYN-ACK, per peer port).
import { expect } from 'vitest';
import type { SocketRow } from '../../../../../../shared/api/kernel-view';
import type { FrameEvent, KernelEvent, TraceSink } from '../../../../../../shared/trace';
import { ArpOp, EtherType, parseEthernet, seqAdd, seqDiff, TcpFlag, writeArp, writeEthernet, type LinuxOptionRequest } from '../../../../../../shared/wire';
import type { Machine } from '../../../../machine';
import { AGAIN, ERRNO, isErr, POLLIN, sys, type Accepted, type FileObject, type Process, type ShutdownHow, type Sys } from '../../../../process';
import { MS, WaitQueue } from '../../../../sim';
import { twoHosts } from '../../../../test/lab-fixtures';
import { World } from '../../../../world';
import {
  ME,
  PEER,
  PEER_ISN,
  PEER_PORT,
  PEER_TS_BASE,
  PEER_WSCALE,
  SERVICE_PORT,
  parseFlags,
  parseSent,
  payload,
  peerFrame,
  render,
  renderExpected,
  tcpdumpFlags,
  type Delivery,
  type Expected,
  type PeerSegment,
  type SentSegment,
} from './segments';

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

interface Job {
  fn: () => Sys<unknown>;
  done: boolean;
  result: unknown;
}

/** The file the app reads its cues from: readable while a job is queued. */
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

export interface ScriptOptions {
  /** sysctl overrides for the machine under test, e.g. { 'net.ipv4.tcp_syncookies': '0' }. */
  sysctl?: Record<string, string>;
}

const result = (v: unknown): string => (isErr(v) ? v.name : String(v));

export class MachineScript {
  readonly world: World;
  readonly machine: Machine;
  readonly proc: Process;
  /** The listening socket's fd, once listen() ran. */
  lfd = -1;
  /** The fd of the connection under test (accepted or connecting). */
  fd = -1;
  private readonly out: SentSegment[] = [];
  private readonly events: KernelEvent[] = [];
  private readonly conns = new Map<number, Conn>();
  private current = PEER_PORT;
  private readonly jobs: Job[] = [];
  private readonly cue: CueFile;

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

  /** Talk as the peer from another port (another client), optionally with another ISN. */
  peer(port: number, isn = PEER_ISN): this {
    this.current = port;
    const c = this.conn(port);
    if (c.peerNxt === 0) c.peerIsn = isn;
    return this;
  }

  /** A new incarnation of the current 4-tuple: forget the machine's ISN, start the peer at `rawIsn`. */
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
    const s = parseSent(e.bytes); // ARP and the rest are not the script's business
    if (!s) return;
    const c = this.conn(s.dport);
    const syn = (s.flags & TcpFlag.SYN) !== 0;
    if (syn && c.myIsn === undefined) {
      c.myIsn = s.seq;
      c.myPort = s.sport;
      // A SYN-ACK answers the peer's SYN: what both offered is agreed. A SYN (active open) waits
      // for the peer's SYN-ACK (see send()).
      const synAck = (s.flags & TcpFlag.ACK) !== 0;
      c.tsOk = s.vals.tsVal !== undefined && (!synAck || c.peerOfferedTs);
      c.wsOk = s.vals.wscale !== undefined && (!synAck || c.peerWscale !== undefined);
    }
    if (s.vals.tsVal !== undefined) c.myTsVal = s.vals.tsVal;
    const base = c.myIsn ?? 0;
    const seq = seqDiff(s.seq, base);
    const end = seq + s.data.length + (syn ? 1 : 0) + (s.flags & TcpFlag.FIN ? 1 : 0);
    if (c.myIsn !== undefined && !(s.flags & TcpFlag.RST) && end > c.myNxt) c.myNxt = end;
    this.out.push({
      t: e.at,
      sport: s.sport,
      dport: s.dport,
      flags: tcpdumpFlags(s.flags),
      seq: c.myIsn === undefined ? s.seq : seq,
      ack: s.flags & TcpFlag.ACK ? seqDiff(s.ack, c.peerIsn) : 0,
      rawSeq: s.seq,
      rawAck: s.ack,
      win: s.win,
      len: s.data.length,
      opts: s.opts,
      tsVal: s.vals.tsVal,
      tsEcr: s.vals.tsEcr,
      data: s.data,
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

  /** Deliver one crafted segment from the peer into the machine's NIC, now. */
  send(s: PeerSegment): Delivery {
    const port = s.port ?? this.current;
    const c = this.conn(port);
    const flags = parseFlags(s.flags);
    const syn = (flags & TcpFlag.SYN) !== 0;
    const ackOn = (flags & TcpFlag.ACK) !== 0;
    const data = payload(s.data);
    const relSeq = s.seq ?? c.peerNxt;
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
    const frame = peerFrame(
      { src: this.world.machine('client')!.nics[0]!.mac, dst: this.machine.nics[0]!.mac },
      {
        sport: port,
        dport: c.myPort,
        seq: s.rawSeq ?? seqAdd(c.peerIsn, relSeq),
        ack: s.rawAck ?? (ackOn ? seqAdd(c.myIsn ?? 0, s.ack ?? c.myNxt) : 0),
        flags,
        win: s.win ?? (syn ? 64240 : c.wsOk ? 64240 >> (c.peerWscale ?? 0) : 64240),
        opts,
        data,
      },
    );
    if (s.rawSeq === undefined && relSeq === c.peerNxt && !(flags & TcpFlag.RST)) c.peerNxt = relSeq + data.length + (syn ? 1 : 0) + (flags & TcpFlag.FIN ? 1 : 0);
    const id = this.world.nextFrameId();
    const before = this.machine.counters();
    const mark = this.events.length;
    this.machine.nics[0]!.deliver({ bytes: frame, id });
    const counters: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.machine.counters())) if (v !== before[k]) counters[k] = v - (before[k] ?? 0);
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

  /** Segments the machine sent that the script has not consumed yet. */
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
    const waited = o.within !== undefined ? `, waited ${(o.within / MS).toFixed(3)}ms` : '';
    if (!seg) expect.fail(`expected ${renderExpected(e)} from the machine, but it sent nothing (t=${(this.now / MS).toFixed(3)}ms${waited})`);
    const actual: Record<string, unknown> = { flags: seg.flags, len: seg.len };
    const want: Record<string, unknown> = { flags: e.flags, len: e.len ?? 0 };
    for (const k of ['seq', 'ack', 'rawSeq', 'rawAck', 'win', 'opts'] as const) {
      if (e[k] === undefined) continue;
      actual[k] = seg[k];
      want[k] = e[k];
    }
    if (e.port !== undefined) {
      actual.port = seg.dport;
      want.port = e.port;
    }
    expect(actual, `expected ${renderExpected(e)}, the machine sent ${render(seg)}`).toEqual(want);
    return { ...seg, elapsed: seg.t - start };
  }

  /** Assert the machine sends nothing for `ns` (0: has sent nothing unconsumed so far). */
  expectNothing(ns = 0): this {
    if (ns > 0) this.advance(ns);
    const sent = this.out.map(render);
    expect(sent, `the machine should have sent nothing, but sent: ${sent.join('; ')}`).toEqual([]);
    return this;
  }

  // ---------------------------------------------------------------- tables and counters

  /** The state of the current connection in the machine's tables ('CLOSED' when it has none). */
  state(port = this.current): string {
    const s = this.row(port)?.state;
    return s === undefined || s === 'CLOSE' ? 'CLOSED' : s;
  }

  /** The ss row of the current connection (full socket, request sock or TIME_WAIT entry). */
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

  /** accept() on the listener: the new fd (non-blocking, now the connection under test) or the errno name. */
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

  /** A non-blocking connect() to the peer's `port`, which becomes the current connection. */
  connect(port = SERVICE_PORT): string {
    this.peer(port);
    const r = this.app(function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setNonblock(fd, true);
      return { fd, r: yield* sys.connect(fd, PEER, port) };
    });
    this.fd = r.fd;
    return result(r.r);
  }

  /** connect() again on the connection under test (how a non-blocking connect's outcome is reported): '0' or the errno name. */
  connectAgain(): string {
    const fd = this.fd;
    return result(this.app(() => sys.connect(fd, PEER, SERVICE_PORT)));
  }

  close(fd = this.fd): string {
    return result(this.app(() => sys.close(fd)));
  }

  /** listen() on an existing socket (the connection under test by default): '0' or the errno name. */
  listenOn(fd = this.fd, backlog = 8): string {
    return result(this.app(() => sys.listen(fd, backlog)));
  }

  shutdown(how: ShutdownHow, fd = this.fd): string {
    return result(this.app(() => sys.shutdown(fd, how)));
  }

  /** send() n bytes: the count or the errno name. */
  write(n: number, fd = this.fd): string {
    return result(this.app(() => sys.send(fd, new Uint8Array(n).fill(0x64))));
  }

  /** recv(): 'EOF', '<n> bytes', or the errno name. */
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
}
