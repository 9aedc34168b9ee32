// Catalogue, case (d): listen(backlog = 1), the server never accepts, 4 clients; the listener closes at
// +10.5 s and every connected client sends "ping-i" at +11.5 s.
import { CAPTURE_POINT, CLIENT, HANDSHAKE, SERVER, check, optionChecks, type Scenario } from './scenario';
import type { Check } from './statements';

const CLOSE = 10.4; // trace seconds just before the listener closes (+10.5 s)
const D_LOGS = ['clients.log', 'server.log'];
const SS_LISTEN_FULL = 'LISTEN 2 1 10.0.0.2:5010 0.0.0.0:*';
const ALL = ['c1', 'c2', 'c3', 'c4'];

/** The listener's close resets its queued children (row 17): at +10.5 s and only then. */
const resetTime = (id: string): Check =>
  check(`${id}.reset-time`, ['AS-15', 'row 17'], 'Closing the listener resets c1 and c2 (one R. each) at +10.5 s and not before.', { kind: 'count', conns: ['c1', 'c2'], where: { dir: 'S>C', flags: 'R.', after: CLOSE, before: 10.6 }, equals: 1, each: true });

/** A queued child's reset: R. seq=snd_nxt ack=rcv_nxt with TS, window open. */
const queuedReset = (id: string, conn: 'c1' | 'c2'): Check =>
  check(`${id}.queued-reset-${conn}`, ['AS-15', 'row 17'], `${conn}, still in the accept queue, is reset: R. 1 ack 1 with TS, win != 0.`, { kind: 'segments', conn, match: 'suffix', expect: ['C>S . 1 ack 1', 'S>C R. 1 ack 1 len 0 win 64 <nop,nop,TS>'] });

/** Four ESTAB client rows: every client saw connect() succeed. */
const clientEstab = (at: number): Check =>
  check(`d.client-estab-${at}`, ['AS-11', 'AS-13'], `Client at +${at} s: all four connections ESTAB.`, { kind: 'ss', host: 'client', at, exact: ALL.map((c) => `ESTAB 0 0 10.0.0.1:${c} 10.0.0.2:5010`) });

const withId = (prefix: string, c: Check): Check => ({ ...c, id: `${prefix}.${c.id.replace(/^d\./, '')}` });

export const caseD1: Scenario = {
  id: 'd1',
  title: 'accept queue overflow, clients 0.3 s apart (syncookies=1)',
  folder: 'd_backlog/d1_stagger',
  pcap: 'd_backlog/d1_stagger/d.pcap',
  summary: 'd_backlog/d1_stagger/d.summary.txt',
  ss: ['d_backlog/d1_stagger/ss_snapshots.txt'],
  nstat: 'd_backlog/d1_stagger/nstat.txt',
  logs: D_LOGS,
  available: true, client: CLIENT, server: SERVER, serverPorts: [5010], capturePoint: CAPTURE_POINT,
  params: { backlog: 1, tcp_syncookies: 1, tcp_abort_on_overflow: 0, accept: 'never', 'listener close': '+10.5 s', 'clients send': '+11.5 s', clients: '0.3 s apart' },
  acceptance: ['AS-09', 'AS-15'],
  roles: { c1: 0, c2: 1, c3: 2, c4: 3 },
  connections: [
    { role: 'c1', note: 'completes: child #1 in the accept queue; reset at the close' },
    { role: 'c2', note: 'completes: child #2 (1 > 1 is false); reset at the close' },
    { role: 'c3', note: 'SYNs dropped (queue full): retransmits at +1,2,3,4,5,7 s; the one at +11 s meets the closed port: R.' },
    { role: 'c4', note: 'same as c3, 0.3 s later' },
  ],
  checks: [
    check('d1.connections', ['AS-09'], 'Four connections to 5010.', { kind: 'connections', count: 4, serverPort: 5010 }),
    check('d1.start-offsets', ['AS-09'], 'Clients start 0.3 s apart.', { kind: 'startOffsets', conns: ALL, offsets: [0, 0.3, 0.6, 0.9] }),
    check('d1.c1-complete', ['AS-09', 'row 9', 'row 17'], 'c1 completes the handshake (backlog 1 holds 2 children) and is reset when the listener closes.', { kind: 'segments', conn: 'c1', match: 'exact', expect: [...HANDSHAKE, 'S>C R. 1 ack 1 len 0 win 64 <nop,nop,TS>'] }),
    check('d1.c2-complete', ['AS-09', 'row 9'], 'c2 likewise.', { kind: 'segments', conn: 'c2', match: 'exact', expect: [...HANDSHAKE, 'S>C R. 1 ack 1 len 0 win 64 <nop,nop,TS>'] }),
    check('d1.no-reply', ['AS-09', 'row 10'], 'c3 and c4 get no reply at all while the listener exists (SYN silently dropped).', { kind: 'count', conns: ['c3', 'c4'], where: { dir: 'S>C', before: CLOSE }, equals: 0 }),
    check('d1.c3-syn-times', ['AS-09', 'rows 1, 2'], 'c3 sends its SYN at +0, 1, 2, 3, 4, 5, 7, 11 s (linear then exponential backoff).', { kind: 'offsets', conn: 'c3', where: { dir: 'C>S', flags: 'S' }, offsets: [0, 1, 2, 3, 4, 5, 7, 11] }),
    check('d1.c4-syn-times', ['AS-09', 'rows 1, 2'], 'c4 likewise.', { kind: 'offsets', conn: 'c4', where: { dir: 'C>S', flags: 'S' }, offsets: [0, 1, 2, 3, 4, 5, 7, 11] }),
    check('d1.same-syn', ['AS-09'], 'A retransmitted SYN is the same SYN (seq 0, same options).', { kind: 'sameLayout', conns: ['c3', 'c4'], where: { dir: 'C>S', flags: 'S' } }),
    resetTime('d1'),
    check('d1.late-syn-rst', ['AS-15', 'row 24'], 'After the close, c3\'s and c4\'s next SYN meets a closed port: R. seq 0 ack x+1, win 0, no options.', { kind: 'all', conns: ['c3', 'c4'], expect: 'S>C R. raw 0 ack 1 len 0 win 0 <none>' }),
    check('d1.late-syn-rst-count', ['AS-15'], 'Exactly one such RST each.', { kind: 'count', conns: ['c3', 'c4'], where: { dir: 'S>C', flags: 'R.' }, equals: 1, each: true }),
    check('d1.rst-rules', ['row 24'], 'RST rules hold.', { kind: 'rstRules' }),
    ...optionChecks('d1', { syn: true, synAck: true, est: ['C>S .'] }),
    check('d1.client-ports', ['row 6'], 'Client ports are even, distinct and increasing.', { kind: 'clientPorts', parity: 'even', range: [32768, 60999], distinct: true, increasing: true }),
    check('d1.counters', ['AS-09', 'row 10'], 'ListenOverflows = ListenDrops = 14, PassiveOpens 2, no cookies.', { kind: 'counters', equals: { ListenOverflows: 14, ListenDrops: 14, PassiveOpens: 2, SyncookiesSent: 0, TCPReqQFullDrop: 0, EstabResets: 2, OutRsts: 4 } }),
    check('d1.overflows-are-dropped-syns', ['AS-09', 'row 10'], 'ListenOverflows counts exactly the SYNs dropped while the listener was full.', { kind: 'counterIsCount', counter: 'ListenOverflows', conns: ['c3', 'c4'], where: { dir: 'C>S', flags: 'S', before: CLOSE } }),
    ...[0.7, 2.5, 5, 9.8].map((at) => check(`d1.ss-listen-${at}`, ['AS-09', 'row 15'], `Server at +${at} s: LISTEN Recv-Q 2 Send-Q 1.`, { kind: 'ss', host: 'server', view: '-ltn', at, exact: [SS_LISTEN_FULL] })),
    check('d1.ss-server', ['AS-09', 'row 15'], 'Server at +9.8 s: LISTEN 2 1 and the two queued children, no SYN-RECV.', { kind: 'ss', host: 'server', view: '-tan', at: 9.8, exact: [SS_LISTEN_FULL, 'ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c1', 'ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c2'] }),
    check('d1.ss-syn-sent', ['AS-09', 'row 2'], 'Client at +9.8 s: c3 and c4 in SYN-SENT, Send-Q 1, retransmit timer with 6 retransmissions.', {
      kind: 'ss', host: 'client', at: 9.8,
      exact: ['ESTAB 0 0 10.0.0.1:c1 10.0.0.2:5010', 'ESTAB 0 0 10.0.0.1:c2 10.0.0.2:5010', 'SYN-SENT 0 1 10.0.0.1:c3 10.0.0.2:5010 timer:(on,6)', 'SYN-SENT 0 1 10.0.0.1:c4 10.0.0.2:5010 timer:(on,6)'],
    }),
    check('d1.ss-after-close', ['AS-15'], 'Server at +11 s: no rows at all.', { kind: 'ss', host: 'server', view: '-tan', at: 11, exact: [] }),
    check('d1.log-pending', ['AS-09'], 'c3\'s connect() is still pending at +10.5 s.', { kind: 'log', file: 'clients.log', pattern: 'c3 still SYN-SENT' }),
    check('d1.log-reset', ['AS-15'], 'c1\'s send after the close -> ECONNRESET, then recv -> b\'\'.', { kind: 'log', file: 'clients.log', pattern: "c1 recv -> b''" }),
  ],
  notes: [
    'README row 2 cites "d1/d3" SYN intervals; d3 is not in the folder. In d1 the 8th SYN of c3/c4 (+11.26 s) comes after the listener closed and is answered by R. (README: "11.86 c3 SYN -> S [R.]").',
    'README section (d) gives c3\'s SYN times as 1.62, 2.65 ... 11.86 s in capture time; relative to its first SYN they are +1.02, 2.05, 3.07, 4.09, 5.11, 7.13, 11.26 s.',
    'ss prints the SYN-SENT timer "1.916ms" meaning 1 s 916 ms (iproute2 print_ms_timer); parseSsDuration reads it as 1916 ms.',
  ],
};

const burstCommon: Check[] = [
  check('d.connections', ['AS-11'], 'Four connections to 5010.', { kind: 'connections', count: 4, serverPort: 5010 }),
  check('d.handshake-each', ['AS-11', 'AS-13'], 'Every client gets a SYN-ACK and sends its final ACK.', { kind: 'segments', conn: 'each', match: 'prefix', expect: HANDSHAKE }),
  check('d.synack-layout', ['AS-11', 'row 14'], 'All SYN-ACKs, cookie or not, have the same layout: <mss 1460,sackOK,TS,nop,wscale 10> win 65160.', { kind: 'sameLayout', where: { dir: 'S>C', flags: 'S.' } }),
  check('d.ping-rst', ['AS-15', 'row 25'], 'c3\'s and c4\'s "ping" after the close hits no socket: R seq = SEG.ACK, win 0, no options.', { kind: 'segments', conn: 'c3', match: 'suffix', expect: ['C>S P. 1:7 ack 1', 'S>C R 1 len 0 win 0 <none>'] }),
  check('d.ping-rst-c4', ['AS-15', 'row 25'], 'c4 likewise.', { kind: 'segments', conn: 'c4', match: 'suffix', expect: ['C>S P. 1:7 ack 1', 'S>C R 1 len 0 win 0 <none>'] }),
  check('d.no-early-rst', ['AS-11', 'AS-13', 'row 13'], 'No RST reaches c3 or c4 before their ping (cookie ACKs are dropped silently).', { kind: 'count', conns: ['c3', 'c4'], where: { dir: 'S>C', flags: ['R', 'R.'], before: 11.4 }, equals: 0 }),
  check('d.rst-rules', ['row 24'], 'RST rules hold.', { kind: 'rstRules' }),
  ...optionChecks('d', { syn: true, synAck: true, est: ['C>S .', 'C>S P.'] }),
  resetTime('d'),
  queuedReset('d', 'c1'),
  queuedReset('d', 'c2'),
  check('d.log-connected', ['AS-11', 'AS-13'], 'Every client sees connect() succeed.', { kind: 'log', file: 'clients.log', pattern: 'c4 connect completed: ESTABLISHED' }),
  check('d.log-cookie-reset', ['AS-15'], 'c3 sends its ping fine, then recv -> ECONNRESET.', { kind: 'log', file: 'clients.log', pattern: 'c3 recv -> ECONNRESET' }),
];

export const caseD2: Scenario = {
  id: 'd2',
  title: 'SYN burst: 4 SYNs before any final ACK, syncookies=1 (SYN cookies)',
  folder: 'd_backlog/d2_burst',
  pcap: 'd_backlog/d2_burst/d.pcap',
  summary: 'd_backlog/d2_burst/d.summary.txt',
  ss: ['d_backlog/d2_burst/ss_snapshots.txt'],
  nstat: 'd_backlog/d2_burst/nstat.txt',
  logs: D_LOGS,
  available: true, client: CLIENT, server: SERVER, serverPorts: [5010], capturePoint: CAPTURE_POINT,
  params: { backlog: 1, tcp_syncookies: 1, tcp_abort_on_overflow: 0, accept: 'never', shaping: 'tbf 64 kbit on the client: SYNs ~9 ms apart, ACKs after all SYN-ACKs' },
  acceptance: ['AS-11', 'AS-15'],
  roles: { c1: 0, c2: 1, c3: 2, c4: 3 },
  connections: [
    { role: 'c1', note: 'request sock, then child #1' },
    { role: 'c2', note: 'request sock, then child #2' },
    { role: 'c3', note: 'SYN queue "full" (2 > 1): cookie SYN-ACK; its ACK validates but the accept queue is full: dropped silently' },
    { role: 'c4', note: 'same as c3' },
  ],
  checks: [
    ...burstCommon.map((c) => withId('d2', c)),
    check('d2.burst', ['AS-11'], 'All four SYNs (and SYN-ACKs) precede the first final ACK.', { kind: 'order', first: { conn: 'c4', where: { dir: 'S>C', flags: 'S.' } }, then: { conn: 'c1', where: { dir: 'C>S', flags: '.' } } }),
    check('d2.no-synack-retransmit', ['AS-11', 'row 13'], 'Exactly one SYN-ACK per client: no retransmission to c1..c4.', { kind: 'count', where: { dir: 'S>C', flags: 'S.' }, equals: 1, each: true }),
    check('d2.counters', ['AS-11', 'row 11'], 'Cookies sent 2, received 2, TCPReqQFullDoCookies 2, ListenOverflows 2.', { kind: 'counters', equals: { SyncookiesSent: 2, SyncookiesRecv: 2, SyncookiesFailed: 0, TCPReqQFullDoCookies: 2, TCPReqQFullDrop: 0, ListenOverflows: 2, ListenDrops: 2, PassiveOpens: 2 } }),
    check('d2.overflows-are-cookie-acks', ['AS-11', 'row 13'], 'ListenOverflows counts the two cookie ACKs dropped for a full queue.', { kind: 'counterIsCount', counter: 'ListenOverflows', conns: ['c3', 'c4'], where: { dir: 'C>S', flags: '.', len: 0, before: CLOSE } }),
    ...[0.7, 2.5, 5, 9.8].map((at) => check(`d2.ss-server-${at}`, ['AS-11', 'rows 11, 15'], `Server at +${at} s: LISTEN 2 1, two children, no SYN-RECV row (cookies keep no state).`, { kind: 'ss', host: 'server', view: '-tan', at, exact: [SS_LISTEN_FULL, 'ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c1', 'ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c2'] })),
    withId('d2', clientEstab(0.7)),
    withId('d2', clientEstab(9.8)),
  ],
  notes: [
    'Not in the README: each capture starts with the client\'s tbf "filler" UDP datagram to 10.0.0.2:9 (108 B payload), swallowed by a bound sink socket (d_server.py), so it draws no ICMP. It is a shaping artefact, not kernel behaviour: no check uses it; compare traces with { datagrams: false } or add the filler to the lab.',
    'AS-11 says SYN1 and SYN2 make SYN_RECV entries: the first ss snapshot (+0.7 s) is after the final ACKs, so the capture shows no SYN-RECV row at any time; the counters prove the cookies.',
  ],
};

export const caseD4: Scenario = {
  id: 'd4',
  title: 'c1 first, then a burst of 3: SYN-ACK retransmission while the final ACK is dropped',
  folder: 'd_backlog/d4_first_then_burst',
  pcap: 'd_backlog/d4_first_then_burst/d.pcap',
  summary: 'd_backlog/d4_first_then_burst/d.summary.txt',
  ss: ['d_backlog/d4_first_then_burst/ss_snapshots.txt'],
  nstat: 'd_backlog/d4_first_then_burst/nstat.txt',
  logs: D_LOGS,
  available: true, client: CLIENT, server: SERVER, serverPorts: [5010], capturePoint: CAPTURE_POINT,
  params: { backlog: 1, tcp_syncookies: 1, tcp_abort_on_overflow: 0, accept: 'never', shaping: 'tbf on the client for the burst at +0.5 s' },
  acceptance: ['AS-13', 'AS-15'],
  roles: { c1: 0, c2: 1, c3: 2, c4: 3 },
  connections: [
    { role: 'c1', note: 'child #1 at +0 s' },
    { role: 'c2', note: 'request, then child #2' },
    { role: 'c3', note: 'request (qlen 1); its ACK finds the queue full: dropped, request kept (acked), SYN-ACK retransmitted at +1, 3, 7 s' },
    { role: 'c4', note: 'cookie (qlen 2 > 1); its ACK validates, queue full: dropped silently, no retransmission' },
  ],
  checks: [
    ...burstCommon.map((c) => withId('d4', c)),
    check('d4.start-offsets', ['AS-13'], 'c1 at 0, the burst at +0.5 s.', { kind: 'startOffsets', conns: ALL, offsets: [0, 0.5, 0.5, 0.5], tolerance: { abs: 0.03 } }),
    check('d4.c3-synack-times', ['AS-13', 'row 3'], 'The server retransmits c3\'s SYN-ACK at +1, 3, 7 s after the first (same seq/ack), until the close.', { kind: 'offsets', conn: 'c3', where: { dir: 'S>C', flags: 'S.' }, offsets: [0, 1, 3, 7] }),
    check('d4.c3-acks', ['AS-13', 'row 12'], 'c3 answers every SYN-ACK with an ACK (each dropped).', { kind: 'count', conns: ['c3'], where: { dir: 'C>S', flags: '.', len: 0 }, equals: 4 }),
    check('d4.c3-ack-prompt', ['AS-13'], 'Each of c3\'s ACKs follows its SYN-ACK at once.', { kind: 'gap', from: { conn: 'c3', where: { dir: 'S>C', flags: 'S.' }, nth: 3 }, to: { dir: 'C>S', flags: '.' }, seconds: 0 }),
    check('d4.c4-one-synack', ['AS-13', 'row 13'], 'c4 (cookie) gets one SYN-ACK only; c1 and c2 one each.', { kind: 'count', conns: ['c1', 'c2', 'c4'], where: { dir: 'S>C', flags: 'S.' }, equals: 1, each: true }),
    check('d4.counters', ['AS-13', 'rows 12, 13'], 'ListenOverflows 5 (c3\'s 4 ACKs + c4\'s ACK), one cookie sent and received.', { kind: 'counters', equals: { ListenOverflows: 5, ListenDrops: 5, SyncookiesSent: 1, SyncookiesRecv: 1, TCPReqQFullDoCookies: 1, EmbryonicRsts: 0, PassiveOpens: 2 } }),
    check('d4.overflows-are-acks', ['AS-13', 'rows 12, 13'], 'ListenOverflows counts exactly the final ACKs of c3 and c4 dropped before the close.', { kind: 'counterIsCount', counter: 'ListenOverflows', conns: ['c3', 'c4'], where: { dir: 'C>S', flags: '.', len: 0, before: CLOSE } }),
    ...[0.7, 2.5, 5, 9.8].map((at) => check(`d4.ss-server-${at}`, ['AS-13', 'row 15'], `Server at +${at} s: LISTEN 2 1, two children and c3's SYN-RECV request (not c4's cookie).`, {
      kind: 'ss', host: 'server', view: '-tan', at, exact: [SS_LISTEN_FULL, 'ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c1', 'ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c2', 'SYN-RECV 0 0 10.0.0.2:5010 10.0.0.1:c3'],
    })),
    check('d4.ss-request-outlives-listener', ['AS-15', 'row 17'], 'At +11 s (listener closed at +10.5 s) c3\'s request is still listed: requests die at their next timer or packet.', { kind: 'ss', host: 'server', view: '-tan', at: 11, exact: ['SYN-RECV 0 0 10.0.0.2:5010 10.0.0.1:c3'] }),
    withId('d4', clientEstab(0.7)),
  ],
  notes: [
    'README (d4 transcript) says "10.50 ... c3 request discarded silently"; the +11.0 s snapshot still lists SYN-RECV 10.0.0.2:5010 <- c3. Row 17 ("dropped silently at their next timer") matches the capture: the request goes when its timer fires or, as here, when c3\'s ping at +11.5 s finds no listener (answered R seq = SEG.ACK).',
    'Only 3 SYN-ACK retransmissions are visible (+1.03, +3.05, +7.30 s): the listener closed at +10.5 s. The +15 and +31 s ones (AS-13) need d6, which the folder lacks.',
    'Not in the README: the same tbf filler datagram to port 9 as d2 (at +0.50 s).',
  ],
};
