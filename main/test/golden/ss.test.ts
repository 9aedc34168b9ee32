// ss and nstat parsers on every snapshot file of linux-truth, plus row canonicalization and the
// multiset comparison used to check our `ss` program against Linux's.
import { describe, expect, it } from 'vitest';
import { compareCounters, counterValue, parseNstat, splitCounterName } from './nstat';
import { findSsTable, parseSs, parseSsDuration, parseSsRow, parseSsTimer, type SsRow } from './ss';
import { canonicalSsRow, clientPortRoles, compareSsRows } from './ss-compare';
import { linuxTruthDir, linuxTruthMissing, listFiles, readText, readTrace } from './truth';

const TRUTH = linuxTruthDir();
if (!TRUTH) console.log(linuxTruthMissing());

const ROWLIKE = /^\s*(?:ESTAB|LISTEN|SYN-SENT|SYN-RECV|TIME-WAIT|CLOSE-WAIT|LAST-ACK|FIN-WAIT-[12]|CLOSING|UNCONN)\s|^\s*\d+\s+\d+\s+\S+:\S+\s+\S+:\S+/;

describe('ss pieces', () => {
  it('durations as iproute2 print_ms_timer writes them', () => {
    expect(parseSsDuration('880ms')).toBe(880);
    expect(parseSsDuration('1.916ms')).toBe(1916);
    expect(parseSsDuration('57sec')).toBe(57_000);
    expect(parseSsDuration('2min')).toBe(120_000);
    expect(parseSsDuration('1min30sec')).toBe(90_000);
    expect(parseSsDuration('12.050ms')).toBe(12_050);
    expect(parseSsDuration('soon')).toBeNull();
    expect(parseSsTimer('timer:(on,1.916ms,6)')).toEqual({ name: 'on', ms: 1916, retrans: 6, raw: 'timer:(on,1.916ms,6)' });
  });

  it('rows with users, timers and other columns; addresses with * and IPv6', () => {
    const r = parseSsRow('ESTAB  0  0  10.0.0.2:5020  10.0.0.1:33284 users:(("my server",pid=7,fd=4),("python3",pid=8,fd=4)) ino:1234 sk:1 <->')!;
    expect(r).toMatchObject({ state: 'ESTAB', recvQ: 0, sendQ: 0, local: { addr: '10.0.0.2', port: 5020 }, peer: { addr: '10.0.0.1', port: 33284 } });
    expect(r.users).toEqual([{ name: 'my server', pid: 7, fd: 4 }, { name: 'python3', pid: 8, fd: 4 }]);
    expect(r.extra).toEqual(['ino:1234', 'sk:1', '<->']);
    expect(parseSsRow('LISTEN 0 4096 [::]:22 [::]:*')).toMatchObject({ local: { addr: '[::]', port: 22 }, peer: { addr: '[::]', port: '*' } });
    expect(parseSsRow('0 0 10.0.0.2:5041 10.0.0.1:57224', { netid: false, state: false })).toMatchObject({ recvQ: 0, local: { port: 5041 } });
    expect(parseSsRow('LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*')).toMatchObject({ local: { addr: '0.0.0.0', port: 'ssh' } });
    expect(parseSsRow('State Recv-Q Send-Q')).toBeNull();
    expect(parseSsRow('WEIRD 0 0 1.2.3.4:1 5.6.7.8:2')).toBeNull();
  });

  it('canonical rows: ephemeral ports by parity or role, pids counted, timers by name and count', () => {
    const r: SsRow = parseSsRow('ESTAB 0 0 10.0.0.2:5020 10.0.0.1:33284 users:(("python3",pid=30691,fd=4),("python3",pid=30565,fd=4))')!;
    expect(canonicalSsRow(r)).toBe('ESTAB 0 0 10.0.0.2:5020 10.0.0.1:EPH(even) users:(fd=4,fd=4;2 procs)');
    expect(canonicalSsRow(r, { portRoles: new Map([[33284, 'c1']]), users: 'full' })).toBe('ESTAB 0 0 10.0.0.2:5020 10.0.0.1:c1 users:("python3",fd=4,"python3",fd=4;2 procs)');
    const tw = parseSsRow('TIME-WAIT 0 0 10.0.0.1:42621 10.0.0.2:5000 timer:(timewait,57sec,0)')!;
    expect(canonicalSsRow(tw)).toBe('TIME-WAIT 0 0 10.0.0.1:EPH(odd) 10.0.0.2:5000 timer:(timewait,0)');
    expect(canonicalSsRow(tw, { timer: 'none', queues: false })).toBe('TIME-WAIT 10.0.0.1:EPH(odd) 10.0.0.2:5000');
  });

  it('compareSsRows: order ignored, missing/extra rows and timer tolerance in the report', () => {
    const rows = (text: string): SsRow[] => parseSs(`State Recv-Q Send-Q Local Address:Port Peer Address:Port\n${text}`).tables[0]!.rows;
    const e = rows('LISTEN 2 1 10.0.0.2:5010 0.0.0.0:*\nESTAB 0 0 10.0.0.2:5010 10.0.0.1:43048\nTIME-WAIT 0 0 10.0.0.2:5010 10.0.0.1:43050 timer:(timewait,58sec,0)');
    const a = rows('TIME-WAIT 0 0 10.0.0.2:5010 10.0.0.1:40002 timer:(timewait,57sec,0)\nESTAB 0 0 10.0.0.2:5010 10.0.0.1:40000\nLISTEN 2 1 10.0.0.2:5010 0.0.0.0:*');
    expect(compareSsRows(e, a, { timerTolerance: {} }).ok).toBe(true);
    const b = rows('LISTEN 1 1 10.0.0.2:5010 0.0.0.0:*\nESTAB 0 0 10.0.0.2:5010 10.0.0.1:40000\nTIME-WAIT 0 0 10.0.0.2:5010 10.0.0.1:40002 timer:(timewait,40sec,0)');
    const d = compareSsRows(e, b, { timerTolerance: {} });
    expect(d.missing).toEqual(['LISTEN 2 1 10.0.0.2:5010 0.0.0.0:*']);
    expect(d.extra).toEqual(['LISTEN 1 1 10.0.0.2:5010 0.0.0.0:*']);
    expect(d.timers).toEqual(['TIME-WAIT 0 0 10.0.0.2:5010 10.0.0.1:EPH(even) timer:(timewait,0): timer:(timewait,40sec,0) vs timer:(timewait,58sec,0)']);
    expect(d.report.split('\n')).toEqual([
      'ss rows: 1 missing (-), 1 unexpected (+), 1 timer difference(s) (!); order ignored, EPH = an ephemeral port',
      '- LISTEN 2 1 10.0.0.2:5010 0.0.0.0:*',
      '  ESTAB 0 0 10.0.0.2:5010 10.0.0.1:EPH(even)',
      '! TIME-WAIT 0 0 10.0.0.2:5010 10.0.0.1:EPH(even) timer:(timewait,0)   timer timer:(timewait,40sec,0) vs timer:(timewait,58sec,0)',
      '+ LISTEN 1 1 10.0.0.2:5010 0.0.0.0:*',
    ]);
  });
});

describe.skipIf(!TRUTH)('ss parser on every linux-truth snapshot file', () => {
  const files = TRUTH ? listFiles(TRUTH, (n) => /\.(txt|log)$/.test(n) && !/summary|tcpdump/.test(n)).filter((f) => /Recv-Q\s+Send-Q/.test(readText(TRUTH, f))) : [];

  it('finds the snapshot files', () => {
    expect(files).toEqual([
      'a_handshake_close/ss_after_close.txt',
      'a_handshake_close/ss_established.txt',
      'd_backlog/d1_stagger/ss_snapshots.txt',
      'd_backlog/d2_burst/ss_snapshots.txt',
      'd_backlog/d4_first_then_burst/ss_snapshots.txt',
      'e_fork/e_close.ss.txt',
      'e_fork/e_shutdown.ss.txt',
      'f_ports/srv_rebind.log',
      'f_ports/ss.txt',
      'h_backlog0/ss.txt',
      'h_backlog_values.txt',
    ]);
  });

  for (const f of files) {
    it(`${f}: every row-like line is a parsed row`, () => {
      const text = readText(TRUTH!, f);
      const ss = parseSs(text);
      expect(ss.unparsed).toEqual([]);
      expect(ss.tables.length).toBeGreaterThan(0);
      const rowLines = text.split('\n').filter((l) => ROWLIKE.test(l)).length;
      expect(ss.tables.reduce((n, t) => n + t.rows.length, 0)).toBe(rowLines);
      for (const t of ss.tables) for (const r of t.rows) expect(Number.isInteger(r.recvQ) && Number.isInteger(r.sendQ)).toBe(true);
    });
  }

  it('a: two ESTAB children share the listener\'s local address; TIME-WAIT on the client', () => {
    const est = parseSs(readText(TRUTH!, 'a_handshake_close/ss_established.txt')).tables;
    const srv = findSsTable(est, { host: 'server', at: 1.7 })!;
    expect(srv.view).toBe('-tanpo');
    expect(srv.rows.map((r) => [r.state, r.recvQ, r.sendQ, `${r.local.addr}:${r.local.port}`, r.peer.port, r.users?.map((u) => u.fd)])).toEqual([
      ['LISTEN', 0, 128, '10.0.0.2:5000', '*', [3]],
      ['ESTAB', 0, 0, '10.0.0.2:5000', 42630, [5]],
      ['ESTAB', 0, 0, '10.0.0.2:5000', 42620, [4]],
    ]);
    expect(findSsTable(est, { host: 'client' })!.at).toBe(1.7);
    const after = parseSs(readText(TRUTH!, 'a_handshake_close/ss_after_close.txt')).tables;
    expect(findSsTable(after, { host: 'client' })!.rows.map((r) => [r.state, r.timer?.name, r.timer?.ms, r.timer?.retrans])).toEqual([
      ['TIME-WAIT', 'timewait', 57_000, 0],
      ['TIME-WAIT', 'timewait', 58_000, 0],
    ]);
  });

  it('d1: snapshots by time, host and view; SYN-SENT timers', () => {
    const t = parseSs(readText(TRUTH!, 'd_backlog/d1_stagger/ss_snapshots.txt')).tables;
    expect(t.map((x) => `${x.at ?? 'end'} ${x.host} ${x.view}`)).toEqual([
      '0.7 server -ltn', '0.7 server -tan', '0.7 client -tan',
      '2.5 server -ltn', '2.5 server -tan', '2.5 client -tan',
      '5 server -ltn', '5 server -tan', '5 client -tan',
      '9.8 server -ltn', '9.8 server -tan', '9.8 client -tan',
      '11 server -ltn', '11 server -tan', '11 client -tan',
      'end client -tan',
    ]);
    const cli = findSsTable(t, { host: 'client', at: 9.8 })!;
    expect(cli.rows.filter((r) => r.state === 'SYN-SENT').map((r) => [r.sendQ, r.timer?.ms, r.timer?.retrans])).toEqual([[1, 1916, 6], [1, 2200, 6]]);
    expect(findSsTable(t, { host: 'server', at: 11, view: '-tan' })!.rows).toEqual([]);
  });

  it('e: users of a fork-shared socket; h_backlog0: two views under one heading; a table without State', () => {
    const e = parseSs(readText(TRUTH!, 'e_fork/e_close.ss.txt')).tables;
    expect(findSsTable(e, { host: 'server', at: 1.5 })!.rows.map((r) => r.users?.map((u) => `${u.pid}/${u.fd}`))).toEqual([
      ['30691/3', '30565/3'],
      ['30691/4', '30565/4'],
    ]);
    expect(findSsTable(e, { host: 'server', at: 2.6 })!.rows[1]!.users).toEqual([{ name: 'python3', pid: 30691, fd: 4 }]);
    const h = parseSs(readText(TRUTH!, 'h_backlog0/ss.txt')).tables;
    expect(h.map((x) => [x.view, x.at, x.rows.map((r) => `${r.state} ${r.recvQ} ${r.sendQ}`)])).toEqual([
      ['-ltn', 2, ['LISTEN 1 0']],
      ['-tan', 2, ['LISTEN 1 0', 'CLOSE-WAIT 1 0']],
    ]);
    const rb = parseSs(readText(TRUTH!, 'f_ports/srv_rebind.log')).tables;
    expect(rb.map((x) => x.rows.map((r) => [r.state, r.local.port, r.peer.port]))).toEqual([[[undefined, 5041, 57224]], [[undefined, 5042, 42452]]]);
    const bv = parseSs(readText(TRUTH!, 'h_backlog_values.txt')).tables;
    expect(bv.map((x) => x.rows.map((r) => `${r.local.port}:${r.sendQ}`))).toEqual([
      ['5105:4096', '5104:4096', '5106:0', '5101:0', '5103:7', '5102:1'],
      ['5107:4096'],
    ]);
  });

  it('the same server table in two captures compares equal once client ports are roles', () => {
    const tab = (dir: string, at: number): SsRow[] => findSsTable(parseSs(readText(TRUTH!, `d_backlog/${dir}/ss_snapshots.txt`)).tables, { host: 'server', view: '-tan', at })!.rows;
    const roles = (dir: string): Map<number, string> => clientPortRoles(readTrace(TRUTH!, `d_backlog/${dir}/d.pcap`));
    const d1 = tab('d1_stagger', 0.7);
    // d2 lists c2 before c1: the order does not matter.
    expect(compareSsRows(d1, tab('d2_burst', 0.7), { portRoles: roles('d2_burst') }, { portRoles: roles('d1_stagger') }).report).toBe('');
    const d4 = compareSsRows(d1, tab('d4_first_then_burst', 0.7), { portRoles: roles('d4_first_then_burst') }, { portRoles: roles('d1_stagger') });
    expect(d4.extra).toEqual(['SYN-RECV 0 0 10.0.0.2:5010 10.0.0.1:c3']);
    expect(d4.missing).toEqual([]);
  });
});

describe('nstat', () => {
  it('parses names and values; bare MIB field names find nstat names and back', () => {
    const n = parseNstat('#kernel\nTcpPassiveOpens                 2                  0.0\nTcpExtListenOverflows           14                 0.0\n');
    expect([...n.counters]).toEqual([['TcpPassiveOpens', 2], ['TcpExtListenOverflows', 14]]);
    expect(splitCounterName('TcpExtTCPReqQFullDoCookies')).toEqual({ mib: 'TcpExt', field: 'TCPReqQFullDoCookies' });
    expect(splitCounterName('ListenOverflows')).toEqual({ field: 'ListenOverflows' });
    expect(counterValue(n.counters, 'ListenOverflows')).toBe(14);
    expect(counterValue({ ListenOverflows: 3 }, 'TcpExtListenOverflows')).toBe(3);
    expect(counterValue({ ListenOverflows: 3 }, 'TcpListenOverflows')).toBe(3);
    const d = compareCounters(n.counters, { PassiveOpens: 2, ListenOverflows: 13 });
    expect(d.ok).toBe(false);
    expect(d.report.split('\n')).toEqual([
      'counters: 1 of 2 differ',
      '  TcpPassiveOpens        expected    2  actual    2',
      '! TcpExtListenOverflows  expected   14  actual   13',
    ]);
  });

  it.skipIf(!TRUTH)('every nstat.txt parses completely', () => {
    const files = listFiles(TRUTH!, (f) => f === 'nstat.txt');
    expect(files).toHaveLength(3);
    for (const f of files) {
      const n = parseNstat(readText(TRUTH!, f));
      expect(n.unparsed, f).toEqual([]);
      expect(n.counters.size, f).toBe(15);
    }
    const d1 = parseNstat(readText(TRUTH!, 'd_backlog/d1_stagger/nstat.txt')).counters;
    expect([counterValue(d1, 'ListenOverflows'), counterValue(d1, 'ListenDrops'), counterValue(d1, 'PassiveOpens')]).toEqual([14, 14, 2]);
  });
});
