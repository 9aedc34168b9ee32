// Catalogue, cases (e) fork-shared sockets, (f) ephemeral ports and TIME-WAIT, (h) listen(0).
import { CAPTURE_POINT, CLIENT, HANDSHAKE, SERVER, check, optionChecks, type Scenario } from './scenario';

export const caseEClose: Scenario = {
  id: 'e/close',
  title: 'fork after accept; the parent close()s (not the last reference), the child sends and closes',
  folder: 'e_fork',
  pcap: 'e_fork/e_close.pcap',
  summary: 'e_fork/e_close.summary.txt',
  ss: ['e_fork/e_close.ss.txt'],
  logs: ['e_close.server.log', 'e_close.client.log'],
  available: true, client: CLIENT, server: SERVER, serverPorts: [5020], capturePoint: CAPTURE_POINT,
  params: { backlog: 8, 'parent close': '+1.5 s after the SYN', 'child send': '+2.5 s', 'child close': '+3.5 s' },
  acceptance: ['AS-19'],
  roles: { c1: 0 },
  connections: [{ role: 'c1', note: 'child sends 31 B, closes first: the server holds TIME-WAIT' }],
  checks: [
    check('e.close.segments', ['AS-19', 'row 32'], 'Handshake; the child\'s 31 B; the child\'s FIN; the client\'s delayed ACK, FIN; the last ACK.', {
      kind: 'segments', conn: 'c1', match: 'exact',
      expect: [...HANDSHAKE, 'S>C P. 1:32 ack 1', 'C>S . 1 ack 32', 'S>C F. 32 ack 1', 'C>S . 1 ack 33', 'C>S F. 1 ack 33', 'S>C . 33 ack 2'],
    }),
    check('e.close.parent-close-silent', ['AS-19', 'row 32'], 'The parent\'s close() sends nothing: no segment between the handshake and the child\'s data.', { kind: 'count', where: { after: 0.1, before: 2.4 }, equals: 0 }),
    check('e.close.child-fin-time', ['AS-19'], 'The FIN goes out when the child (last reference) closes, +3.5 s.', { kind: 'offsets', conn: 'c1', where: { dir: 'S>C', flags: 'F.' }, from: 'connection', offsets: [3.5] }),
    check('e.close.delack', ['row 23'], 'The client ACKs the server\'s FIN after its delayed-ACK timer (+47 ms; it had received data).', { kind: 'gap', from: { conn: 'c1', where: { dir: 'S>C', flags: 'F.' } }, to: { dir: 'C>S', flags: '.' }, seconds: 0.045, tolerance: { rel: 0, abs: 0.02 } }),
    ...optionChecks('e.close', { syn: true, synAck: true, est: ['C>S .', 'C>S F.', 'S>C P.', 'S>C F.', 'S>C .'] }),
    check('e.close.ss-shared', ['AS-19', 'row 32'], 'At +1.5 s both processes are listed on the LISTEN and the ESTAB row.', {
      kind: 'ss', host: 'server', at: 1.5, exact: ['LISTEN 0 8 10.0.0.2:5020 0.0.0.0:* users:(fd=3,fd=3;2 procs)', 'ESTAB 0 0 10.0.0.2:5020 10.0.0.1:c1 users:(fd=4,fd=4;2 procs)'],
    }),
    check('e.close.ss-after-parent-close', ['AS-19'], 'At +2.6 s only the child is listed on the ESTAB row.', {
      kind: 'ss', host: 'server', at: 2.6, exact: ['LISTEN 0 8 10.0.0.2:5020 0.0.0.0:* users:(fd=3,fd=3;2 procs)', 'ESTAB 0 0 10.0.0.2:5020 10.0.0.1:c1 users:(fd=4;1 proc)'],
    }),
    check('e.close.ss-time-wait', ['AS-19', 'row 4'], 'At +4.6 s the server (it closed first) holds TIME-WAIT.', { kind: 'ss', host: 'server', at: 4.6, exact: ['TIME-WAIT 0 0 10.0.0.2:5020 10.0.0.1:c1'] }),
    check('e.close.ss-client-gone', ['AS-19'], 'The client has no row left at +4.6 s.', { kind: 'ss', host: 'client', at: 4.6, exact: [] }),
    check('e.close.log', ['AS-19'], 'The parent\'s close() is not the last reference.', { kind: 'log', file: 'e_close.server.log', pattern: 'parent: close\\(\\) -> NOT last reference' }),
  ],
  notes: ['README times for (e) are script times (t = 0 half a second before the SYN); the capture\'s are from the SYN: parent close +1.5 s, child send +2.5 s, child close +3.5 s.'],
};

export const caseEShutdown: Scenario = {
  id: 'e/shutdown',
  title: 'fork after accept; the parent shutdown(SHUT_WR)s: FIN at once although the child holds the fd',
  folder: 'e_fork',
  pcap: 'e_fork/e_shutdown.pcap',
  summary: 'e_fork/e_shutdown.summary.txt',
  ss: ['e_fork/e_shutdown.ss.txt'],
  logs: ['e_shutdown.server.log', 'e_shutdown.client.log'],
  available: true, client: CLIENT, server: SERVER, serverPorts: [5021], capturePoint: CAPTURE_POINT,
  params: { backlog: 8, 'parent shutdown': '+1.5 s after the SYN', 'client data': '+1.8 s', 'client close': '+2.1 s' },
  acceptance: ['AS-19'],
  roles: { c1: 0 },
  connections: [{ role: 'c1', note: 'server FIN first (shutdown), client sends 35 B then closes' }],
  checks: [
    check('e.shutdown.segments', ['AS-19', 'row 32'], 'shutdown(SHUT_WR) sends F. at once; the child still receives 35 B; the client\'s FIN is ACKed.', {
      kind: 'segments', conn: 'c1', match: 'exact',
      expect: [...HANDSHAKE, 'S>C F. 1 ack 1', 'C>S . 1 ack 2', 'C>S P. 1:36 ack 2', 'S>C . 2 ack 36', 'C>S F. 36 ack 2', 'S>C . 2 ack 37'],
    }),
    check('e.shutdown.fin-time', ['AS-19', 'row 32'], 'The FIN goes out at the shutdown, +1.5 s after the SYN.', { kind: 'offsets', conn: 'c1', where: { dir: 'S>C', flags: 'F.' }, from: 'connection', offsets: [1.5] }),
    check('e.shutdown.fin-ack', ['row 23'], 'The client ACKs that FIN within a few ms (it never received data: no delayed-ACK estimate yet).', { kind: 'gap', from: { conn: 'c1', where: { dir: 'S>C', flags: 'F.' } }, to: { dir: 'C>S', flags: '.' }, seconds: 0.001 }),
    check('e.shutdown.data-ack', ['AS-19'], 'The half-closed server ACKs the client\'s data at once (first data: quick-ack).', { kind: 'gap', from: { conn: 'c1', where: { dir: 'C>S', flags: 'P.' } }, to: { dir: 'S>C', flags: '.' }, seconds: 0 }),
    ...optionChecks('e.shutdown', { syn: true, synAck: true, est: ['C>S .', 'C>S P.', 'C>S F.', 'S>C F.', 'S>C .'] }),
    check('e.shutdown.ss-shared', ['AS-19', 'row 32'], 'At +1.5 s both processes are listed on the LISTEN and the ESTAB row.', {
      kind: 'ss', host: 'server', at: 1.5, contains: ['LISTEN 0 8 10.0.0.2:5021 0.0.0.0:* users:(fd=3,fd=3;2 procs)', 'ESTAB 0 0 10.0.0.2:5021 10.0.0.1:c1 users:(fd=4,fd=4;2 procs)'],
    }),
    check('e.shutdown.ss-time-wait', ['AS-19', 'row 4'], 'At +2.6 s the server holds TIME-WAIT for this connection.', { kind: 'ss', host: 'server', at: 2.6, contains: ['TIME-WAIT 0 0 10.0.0.2:5021 10.0.0.1:c1'] }),
    check('e.shutdown.log', ['AS-19'], 'The child still reads the client\'s data after the parent\'s shutdown.', { kind: 'log', file: 'e_shutdown.server.log', pattern: "child: recv after parent shutdown\\(SHUT_WR\\): b'client data after server half-close'" }),
  ],
  notes: [
    'e_shutdown.ss.txt also lists the TIME-WAIT row of e_close (10.0.0.2:5020), run just before: the ss checks use "contains".',
    'Not in the README: the client ACKs the server\'s FIN after 0.55 ms (no data received yet, so no 40 ms delayed ACK).',
  ],
};

const TW_ROWS = Array.from({ length: 16 }, (_, i) => `TIME-WAIT 0 0 10.0.0.1:c${i + 1} 10.0.0.2:${i >= 10 && i < 15 ? 5031 : 5030} timer:(timewait,0)`);

export const caseF: Scenario = {
  id: 'f',
  title: 'ephemeral ports: 10 connects to :5030, 5 to :5031, one autobind; the client closes first',
  folder: 'f_ports',
  pcap: 'f_ports/f.pcap',
  summary: 'f_ports/f.summary.txt',
  ss: ['f_ports/ss.txt', 'f_ports/srv_rebind.log'],
  logs: ['ports.log', 'tw_rules.log', 'srv_rebind.log'],
  available: true, client: CLIENT, server: SERVER, serverPorts: [5030, 5031], capturePoint: CAPTURE_POINT,
  params: { ip_local_port_range: '32768 60999', 'connect interval': '50 ms' },
  acceptance: ['AS-20'],
  roles: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`c${i + 1}`, i])),
  connections: [
    { role: 'c1..c10', note: 'to 5030: ports 47356 ... 47422' },
    { role: 'c11..c15', note: 'to 5031: ports 50418 ... 50454 (another region of the range)' },
    { role: 'c16', note: 'autobind on connect() to 5030: 47424' },
  ],
  checks: [
    check('f.connections', ['AS-20'], '16 connections: 11 to 5030, 5 to 5031.', { kind: 'connections', count: 16 }),
    check('f.connections-5031', ['AS-20'], 'Five of them go to port 5031.', { kind: 'connections', count: 5, serverPort: 5031 }),
    check('f.ports-5030', ['AS-20a', 'row 6'], 'Ports to 5030: even, in range, distinct, increasing.', { kind: 'clientPorts', serverPort: 5030, parity: 'even', range: [32768, 60999], distinct: true, increasing: true }),
    check('f.ports-5031', ['AS-20a', 'row 6'], 'Ports to 5031: even, in range, distinct, increasing.', { kind: 'clientPorts', serverPort: 5031, parity: 'even', range: [32768, 60999], distinct: true, increasing: true }),
    check('f.close-each', ['AS-20a', 'AS-04'], 'Each connection: handshake, client F., server F. carrying the ACK, last ACK.', { kind: 'segments', conn: 'each', match: 'exact', expect: [...HANDSHAKE, 'C>S F. 1 ack 1', 'S>C F. 1 ack 2', 'C>S . 2 ack 2'] }),
    check('f.interval', ['AS-20a'], 'Connections 50 ms apart.', { kind: 'startOffsets', conns: ['c1', 'c2', 'c3'], offsets: [0, 0.05, 0.1] }),
    ...optionChecks('f', { syn: true, synAck: true, est: ['C>S .', 'C>S F.', 'S>C F.'] }),
    check('f.ss-time-wait', ['AS-20a', 'row 4'], 'The client holds a TIME-WAIT row (timewait timer) for every connection.', { kind: 'ss', host: 'client', view: '-tano', contains: TW_ROWS }),
    check('f.ss-only-time-wait', ['AS-20a'], 'The client has no row in any other state (every connection fully closed).', { kind: 'ss', host: 'client', view: '-tano', noState: ['ESTAB', 'FIN-WAIT-2', 'CLOSE-WAIT', 'LAST-ACK', 'SYN-SENT'] }),
    check('f.log-bind0-odd', ['AS-20a', 'row 7'], 'bind(0) gives odd ports.', { kind: 'log', file: 'ports.log', pattern: 'bind\\(\\(\'10\\.0\\.0\\.1\',0\\)\\) x6 .* parities \\[1, 1, 1, 1, 1, 1\\]' }),
    check('f.log-listen-conflict', ['AS-20b', 'row 33'], 'A LISTEN socket on the port blocks bind even with SO_REUSEADDR.', { kind: 'log', file: 'ports.log', pattern: 'LISTEN socket \\(even with SO_REUSEADDR\\) -> EADDRINUSE' }),
    check('f.log-tw-reuse', ['AS-20d', 'row 34'], 'Explicit bind + connect onto a TIME-WAIT 4-tuple succeeds (timestamps on).', { kind: 'log', file: 'tw_rules.log', pattern: 'connect\\(\\) to the same peer \\(identical 4-tuple\\) -> OK' }),
    check('f.log-relisten', ['AS-20c', 'row 33'], 'Re-listen over server TIME-WAIT: OK only with SO_REUSEADDR on both.', { kind: 'log', file: 'srv_rebind.log', pattern: 're-listen on 5041 with SO_REUSEADDR=1 while server TIME-WAIT exists -> OK' }),
  ],
  notes: [
    'f.pcap holds only the port runs (ports.log): tw_rules.log and srv_rebind.log were made after the capture stopped (run_f.sh), so the TIME-WAIT reuse of row 34 / AS-20d has no packets.',
    'f_ports/ss.txt lists 32 TIME-WAIT rows: the 16 of this capture (59 s left) and 16 from an earlier run (40-41 s left, ports 51270..., 36374...) that are not in the pcap.',
    'AS-20d "the new ISN is greater than the old snd_nxt" is not visible anywhere (no capture of the reuse).',
  ],
};

export const caseH: Scenario = {
  id: 'h',
  title: 'listen(0): one connection completes; the queued child ACKs a FIN and is reset at close',
  folder: 'h_backlog0',
  pcap: 'h_backlog0/h.pcap',
  summary: 'h_backlog0/h.summary.txt',
  ss: ['h_backlog0/ss.txt', 'h_backlog_values.txt'],
  logs: ['clients.log'],
  available: true, client: CLIENT, server: SERVER, serverPorts: [5110], capturePoint: CAPTURE_POINT,
  params: { backlog: 0, accept: 'never', 'clients': '3, 0.3 s apart, closed after ~1.6 s', 'listener close': '~3.7 s' },
  acceptance: ['AS-10', 'AS-16', 'AS-15'],
  roles: { c1: 0, c2: 1, c3: 2 },
  connections: [
    { role: 'c1', note: 'completes (listen(0) holds 1); closes at +1.9 s: the queued child ACKs the FIN (CLOSE-WAIT) and is reset when the listener closes' },
    { role: 'c2', note: 'SYN dropped, retransmitted once at +1 s, then the client gives up' },
    { role: 'c3', note: 'same as c2' },
  ],
  checks: [
    check('h.connections', ['AS-10'], 'Three clients.', { kind: 'connections', count: 3, serverPort: 5110 }),
    check('h.c1', ['AS-10', 'AS-16', 'row 16', 'row 17'], 'c1 completes; its FIN is ACKed by the queued child; the listener\'s close resets it (R. 1 ack 2).', { kind: 'segments', conn: 'c1', match: 'exact', expect: [...HANDSHAKE, 'C>S F. 1 ack 1', 'S>C . 1 ack 2', 'S>C R. 1 ack 2 len 0 win 64 <nop,nop,TS>'] }),
    check('h.no-reply', ['AS-10', 'row 10'], 'c2 and c3 never get a reply.', { kind: 'count', conns: ['c2', 'c3'], where: { dir: 'S>C' }, equals: 0 }),
    check('h.c2-syns', ['AS-10', 'row 2'], 'c2 retransmits its SYN after 1 s.', { kind: 'offsets', conn: 'c2', where: { dir: 'C>S', flags: 'S' }, offsets: [0, 1] }),
    check('h.c3-syns', ['AS-10', 'row 2'], 'c3 likewise.', { kind: 'offsets', conn: 'c3', where: { dir: 'C>S', flags: 'S' }, offsets: [0, 1] }),
    check('h.fin-ack', ['AS-16', 'row 23'], 'The child ACKs the FIN within a few ms (it never received data: no 40 ms delayed-ACK estimate yet).', { kind: 'gap', from: { conn: 'c1', where: { dir: 'C>S', flags: 'F.' } }, to: { dir: 'S>C', flags: '.' }, seconds: 0.008 }),
    check('h.rst-rules', ['row 24'], 'RST rules hold.', { kind: 'rstRules' }),
    ...optionChecks('h', { syn: true, synAck: true, est: ['C>S .', 'C>S F.', 'S>C .'] }),
    check('h.ss-listen', ['AS-10', 'row 9'], 'ss -ltn: LISTEN Recv-Q 1 Send-Q 0.', { kind: 'ss', host: 'server', view: '-ltn', at: 2, exact: ['LISTEN 1 0 10.0.0.2:5110 0.0.0.0:*'] }),
    check('h.ss-close-wait', ['AS-10', 'AS-16', 'row 16'], 'ss -tan: the queued child is CLOSE-WAIT with Recv-Q 1 (the FIN).', { kind: 'ss', host: 'server', view: '-tan', at: 2, exact: ['LISTEN 1 0 10.0.0.2:5110 0.0.0.0:*', 'CLOSE-WAIT 1 0 10.0.0.2:5110 10.0.0.1:c1'] }),
    check('h.log', ['AS-10'], 'Only client 1 connected.', { kind: 'log', file: 'clients.log', pattern: 'client 2: connected=False' }),
    check('h.backlog-values', ['row 8', 'row 15'], 'listen() backlogs as ss -ltn shows them: 0 -> 0, 1 -> 1, 4096 -> 4096, 100000 -> 4096, re-listen(7) -> 7 (CPython turns -1 into 0).', {
      kind: 'ss', source: 'h_backlog_values.txt', nth: 0,
      exact: [5105, 5104, 5106, 5101, 5103, 5102].map((p, i) => `LISTEN 0 ${[4096, 4096, 0, 0, 7, 1][i]} 10.0.0.2:${p} 0.0.0.0:*`),
    }),
    check('h.backlog-negative', ['row 8'], 'libc listen(fd, -1) -> somaxconn (4096).', { kind: 'ss', source: 'h_backlog_values.txt', nth: 1, exact: ['LISTEN 0 4096 10.0.0.2:5107 0.0.0.0:*'] }),
  ],
  notes: [
    'Not in the README: the child ACKs c1\'s FIN after 7.8 ms, not ~40 ms (README row 23, AS-16 "delack"): a connection that never received data has icsk_ack.ato = 0, so the delayed-ACK timer fires at the next tick. With data first (a, e/close, and d6 per the README) it is ~40 ms.',
    'The clients close their sockets at about +1.9 s, so c2 and c3 send only 2 SYNs each (no +2, +3 s retransmissions).',
    'Recv-Q 1 on the CLOSE-WAIT row counts the FIN (rcv_nxt - copied_seq); AS-16\'s "Recv-Q 7" for 6 bytes + FIN is the same rule.',
    'h_backlog_values.txt: CPython clamps listen(-1) to 0 (:5106 shows Send-Q 0); the libc call listen(fd, -1) gives 4096 (:5107).',
  ],
};
