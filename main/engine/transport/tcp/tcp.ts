// The TCP protocol of one machine (Linux tcp_prot + inet_hashinfo): the established hash (full
// sockets, request socks and TIME_WAIT entries by exact 4-tuple), the listening hash, the port
// table, and the entry point for every received segment with its delivery record.
import type { LookupStep, SocketStateName, TcpStateName } from '../../../../shared/api/kernel-view';
import { IpProto, seqAdd, seqDiff, seqGt, seqLt, TcpFlag } from '../../../../shared/wire';
import type { IcmpErrorReport } from '../../net/icmp';
import type { IpPacket } from '../../net/stack';
import { AGAIN, Errno, type Again, type ErrnoName } from '../../process';
import { fmtEndpoint, type TransportEnv } from '../env';
import { PortTable } from '../ports';
import { negotiate, oowAllowed, segmentArrives, type InputOutcome } from './input';
import { ackAfterRead, timeWaitReuseIsn, tsVal } from './kernels';
import { TcpKeys } from './keys';
import { peerOptions, RequestSock, sendSynack, synackWindow, type ListenOutcome } from './listen';
import { resetFor, transmit } from './output';
import { advertisedMss, rcvWscale, synackTimeout, TCP_SYNCOOKIE_VALID_NS, TCP_TIMEWAIT_LEN_NS } from './params';
import { flagText, has, parseSegment, type Segment } from './segment';
import { TcpSock } from './sock';
import { TimeWaitSock } from './timewait';
import { armRetransmit, retransmitHead, sendActiveReset, sendAck, sendSyn, stopRetransmit, writeXmit } from './xmit';

type Entry = TcpSock | RequestSock | TimeWaitSock;

/**
 * The established-hash key: the 4-tuple as six 16-bit code units. String.fromCharCode builds one flat
 * 32-byte string (a template literal would leave a tree of pieces per socket).
 */
const key4 = (laddr: number, lport: number, raddr: number, rport: number) =>
  String.fromCharCode(laddr >>> 16, laddr & 0xffff, lport, raddr >>> 16, raddr & 0xffff, rport);

export class Tcp {
  readonly ports = new PortTable();
  readonly ehash = new Map<string, Entry>();
  /** Listeners by "addr:port"; several when they share the port with SO_REUSEPORT (a reuseport group). */
  private readonly lhash = new Map<string, TcpSock[]>();
  /** Every full socket not yet destroyed (owned or orphaned), for ss. */
  readonly socks = new Set<TcpSock>();
  readonly keys: TcpKeys;

  constructor(readonly env: TransportEnv) {
    env.stack.protocols.set(IpProto.TCP, (p) => this.receive(p));
    env.icmp.errorHandlers.set(IpProto.TCP, (r) => this.icmpError(r));
    this.keys = new TcpKeys(env.rng);
  }

  create(): TcpSock {
    const sk = new TcpSock(this, this.env.newInode());
    sk.rcvWscale = rcvWscale();
    return sk;
  }

  // ------------------------------------------------------------- tables

  private hash(sk: Entry): void {
    this.ehash.set(key4(sk.localAddr, sk.localPort, sk.peerAddr, sk.peerPort), sk);
  }

  private unhash(sk: Entry): void {
    const k = key4(sk.localAddr, sk.localPort, sk.peerAddr, sk.peerPort);
    if (this.ehash.get(k) === sk) this.ehash.delete(k);
  }

  /** __inet_lookup: established hash, then listener by address, then the wildcard listener. */
  lookup(seg: Segment): { entry?: Entry; steps: LookupStep[] } {
    const steps: LookupStep[] = [];
    const k = `${fmtEndpoint(seg.dst, seg.dport)} <- ${fmtEndpoint(seg.src, seg.sport)}`;
    const e = this.ehash.get(key4(seg.dst, seg.dport, seg.src, seg.sport));
    steps.push({ table: 'established', key: k, hit: !!e });
    if (e) return { entry: e, steps };
    const byAddr = this.listener(seg.dst, seg);
    steps.push({ table: 'listener', key: fmtEndpoint(seg.dst, seg.dport), hit: !!byAddr });
    if (byAddr) return { entry: byAddr, steps };
    const any = this.listener(0, seg);
    steps.push({ table: 'listener-any', key: `0.0.0.0:${seg.dport}`, hit: !!any });
    return { entry: any, steps };
  }

  /**
   * The listener for a segment on (addr, dport): with an SO_REUSEPORT group, one member chosen by
   * a hash of the client's address and port (reuseport_select_sock), so each client sticks to one.
   */
  private listener(addr: number, seg: Segment): TcpSock | undefined {
    const group = this.lhash.get(`${addr}:${seg.dport}`);
    if (!group || group.length === 0) return undefined;
    if (group.length === 1) return group[0];
    return group[this.keys.reuseportHash(seg.src, seg.sport, seg.dst, seg.dport) % group.length];
  }

  // ------------------------------------------------------------- receive

  private receive(p: IpPacket): void {
    const { env } = this;
    const seg = parseSegment(p);
    if ('reason' in seg) {
      env.stack.bump(seg.reason === 'TCP_CSUM' ? 'TcpInCsumErrors' : 'TcpInErrs');
      env.drop(seg.reason, p.frameId, seg.text);
      return;
    }
    env.stack.bump('TcpInSegs');
    const { entry, steps } = this.lookup(seg);
    let out: InputOutcome | ListenOutcome;
    let sockInfo: Entry | undefined = entry;
    if (!entry) out = this.noSocket(seg);
    else if (entry instanceof TimeWaitSock) out = this.timeWaitReceive(entry, seg);
    else if (entry instanceof RequestSock) {
      const r = this.requestReceive(entry, seg);
      out = r;
      if (r.child) sockInfo = r.child;
    } else if (entry.state === 'LISTEN') {
      const r = this.listenReceive(entry, seg);
      out = r;
    } else out = segmentArrives(entry, seg);
    if (out.drop) env.drop(out.drop.reason, seg.frameId, out.drop.text);
    env.delivered({
      frameId: seg.frameId,
      protocol: 'tcp',
      steps,
      socket: sockInfo ? this.describe(sockInfo) : undefined,
      queue: out.queue,
      stateChange: out.stateChange,
      drop: out.drop,
      reply: out.reply,
      summary: `[${flagText(seg.flags)}] ${out.summary}`,
    });
  }

  private describe(e: Entry): NonNullable<Parameters<TransportEnv['delivered']>[0]['socket']> {
    const isSock = e instanceof TcpSock;
    const state: SocketStateName = e instanceof TimeWaitSock ? 'TIME_WAIT' : e instanceof RequestSock ? 'SYN_RECV' : e.state;
    const inode = isSock ? e.inode : e instanceof RequestSock ? e.listener.inode : 0;
    const listening = isSock && e.state === 'LISTEN';
    return {
      inode,
      kind: e.kind === 'request' ? 'request' : e.kind === 'timewait' ? 'timewait' : 'socket',
      local: fmtEndpoint(e.localAddr, e.localPort),
      peer: listening ? '0.0.0.0:*' : fmtEndpoint(e.peerAddr, e.peerPort),
      state,
      owners: inode ? this.env.owners(inode) : [],
    };
  }

  /** No socket: RST (tcp_v4_send_reset), never for an RST. */
  private noSocket(seg: Segment): InputOutcome {
    const r = resetFor(this.env, seg);
    return { drop: { reason: 'NO_SOCKET', text: `no socket for port ${seg.dport}` }, reply: r ?? undefined, summary: r ? `no socket: answered with ${r}` : 'no socket, and an RST is never answered' };
  }

  // ------------------------------------------------------------- listen

  private listenReceive(l: TcpSock, seg: Segment): ListenOutcome {
    const { env } = this;
    if (has(seg, TcpFlag.RST)) return { drop: { reason: 'TCP_RESET', text: 'RST to a listening socket is ignored' }, summary: 'RST to a listener: ignored' };
    if (has(seg, TcpFlag.ACK)) {
      if (!has(seg, TcpFlag.SYN)) return this.cookieAck(l, seg);
      const r = resetFor(env, seg); // SYN+ACK to a listener
      return { drop: { reason: 'TCP_FLAGS', text: 'SYN-ACK to a listener' }, reply: r ?? undefined, summary: 'SYN-ACK to a listener: RST' };
    }
    if (!has(seg, TcpFlag.SYN)) return { drop: { reason: 'TCP_FLAGS', text: 'no SYN, no ACK' }, summary: 'neither SYN nor ACK: dropped' };
    if (has(seg, TcpFlag.FIN)) return { drop: { reason: 'TCP_FLAGS', text: 'SYN+FIN' }, summary: 'SYN+FIN: dropped' };
    return this.connRequest(l, seg);
  }

  /** tcp_conn_request. */
  private connRequest(l: TcpSock, seg: Segment, isn?: number): ListenOutcome {
    const { env } = this;
    const sysctl = env.sysctl;
    const cookies = sysctl.int('net.ipv4.tcp_syncookies');
    const reqQFull = l.reqs.size > l.backlog;
    let wantCookie = false;
    if ((cookies === 2 || reqQFull) && isn === undefined) {
      if (cookies) {
        wantCookie = true;
        if (reqQFull) env.stack.bump('TcpExtTCPReqQFullDoCookies');
      } else {
        env.stack.bump('TcpExtTCPReqQFullDrop');
        this.listenDrop();
        return { drop: { reason: 'TCP_REQQFULLDROP', text: `SYN queue full (${l.reqs.size} > backlog ${l.backlog}) and tcp_syncookies=0` }, summary: 'SYN queue full: SYN dropped (no SYN cookies)' };
      }
    }
    if (l.acceptQ.length > l.backlog) {
      env.stack.bump('TcpExtListenOverflows');
      this.listenDrop();
      return { drop: { reason: 'LISTEN_OVERFLOW', text: `accept queue full (${l.acceptQ.length} > backlog ${l.backlog})` }, summary: `accept queue full (${l.acceptQ.length} waiting, backlog ${l.backlog}): SYN dropped, no reply` };
    }
    if (!wantCookie && cookies === 0) {
      const max = sysctl.int('net.ipv4.tcp_max_syn_backlog');
      if (max - l.reqs.size < max >> 2) {
        this.listenDrop();
        return { drop: { reason: 'TCP_REQQFULLDROP', text: 'SYN backlog nearly full' }, summary: 'SYN queue nearly full (tcp_max_syn_backlog): dropped' };
      }
    }
    const peer = peerOptions(seg, sysctl);
    const tsOffset = this.keys.tsOffset(seg.dst, seg.src);
    if (wantCookie) {
      l.lastSynqOverflow = env.sched.now;
      env.stack.bump('TcpExtSyncookiesSent');
      const cookie = this.keys.cookie({ addr: seg.dst, port: seg.dport }, { addr: seg.src, port: seg.sport, isn: seg.seq }, peer.mss, env.sched.now);
      const req = new RequestSock(l, seg.dst, seg.dport, seg.src, seg.sport, cookie, seg.seq, peer, tsOffset);
      if (peer.tsVal !== undefined) req.tsValOverride = this.keys.cookieTs(env.sched.now, tsOffset, peer.wscale, peer.sackOk);
      sendSynack(l, req); // no state kept: the ISN itself remembers what is needed
      return { reply: 'SYN-ACK (SYN cookie)', summary: `SYN queue full (${l.reqs.size} > backlog ${l.backlog}): SYN cookie sent, no state kept` };
    }
    const iss = isn ?? this.keys.isn(seg.dst, seg.dport, seg.src, seg.sport, env.sched.now);
    const req = new RequestSock(l, seg.dst, seg.dport, seg.src, seg.sport, iss, seg.seq, peer, tsOffset);
    l.reqs.add(req);
    this.hash(req);
    sendSynack(l, req);
    this.armRequest(req);
    return { queue: 'SYN queue', reply: 'SYN-ACK', stateChange: { from: 'LISTEN', to: 'SYN_RECV' }, summary: `SYN: request sock created in the SYN queue (${l.reqs.size}/${l.backlog + 1}), SYN-ACK sent` };
  }

  private listenDrop(): void {
    this.env.stack.bump('TcpExtListenDrops');
  }

  /** reqsk_timer_handler: SYN-ACK again at 1, 3, 7, 15, 31 s; the request dies silently at 63 s. */
  private armRequest(req: RequestSock): void {
    const { sched } = this.env;
    req.timer = sched.after(synackTimeout(req.numTimeout), () => {
      req.timer = null;
      const l = req.listener;
      if (req.orphaned || l.state !== 'LISTEN' || req.numTimeout >= this.env.sysctl.int('net.ipv4.tcp_synack_retries')) {
        this.dropRequest(req);
        return;
      }
      req.numTimeout++;
      this.env.stack.bump('TcpRetransSegs');
      sendSynack(l, req);
      this.armRequest(req);
    });
  }

  private dropRequest(req: RequestSock): void {
    this.env.sched.cancel(req.timer);
    req.listener.reqs.delete(req);
    this.unhash(req);
  }

  /** tcp_check_req (net/ipv4/tcp_minisocks.c), in its order, for a segment matching a request sock. */
  private requestReceive(req: RequestSock, seg: Segment): ListenOutcome {
    const { env } = this;
    const l = req.listener;
    if (req.orphaned || l.state !== 'LISTEN') {
      this.dropRequest(req);
      return this.noSocket(seg);
    }
    const flags = seg.flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST | TcpFlag.FIN);
    // 1. The client's SYN again: our SYN-ACK was lost (inet_rtx_syn_ack).
    if (seg.seq === req.irs && flags === TcpFlag.SYN) {
      sendSynack(l, req);
      return { reply: 'SYN-ACK', summary: 'retransmitted SYN: SYN-ACK sent again' };
    }
    // 2. An ACK that does not acknowledge our SYN-ACK: the caller resets (never an RST, though).
    if (has(seg, TcpFlag.ACK) && seg.ack !== seqAdd(req.iss, 1)) {
      const r = resetFor(env, seg);
      return { drop: { reason: 'TCP_INVALID_SEQUENCE', text: 'ACK does not acknowledge our SYN-ACK' }, reply: r ?? undefined, summary: r ? 'bad ACK for a request sock: RST' : 'RST with a wrong ACK for a request sock: ignored' };
    }
    // 3. tcp_in_window: outside the offered window -> an ACK (unless it is an RST), request kept.
    const rcvNxt = seqAdd(req.irs, 1);
    const wnd = synackWindow(req);
    const inWindow = seg.seq === rcvNxt || (seqGt(seg.endSeq, rcvNxt) && seqLt(seg.seq, seqAdd(rcvNxt, wnd))) || (seg.seq === seqAdd(rcvNxt, wnd) && seg.seq === seg.endSeq);
    if (!inWindow) {
      if (has(seg, TcpFlag.RST)) return { drop: { reason: 'TCP_INVALID_SEQUENCE', text: 'RST outside the window' }, summary: 'RST outside the window: ignored, request kept' };
      this.requestAck(req, wnd);
      return { drop: { reason: 'TCP_INVALID_SEQUENCE', text: 'segment outside the window' }, reply: 'ACK', summary: 'segment outside the request\'s window: ACK sent, request kept' };
    }
    // 4. RST or SYN in the window: an embryonic reset (RST answered with nothing, SYN with R.).
    if (has(seg, TcpFlag.RST) || has(seg, TcpFlag.SYN)) {
      env.stack.bump('TcpAttemptFails');
      env.stack.bump('TcpExtEmbryonicRsts');
      const r = has(seg, TcpFlag.RST) ? null : resetFor(env, seg);
      this.dropRequest(req);
      return { drop: { reason: has(seg, TcpFlag.RST) ? 'TCP_RESET' : 'TCP_INVALID_SYN', text: 'embryonic reset' }, reply: r ?? undefined, summary: `${has(seg, TcpFlag.RST) ? 'RST' : 'SYN'} in the window of a request sock: request removed${r ? `, answered with ${r}` : ''}` };
    }
    if (!has(seg, TcpFlag.ACK)) return { drop: { reason: 'TCP_FLAGS', text: 'no ACK for a request sock' }, summary: 'no ACK: dropped' };
    return this.createChild(l, req, seg);
  }

  /** tcp_v4_reqsk_send_ack: seq iss+1, ack irs+1, the offered window scaled, timestamps. */
  private requestAck(req: RequestSock, wnd: number): void {
    const { env } = this;
    const wscale = req.peer.wscale !== undefined ? req.listener.rcvWscale : 0;
    const ts = req.peer.tsVal !== undefined ? { ts: { val: tsVal(env.sched.now, req.tsOffset), ecr: req.peer.tsVal } } : undefined;
    transmit(env, req, { seq: seqAdd(req.iss, 1), ack: seqAdd(req.irs, 1), flags: TcpFlag.ACK, window: wnd >> wscale, options: ts });
  }

  /** tcp_v4_syn_recv_sock: the accept queue must have room (it holds backlog+1). */
  private createChild(l: TcpSock, req: RequestSock, seg: Segment, fromCookie = false): ListenOutcome {
    const { env } = this;
    if (l.acceptQ.length > l.backlog) {
      env.stack.bump('TcpExtListenOverflows');
      this.listenDrop();
      if (fromCookie) return { drop: { reason: 'LISTEN_OVERFLOW', text: 'accept queue full: cookie ACK dropped' }, summary: 'valid SYN cookie, but the accept queue is full: dropped silently (no state, no RST)' };
      if (env.sysctl.int('net.ipv4.tcp_abort_on_overflow')) {
        this.dropRequest(req);
        env.stack.bump('TcpExtEmbryonicRsts');
        const r = resetFor(env, seg);
        return { drop: { reason: 'LISTEN_OVERFLOW', text: 'accept queue full, tcp_abort_on_overflow=1' }, reply: r ?? undefined, summary: 'accept queue full: RST (tcp_abort_on_overflow=1)' };
      }
      return { drop: { reason: 'LISTEN_OVERFLOW', text: `accept queue full (${l.acceptQ.length} > backlog ${l.backlog})` }, summary: 'final ACK dropped: accept queue full; the request stays in SYN_RECV and its SYN-ACK will be retransmitted' };
    }
    if (!fromCookie) this.dropRequest(req);
    const c = this.create();
    c.localAddr = req.localAddr;
    c.localPort = l.localPort; // the child keeps the listener's port (inet_csk_clone_lock)
    c.peerAddr = req.peerAddr;
    c.peerPort = req.peerPort;
    c.iss = req.iss;
    c.sndUna = seqAdd(req.iss, 1);
    c.sndNxt = c.sndUna;
    c.irs = req.irs;
    c.rcvNxt = seqAdd(req.irs, 1);
    c.rcvWup = c.rcvNxt;
    c.rcvWnd = synackWindow(req);
    c.tsOffset = req.tsOffset;
    c.rcvWscale = req.peer.wscale !== undefined ? l.rcvWscale : 0;
    negotiate(c, { ...seg, opts: { mss: req.peer.mss, wscale: req.peer.wscale, sackPermitted: req.peer.sackOk, tsVal: req.peer.tsVal } });
    if (c.tsOk && seg.opts.tsVal !== undefined) c.tsRecent = seg.opts.tsVal;
    c.sndWnd = seg.window << c.sndWscale;
    c.sndWl1 = seg.seq;
    c.sndWl2 = seg.ack;
    c.state = 'ESTABLISHED';
    c.carried = true; // set here too: a child's state is set directly, not through setState
    // tcp_synack_rtt_meas: the handshake gives the first RTT sample unless the SYN-ACK was resent.
    if (req.numTimeout === 0 && !fromCookie) c.rtt.sample(env.sched.now - req.synackAt, c.sndUna, c.sndNxt);
    c.parent = l;
    c.queued = true;
    c.reuseAddr = l.reuseAddr;
    this.hash(c);
    this.socks.add(c);
    l.acceptQ.push(c);
    env.stack.bump('TcpPassiveOpens');
    this.stateChanged(c, 'SYN_RECV', 'ESTABLISHED', 'final ACK of the handshake');
    l.waitq.wake();
    let extra = '';
    if (seg.data.length || has(seg, TcpFlag.FIN)) {
      const r = segmentArrives(c, seg);
      extra = `; ${r.summary}`;
    }
    return {
      queue: 'accept queue',
      stateChange: { from: 'SYN_RECV', to: 'ESTABLISHED' },
      child: c,
      summary: `handshake complete${fromCookie ? ' (from a SYN cookie)' : ''}: child socket on ${fmtEndpoint(c.localAddr, c.localPort)} (the listener's port) queued for accept() (${l.acceptQ.length}/${l.backlog + 1})${extra}`,
    };
  }

  /** An ACK reaching a listener: a SYN-cookie connection (cookie_v4_check), or nothing -> RST. */
  private cookieAck(l: TcpSock, seg: Segment): ListenOutcome {
    const { env } = this;
    const recent = l.lastSynqOverflow !== null && env.sched.now - l.lastSynqOverflow <= TCP_SYNCOOKIE_VALID_NS;
    if (recent && env.sysctl.int('net.ipv4.tcp_syncookies')) {
      const mss = this.keys.checkCookie(seg, env.sched.now);
      if (mss !== null) {
        env.stack.bump('TcpExtSyncookiesRecv');
        const tsOffset = this.keys.tsOffset(seg.dst, seg.src);
        // Without a timestamp echo the SYN's window scale and SACK are lost (README row 14).
        const opts = this.keys.cookieTsDecode(seg.opts.tsEcr, tsOffset);
        const req = new RequestSock(l, seg.dst, seg.dport, seg.src, seg.sport, seqAdd(seg.ack, -1), seqAdd(seg.seq, -1), { mss, wscale: opts?.sndWscale, sackOk: opts?.sackOk ?? false, tsVal: seg.opts.tsVal }, tsOffset);
        return this.createChild(l, req, seg, true);
      }
      env.stack.bump('TcpExtSyncookiesFailed');
    }
    const r = resetFor(env, seg);
    return { drop: { reason: recent ? 'SYNCOOKIE_INVALID' : 'NO_SOCKET', text: 'ACK to a listener without a connection' }, reply: r ?? undefined, summary: 'ACK to a listening socket with no request or valid cookie: RST' };
  }

  // ------------------------------------------------------------- TIME_WAIT

  /**
   * tcp_time_wait: replace the socket by a TIME_WAIT entry for 60 s, or (an orphan whose FIN was
   * acked) by a FIN_WAIT2 one for tcp_fin_timeout.
   */
  timeWait(sk: TcpSock, cause: string, substate: 'TIME_WAIT' | 'FIN_WAIT2' = 'TIME_WAIT'): void {
    const { env } = this;
    const timeout = substate === 'TIME_WAIT' ? TCP_TIMEWAIT_LEN_NS : env.sysctl.int('net.ipv4.tcp_fin_timeout') * 1e9;
    const tw = new TimeWaitSock(sk.localAddr, sk.localPort, sk.peerAddr, sk.peerPort, sk.sndNxt, sk.rcvNxt, sk.tsOk, sk.tsOffset, sk.tsRecent, sk.reuseAddr, sk.autoBound);
    tw.substate = substate;
    tw.rcvWndField = Math.max(0, seqDiff(seqAdd(sk.rcvWup, sk.rcvWnd), sk.rcvNxt)) >> sk.rcvWscale;
    if (substate === 'TIME_WAIT') this.stateChanged(sk, sk.state, 'TIME_WAIT', cause);
    else this.env.event('state', `tcp ${fmtEndpoint(sk.localAddr, sk.localPort)}: orphaned FIN_WAIT2 now waits as a timewait entry (${cause})`);
    sk.ended = true; // tcp_time_wait ends with tcp_done
    this.destroy(sk);
    this.hash(tw);
    this.ports.add(tw);
    this.armTimeWait(tw, timeout);
  }

  private armTimeWait(tw: TimeWaitSock, timeout = TCP_TIMEWAIT_LEN_NS): void {
    const { sched } = this.env;
    sched.cancel(tw.timer);
    tw.timer = sched.after(timeout, () => this.killTimeWait(tw));
  }

  private killTimeWait(tw: TimeWaitSock): void {
    this.env.sched.cancel(tw.timer);
    this.unhash(tw);
    this.ports.remove(tw);
  }

  /** tcp_v4_timewait_ack: an ACK with the last window and timestamps (rate-limited for OOW segments). */
  private timeWaitAck(tw: TimeWaitSock, seg: Segment, rateLimited: boolean): boolean {
    const { env } = this;
    if (rateLimited && !oowAllowed(tw, seg, env)) {
      env.stack.bump('TcpExtTCPACKSkippedTimeWait');
      return false;
    }
    const ts = tw.tsOk ? { ts: { val: tsVal(env.sched.now, tw.tsOffset), ecr: tw.tsRecent } } : undefined;
    transmit(env, tw, { seq: tw.sndNxt, ack: tw.rcvNxt, flags: TcpFlag.ACK, window: tw.rcvWndField, options: ts });
    return true;
  }

  /** tcp_timewait_state_process (net/ipv4/tcp_minisocks.c). */
  private timeWaitReceive(tw: TimeWaitSock, seg: Segment): InputOutcome {
    const { env } = this;
    const rst = has(seg, TcpFlag.RST);
    const syn = has(seg, TcpFlag.SYN);
    const ack = has(seg, TcpFlag.ACK);
    const tsv = seg.opts.tsVal;
    // PAWS (RFC 7323 5): a timestamp older than the last one seen.
    const pawsReject = !rst && tw.tsOk && tsv !== undefined && ((tw.tsRecent - tsv) | 0) > 0;
    if (tw.substate === 'FIN_WAIT2') return this.finWait2Receive(tw, seg, pawsReject);
    const bare = seg.data.length === 0 && !syn && !has(seg, TcpFlag.FIN);
    if (!pawsReject && seg.seq === tw.rcvNxt && (bare || rst)) {
      if (rst) {
        if (env.sysctl.int('net.ipv4.tcp_rfc1337')) return { summary: 'TIME_WAIT: RST ignored (tcp_rfc1337=1)' };
        this.killTimeWait(tw);
        return { summary: 'RST at rcv_nxt kills the TIME_WAIT entry (tcp_rfc1337=0)', stateChange: { from: 'TIME_WAIT', to: 'CLOSE' } };
      }
      this.armTimeWait(tw);
      return { summary: 'TIME_WAIT: bare ACK, timer restarted' };
    }
    // A SYN with a higher sequence number or a newer timestamp may start a new incarnation.
    if (syn && !rst && !ack && !pawsReject && (seqGt(seg.seq, tw.rcvNxt) || (tw.tsOk && tsv !== undefined && ((tw.tsRecent - tsv) | 0) < 0))) {
      const l = this.listener(seg.dst, seg) ?? this.listener(0, seg);
      this.killTimeWait(tw);
      if (l) return this.connRequest(l, seg, timeWaitReuseIsn(tw.sndNxt));
      return this.noSocket(seg);
    }
    if (pawsReject) env.stack.bump('TcpExtPAWSEstab');
    if (rst) return { drop: { reason: 'TCP_INVALID_SEQUENCE', text: 'RST not at rcv_nxt' }, summary: 'TIME_WAIT: RST not at rcv_nxt ignored' };
    if (pawsReject || ack) this.armTimeWait(tw);
    const sent = this.timeWaitAck(tw, seg, true);
    return { reply: sent ? 'ACK' : undefined, summary: `TIME_WAIT: ${has(seg, TcpFlag.FIN) ? 'retransmitted FIN' : 'segment'} answered with an ACK${ack ? ', timer restarted' : ''}` };
  }

  /** The FIN_WAIT2 substate: wait for the peer's FIN; new data (after our close) is reset. */
  private finWait2Receive(tw: TimeWaitSock, seg: Segment, pawsReject: boolean): InputOutcome {
    const rst = has(seg, TcpFlag.RST);
    const kill = (text: string, withRst: boolean): InputOutcome => {
      this.killTimeWait(tw);
      const r = withRst ? resetFor(this.env, seg) : null;
      return { drop: { reason: withRst ? 'TCP_CLOSE' : 'TCP_RESET', text }, reply: r ?? undefined, stateChange: { from: 'FIN_WAIT2', to: 'CLOSE' }, summary: `orphaned FIN_WAIT2: ${text}` };
    };
    if (pawsReject) return kill('old timestamp', true);
    if (rst) return kill('RST received', false);
    if (has(seg, TcpFlag.SYN) && !seqLt(seg.seq, tw.rcvNxt)) return kill('SYN in the window', true);
    if (!has(seg, TcpFlag.ACK) || !seqGt(seg.endSeq, tw.rcvNxt) || seg.endSeq === seg.seq) return { summary: 'orphaned FIN_WAIT2: duplicate ACK ignored' };
    if (!has(seg, TcpFlag.FIN) || seg.endSeq !== seqAdd(tw.rcvNxt, 1)) {
      this.env.stack.bump('TcpExtTCPAbortOnData');
      return kill('data after close(): RST', true);
    }
    tw.substate = 'TIME_WAIT';
    tw.rcvNxt = seg.endSeq;
    if (seg.opts.tsVal !== undefined) tw.tsRecent = seg.opts.tsVal;
    this.armTimeWait(tw);
    this.timeWaitAck(tw, seg, false);
    return { reply: 'ACK', stateChange: { from: 'FIN_WAIT2', to: 'TIME_WAIT' }, summary: 'the peer\'s FIN: TIME_WAIT for 60 s' };
  }

  // ------------------------------------------------------------- socket calls

  bind(sk: TcpSock, addr: number, port: number): number | Errno {
    const { env } = this;
    if (addr !== 0 && !env.stack.isLocal(addr)) return new Errno('EADDRNOTAVAIL');
    if (port === 0) {
      const p = this.keys.bindPort(env.sysctl.range('net.ipv4.ip_local_port_range'), sk.reuseAddr, (q) => !!this.ports.conflict(addr, q, sk.reuseAddr, sk.reusePort));
      if (p === null) return new Errno('EADDRINUSE');
      port = p;
    } else {
      if (this.ports.conflict(addr, port, sk.reuseAddr, sk.reusePort)) return new Errno('EADDRINUSE');
    }
    sk.localAddr = addr;
    sk.localPort = port;
    this.ports.add(sk);
    sk.inPortTable = true;
    this.socks.add(sk);
    return 0;
  }

  listen(sk: TcpSock, backlog: number): number | Errno {
    // The backlog is clamped to somaxconn; negative (as unsigned) becomes somaxconn (README row 8).
    const max = this.env.sysctl.int('net.core.somaxconn');
    sk.backlog = backlog < 0 ? max : Math.min(backlog, max);
    if (sk.state === 'LISTEN') return 0;
    if (!sk.inPortTable) {
      const r = this.bind(sk, 0, 0);
      if (r instanceof Errno) return r;
    }
    // A LISTEN socket may not share its port with a non-LISTEN SO_REUSEADDR binding either.
    this.ports.remove(sk);
    const clash = this.ports.conflict(sk.localAddr, sk.localPort, false, sk.reusePort, sk);
    this.ports.add(sk);
    if (clash && !(clash instanceof TimeWaitSock && clash.reuseAddr && sk.reuseAddr)) return new Errno('EADDRINUSE');
    sk.setState('LISTEN', `listen(${backlog})`);
    const key = `${sk.localAddr}:${sk.localPort}`;
    this.lhash.set(key, [...(this.lhash.get(key) ?? []), sk]);
    return 0;
  }

  connect(sk: TcpSock, addr: number, port: number): number | Errno | Again {
    const { env } = this;
    const src = sk.localAddr || env.stack.sourceFor(addr);
    if (src === undefined) return new Errno('ENETUNREACH');
    if (!sk.inPortTable) {
      const range = env.sysctl.range('net.ipv4.ip_local_port_range');
      const p = this.keys.connectPort(range, src, addr, port, (q) => this.ports.holders(q).some((h) => !h.autoBound) || this.ehash.has(key4(src, q, addr, port)));
      if (p === null) return new Errno('EADDRNOTAVAIL');
      sk.localPort = p;
      sk.autoBound = true;
      sk.localAddr = src;
      this.ports.add(sk);
      sk.inPortTable = true;
    } else if (sk.localAddr === 0) {
      this.ports.remove(sk);
      sk.localAddr = src;
      this.ports.add(sk);
    }
    const existing = this.ehash.get(key4(sk.localAddr, sk.localPort, addr, port));
    let iss = this.keys.isn(sk.localAddr, sk.localPort, addr, port, env.sched.now);
    if (existing instanceof TimeWaitSock && existing.tsOk) {
      iss = timeWaitReuseIsn(existing.sndNxt); // tcp_twsk_unique: recycle the TIME_WAIT 4-tuple
      this.killTimeWait(existing);
    } else if (existing) return new Errno('EADDRNOTAVAIL');
    sk.peerAddr = addr;
    sk.peerPort = port;
    sk.iss = iss;
    sk.sndUna = iss;
    sk.sndNxt = seqAdd(iss, 1);
    sk.tsOffset = this.keys.tsOffset(sk.localAddr, addr);
    sk.advMss = advertisedMss(1500);
    this.socks.add(sk);
    this.hash(sk);
    sk.setState('SYN_SENT', 'connect()');
    env.stack.bump('TcpActiveOpens');
    sk.synSent = 1;
    sk.synAt = env.sched.now;
    sendSyn(sk, false);
    armRetransmit(sk);
    return AGAIN;
  }

  /** The retransmission timer fired (tcp_retransmit_timer / tcp_write_timeout). */
  retransmitTimer(sk: TcpSock): void {
    const { env } = this;
    if (sk.state === 'SYN_SENT') {
      const max = env.sysctl.int('net.ipv4.tcp_syn_retries') + env.sysctl.int('net.ipv4.tcp_syn_linear_timeouts');
      if (sk.synSent > max) {
        this.reset(sk, 'connect() timed out', true, 'ETIMEDOUT');
        return;
      }
      sk.synSent++;
      sk.retransmits++;
      env.stack.bump('TcpRetransSegs');
      sendSyn(sk, false);
      armRetransmit(sk);
      return;
    }
    if (sk.state === 'SYN_RECV') {
      if (sk.synSent > env.sysctl.int('net.ipv4.tcp_synack_retries')) return this.reset(sk, 'SYN-ACK never acknowledged', true, 'ETIMEDOUT');
      sk.synSent++;
      env.stack.bump('TcpRetransSegs');
      sendSyn(sk, true);
      armRetransmit(sk);
      return;
    }
    if (sk.state === 'CLOSE' || sk.sndUna === sk.sndNxt) return;
    if (sk.retransmits >= env.sysctl.int('net.ipv4.tcp_retries2')) {
      this.reset(sk, 'too many retransmissions', true, 'ETIMEDOUT');
      return;
    }
    // tcp_enter_loss: the controller sets ssthresh and a loss window of 1; the RTO doubles.
    sk.cc.onRto(env.sched.now);
    sk.recover = null;
    sk.dupAcks = 0;
    sk.retransmits++;
    sk.rtt.backoff();
    retransmitHead(sk);
    armRetransmit(sk);
  }

  /** The application read `copied` bytes (__tcp_cleanup_rbuf): ACK now if it is owed or the window opened a lot. */
  dataRead(sk: TcpSock, copied: number): void {
    if (sk.state !== 'ESTABLISHED' && sk.state !== 'FIN_WAIT1' && sk.state !== 'FIN_WAIT2') return;
    const rcvWindowNow = Math.max(0, seqDiff(seqAdd(sk.rcvWup, sk.rcvWnd), sk.rcvNxt));
    const free = Math.max(0, sk.rcvBuf - sk.rcvQ.length);
    const send = ackAfterRead(sk.delack, {
      copied,
      rcvNxt: sk.rcvNxt,
      rcvWup: sk.rcvWup,
      queueEmpty: sk.rcvQ.length === 0,
      rcvShutdown: sk.finReceived,
      rcvWindowNow,
      windowClamp: sk.rcvWndClamp,
      newWindow: Math.min(free, sk.rcvWndClamp),
    });
    if (send) sendAck(sk);
  }

  writeXmit(sk: TcpSock, pushed: boolean): void {
    writeXmit(sk, pushed);
  }

  /** shutdown(SHUT_WR): the FIN goes out now, whoever else holds the socket (README row 32). */
  shutdownWrite(sk: TcpSock): void {
    if (sk.finQueued) return;
    sk.writeShut = true;
    if (sk.state === 'ESTABLISHED' || sk.state === 'SYN_RECV') sk.setState('FIN_WAIT1', 'shutdown(SHUT_WR)');
    else if (sk.state === 'CLOSE_WAIT') sk.setState('LAST_ACK', 'shutdown(SHUT_WR)');
    else return;
    sk.finQueued = true;
    writeXmit(sk, true);
  }

  /** tcp_close: the last file reference is gone. */
  close(sk: TcpSock): void {
    const { env } = this;
    sk.orphan = true;
    sk.readShut = true;
    if (sk.state === 'LISTEN') return this.listenStop(sk);
    if (sk.state === 'CLOSE' || sk.state === 'SYN_SENT') return this.done(sk, 'close()');
    if (sk.state === 'TIME_WAIT') return;
    if (sk.rcvQ.length > 0) {
      // RFC 2525 2.17: unread data -> RST, not FIN.
      env.stack.bump('TcpExtTCPAbortOnClose');
      sendActiveReset(sk);
      return this.done(sk, 'close() with unread data: RST instead of FIN');
    }
    if (sk.linger.onoff && sk.linger.linger === 0) {
      env.stack.bump('TcpExtTCPAbortOnLinger');
      sendActiveReset(sk);
      return this.done(sk, 'close() with SO_LINGER {1, 0}: RST');
    }
    sk.writeShut = true;
    if (!sk.finQueued) {
      if (sk.state === 'ESTABLISHED' || sk.state === 'SYN_RECV') sk.setState('FIN_WAIT1', 'close()');
      else if (sk.state === 'CLOSE_WAIT') sk.setState('LAST_ACK', 'close()');
      sk.finQueued = true;
      writeXmit(sk, true);
    } else if (sk.state === 'FIN_WAIT2') this.timeWait(sk, 'close() in FIN_WAIT2', 'FIN_WAIT2');
  }

  /** inet_csk_listen_stop: reset every child still in the accept queue; requests die at their timer. */
  private listenStop(l: TcpSock): void {
    for (const c of l.acceptQ.splice(0)) {
      c.queued = false;
      c.orphan = true;
      sendActiveReset(c);
      this.done(c, 'its listener closed before accept()');
    }
    for (const r of l.reqs) r.orphaned = true;
    this.unlisten(l);
    this.done(l, 'listener closed');
  }

  /**
   * tcp_reset: a valid RST (or a fatal timeout). The error depends on the state: SYN_SENT ->
   * ECONNREFUSED, CLOSE_WAIT -> EPIPE, otherwise ECONNRESET (tcp_input.c tcp_reset).
   */
  reset(sk: TcpSock, cause: string, report = true, errno?: ErrnoName): void {
    const e: ErrnoName = errno ?? (sk.state === 'SYN_SENT' ? 'ECONNREFUSED' : sk.state === 'CLOSE_WAIT' ? 'EPIPE' : 'ECONNRESET');
    if (report) {
      if (sk.state === 'SYN_SENT') sk.connectError = e;
      else sk.err = e;
    }
    this.done(sk, cause);
  }

  /** tcp_done: to CLOSE, out of every table; the port is released unless TIME_WAIT keeps it. */
  done(sk: TcpSock, cause: string): void {
    // tcp_done sets SHUTDOWN_MASK before the state change wakes anyone: a blocked connect() that
    // reports the failure then clears it again (tcp_disconnect), and must not find it set later.
    sk.ended = true;
    if (sk.state !== 'CLOSE') sk.setState('CLOSE', cause);
    this.destroy(sk);
  }

  private destroy(sk: TcpSock): void {
    const { sched } = this.env;
    stopRetransmit(sk);
    sched.cancel(sk.delackTimer);
    sk.delackTimer = null;
    sched.cancel(sk.tsqTimer);
    sk.tsqTimer = null;
    sk.state = 'CLOSE';
    // tcp_write_queue_purge (tcp_reset, tcp_v4_destroy_sock): nothing of a closed socket is sent again.
    sk.sndQ.clear();
    this.unhash(sk);
    this.unlisten(sk);
    if (sk.inPortTable) {
      this.ports.remove(sk);
      sk.inPortTable = false;
    }
    if (sk.parent && sk.queued) {
      const i = sk.parent.acceptQ.indexOf(sk);
      if (i >= 0) sk.parent.acceptQ.splice(i, 1);
      sk.queued = false;
    }
    this.socks.delete(sk);
    sk.waitq.wake();
  }

  private unlisten(sk: TcpSock): void {
    const key = `${sk.localAddr}:${sk.localPort}`;
    const rest = (this.lhash.get(key) ?? []).filter((x) => x !== sk);
    if (rest.length) this.lhash.set(key, rest);
    else this.lhash.delete(key);
  }

  stateChanged(sk: TcpSock, from: TcpStateName, to: TcpStateName, cause: string): void {
    this.env.event('state', `tcp ${fmtEndpoint(sk.localAddr, sk.localPort)} -> ${fmtEndpoint(sk.peerAddr, sk.peerPort)}: ${from} -> ${to} (${cause})`);
  }

  // ------------------------------------------------------------- ICMP errors

  /** tcp_v4_err: hard errors abort a connection that is still opening; others are remembered. */
  private icmpError(r: IcmpErrorReport): void {
    const e = this.ehash.get(key4(r.localAddr, r.localPort, r.peerAddr, r.peerPort));
    if (!(e instanceof TcpSock)) return;
    if (e.state === 'SYN_SENT' && r.type === 3 && (r.code === 2 || r.code === 3)) this.reset(e, 'ICMP unreachable during connect()', true, 'ECONNREFUSED');
  }

  /** Rows for ss: full sockets, request socks, TIME_WAIT entries. */
  rows() {
    const out = [];
    for (const s of this.socks) out.push(s.row());
    for (const e of this.ehash.values()) {
      if (e instanceof RequestSock) {
        out.push({
          inode: 0,
          kind: 'request' as const,
          proto: 'tcp' as const,
          state: 'SYN_RECV' as const,
          localAddr: e.localAddr,
          localPort: e.localPort,
          peerAddr: e.peerAddr,
          peerPort: e.peerPort,
          recvQ: 0,
          sendQ: 0,
          timer: e.timer ? { kind: 'on' as const, expiresNs: e.timer.at, retransmits: e.numTimeout } : undefined,
          parent: e.listener.inode,
        });
      } else if (e instanceof TimeWaitSock) out.push(e.row());
    }
    return out;
  }
}
