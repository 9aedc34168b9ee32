// Cases the README describes but linux-truth does not hold (d3, d5, d6: scripts/run_d_all.sh lists d3
// and d5, CLOSE_OFF=80 gives d6; their folders are absent). Their checks are written from the README
// text alone: usable against our stack, unproven against Linux (catalogue.test.ts lists them).
import { CAPTURE_POINT, CLIENT, HANDSHAKE, SERVER, check, type Scenario } from './scenario';

const MISSING = (f: string): string => `No capture: d_backlog/${f} is not in linux-truth. Checks transcribe the README and are unproven.`;
const D = { client: CLIENT, server: SERVER, serverPorts: [5010], capturePoint: CAPTURE_POINT, available: false } as const;
const ROLES = { c1: 0, c2: 1, c3: 2, c4: 3 };

export const caseD3: Scenario = {
  ...D,
  id: 'd3',
  title: 'SYN burst with tcp_syncookies=0: SYN3/SYN4 dropped',
  folder: 'd_backlog/d3_burst_nocookies',
  params: { backlog: 1, tcp_syncookies: 0, tcp_abort_on_overflow: 0, accept: 'never' },
  acceptance: ['AS-12'],
  roles: ROLES,
  connections: [
    { role: 'c1', note: 'child #1' }, { role: 'c2', note: 'child #2' },
    { role: 'c3', note: 'SYN dropped (TCPReqQFullDrop), retransmits dropped (queue full), R. after the close' }, { role: 'c4', note: 'as c3' },
  ],
  checks: [
    check('d3.handshake-c1', ['AS-12'], 'c1 completes.', { kind: 'segments', conn: 'c1', match: 'prefix', expect: HANDSHAKE }),
    check('d3.handshake-c2', ['AS-12'], 'c2 completes.', { kind: 'segments', conn: 'c2', match: 'prefix', expect: HANDSHAKE }),
    check('d3.no-synack', ['AS-12', 'row 11'], 'c3 and c4 get no SYN-ACK (dropped without cookies).', { kind: 'count', conns: ['c3', 'c4'], where: { dir: 'S>C', before: 10.4 }, equals: 0 }),
    check('d3.c3-syn-times', ['AS-12', 'row 2'], 'c3 retransmits at +1, 2, 3, 4, 5, 7 s; the +11 s SYN meets the closed listener.', { kind: 'offsets', conn: 'c3', where: { dir: 'C>S', flags: 'S' }, offsets: [0, 1, 2, 3, 4, 5, 7, 11] }),
    check('d3.late-rst', ['AS-12', 'AS-15'], 'That SYN gets R. seq 0 ack x+1.', { kind: 'all', conns: ['c3', 'c4'], expect: 'S>C R. raw 0 ack 1 len 0 win 0 <none>' }),
    check('d3.counters', ['AS-12', 'row 11'], 'TCPReqQFullDrop 2, ListenOverflows 12, no cookies.', { kind: 'counters', equals: { TCPReqQFullDrop: 2, ListenOverflows: 12, SyncookiesSent: 0 } }),
  ],
  notes: [MISSING('d3_burst_nocookies')],
};

export const caseD5: Scenario = {
  ...D,
  id: 'd5',
  title: 'as d4 with tcp_abort_on_overflow=1',
  folder: 'd_backlog/d5_first_then_burst_abort_on_overflow',
  params: { backlog: 1, tcp_syncookies: 1, tcp_abort_on_overflow: 1, accept: 'never' },
  acceptance: ['AS-14'],
  roles: ROLES,
  connections: [
    { role: 'c1', note: 'child #1' }, { role: 'c2', note: 'child #2' },
    { role: 'c3', note: 'request; its ACK meets a full queue: R seq = SEG.ACK at once' }, { role: 'c4', note: 'cookie: ACK dropped silently, no RST' },
  ],
  checks: [
    check('d5.c3-rst', ['AS-14', 'row 12'], 'c3\'s final ACK is answered at once by R seq = ACK.ack (no ACK flag).', { kind: 'segments', conn: 'c3', match: 'prefix', expect: [...HANDSHAKE, 'S>C R 1 len 0 win 0 <none>'] }),
    check('d5.c3-rst-at-once', ['AS-14'], 'Immediately.', { kind: 'gap', from: { conn: 'c3', where: { dir: 'C>S', flags: '.' } }, to: { dir: 'S>C', flags: 'R' }, seconds: 0 }),
    check('d5.c3-no-retransmit', ['AS-14'], 'No SYN-ACK retransmission to c3 (no request left).', { kind: 'count', conns: ['c3'], where: { dir: 'S>C', flags: 'S.' }, equals: 1 }),
    check('d5.c4-no-rst', ['AS-14', 'row 13'], 'The cookie client c4 gets no RST for its ACK.', { kind: 'count', conns: ['c4'], where: { dir: 'S>C', flags: ['R', 'R.'], before: 11.4 }, equals: 0 }),
    check('d5.counters', ['AS-14'], 'EmbryonicRsts 1.', { kind: 'counters', equals: { EmbryonicRsts: 1 } }),
    check('d5.log', ['AS-14'], 'c3\'s later send -> ECONNRESET.', { kind: 'log', file: 'clients.log', pattern: 'c3 send -> ECONNRESET' }),
  ],
  notes: [MISSING('d5_first_then_burst_abort_on_overflow')],
};

export const caseD6: Scenario = {
  ...D,
  id: 'd6',
  title: 'as d4, held 80 s: full SYN-ACK schedule, request expiry, cookie revalidation, queued children live',
  folder: 'd_backlog/d6',
  params: { backlog: 1, tcp_syncookies: 1, tcp_abort_on_overflow: 0, accept: 'never', 'clients send': '+70 s', 'clients close': '+71 s', 'listener close': '+80 s' },
  acceptance: ['AS-13', 'AS-16', 'AS-15'],
  roles: ROLES,
  connections: [
    { role: 'c1', note: 'queued child: ACKs the ping, ACKs the FIN (44 ms), CLOSE-WAIT 7 0, R. at +80 s' }, { role: 'c2', note: 'as c1' },
    { role: 'c3', note: 'request: SYN-ACK at +1, 3, 7, 15, 31 s, expires at +63 s; its data at +70 s -> R' },
    { role: 'c4', note: 'cookie: data at +70 s revalidated and dropped; retransmitted with RTO 200 ms doubling' },
  ],
  checks: [
    check('d6.c3-synack-times', ['AS-13', 'row 3'], 'SYN-ACK retransmits at +1, 3, 7, 15, 31 s after the first.', { kind: 'offsets', conn: 'c3', where: { dir: 'S>C', flags: 'S.' }, offsets: [0, 1, 3, 7, 15, 31] }),
    check('d6.c3-acks', ['AS-13'], 'Each answered by an ACK (dropped).', { kind: 'count', conns: ['c3'], where: { dir: 'C>S', flags: '.', len: 0, before: 69 }, equals: 6 }),
    check('d6.ss-expired', ['AS-13', 'row 3'], 'At +66 s the request is gone, with no RST.', { kind: 'ss', host: 'server', at: 66, noState: ['SYN-RECV'] }),
    check('d6.no-rst-before-data', ['AS-13'], 'No RST to c3 before its data.', { kind: 'count', conns: ['c3'], where: { dir: 'S>C', flags: ['R', 'R.'], before: 69.9 }, equals: 0 }),
    check('d6.c3-data-rst', ['AS-13', 'row 25'], 'c3\'s data at +70 s -> R seq = SEG.ACK.', { kind: 'count', conns: ['c3'], where: { dir: 'S>C', flags: 'R', after: 69.9, before: 70.1 }, equals: 1 }),
    check('d6.c1-ping-acked', ['AS-16', 'row 16'], 'The queued child c1 ACKs the 6-byte ping at once.', { kind: 'gap', from: { conn: 'c1', where: { dir: 'C>S', flags: 'P.' } }, to: { dir: 'S>C', flags: '.' }, seconds: 0 }),
    check('d6.c1-fin-delack', ['AS-16', 'row 23'], 'It ACKs c1\'s FIN after 44 ms (delayed ACK).', { kind: 'gap', from: { conn: 'c1', where: { dir: 'C>S', flags: 'F.' } }, to: { dir: 'S>C', flags: '.' }, seconds: 0.044, tolerance: { rel: 0, abs: 0.02 } }),
    check('d6.c4-data-rto', ['row 1', 'row 13'], 'c4\'s data is retransmitted at +0.214, 0.442, 0.918, 1.842, 3.666, 7.282 s (RTO 200 ms min, doubling).', { kind: 'offsets', conn: 'c4', where: { dir: 'C>S', flags: 'P.' }, offsets: [0, 0.214, 0.442, 0.918, 1.842, 3.666, 7.282] }),
    check('d6.close-reset', ['AS-15', 'row 17'], 'At +80 s the listener\'s close resets c1 from CLOSE-WAIT: R. seq=snd_nxt ack=rcv_nxt (6 B + FIN).', { kind: 'segments', conn: 'c1', match: 'suffix', expect: ['S>C R. 1 ack 8 <nop,nop,TS>'] }),
    check('d6.counters', ['AS-13'], 'SyncookiesFailed 1 (c3\'s data hits the listener after its request expired).', { kind: 'counters', equals: { SyncookiesFailed: 1 } }),
  ],
  notes: [
    MISSING('d6'),
    'README row 1 gives c4\'s RTO intervals 214, 228, 476, 924, 1824, 3616 ms; section (d) gives the same as offsets +0.214 ... +7.282 s (consistent).',
    'README: the CLOSE-WAIT 7 0 rows are shown at an unspecified time after +71 s: no ss check.',
  ],
};
