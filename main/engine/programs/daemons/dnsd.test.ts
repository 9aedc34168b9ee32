import { describe, expect, it } from 'vitest';
import { DnsClass, DnsOpcode, DnsRcode, DnsType, dnsQuery, parseDns, parseIpv4, summarize, writeDns, type DnsParsed } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Program, type Sys } from '../../process';
import { MS, SEC } from '../../sim';
import { MemorySink, twoHosts } from '../../test/lab-fixtures';
import { World } from '../../world';
import { dnsd, handleQuery, logLine, lookupZone, parseZone, UDP_MAX, type Zone } from './dnsd';

const ip = (s: string) => parseIpv4(s)!;
const ZONE = '# the lab\ndomain lab\n10.0.0.1 client alice\n10.0.0.2 server www   # two names\n';

function ask(zone: Zone | null, name: string, type: number = DnsType.A, id = 0x1a2b, transport: 'udp' | 'tcp' = 'udp') {
  const h = handleQuery(zone, writeDns(dnsQuery(id, name, type)), transport);
  const r = h.reply ? parseDns(h.reply, 0) : null;
  return { text: h.text, reply: h.reply, msg: r?.ok ? (r.value as DnsParsed) : null };
}

describe('dnsd: the zone file', () => {
  it('reads hosts lines and the domain, skips comments, reports bad lines', () => {
    const z = parseZone(ZONE + 'domain\n10.0.0.300 bad\n10.0.0.9\n10.0.0.3 ok bad..name\n');
    expect(z.domain).toBe('lab');
    expect(z.hosts).toEqual([
      { addr: ip('10.0.0.1'), names: ['client', 'alice'] },
      { addr: ip('10.0.0.2'), names: ['server', 'www'] },
      { addr: ip('10.0.0.3'), names: ['ok'] },
    ]);
    expect(z.errors).toEqual([
      'line 5: domain : empty name',
      'line 6: 10.0.0.300: not an IPv4 address',
      'line 7: 10.0.0.9: no name',
      expect.stringMatching(/^line 8: bad\.\.name: /),
    ]);
    expect(parseZone('').domain).toBe('lab');
    expect(parseZone('domain Example.ORG.\n').domain).toBe('example.org');
  });

  it('answers A for short and full names in any case, PTR with the domain, NXDOMAIN, NODATA, REFUSED', () => {
    const z = parseZone(ZONE);
    const a = (n: string) => [{ name: n, type: DnsType.A, class: DnsClass.IN, ttl: 3600, data: ip('10.0.0.2') }];
    expect(lookupZone(z, 'server', DnsType.A)).toEqual({ kind: 'answer', records: a('server') });
    expect(lookupZone(z, 'SERVER.Lab', DnsType.A)).toEqual({ kind: 'answer', records: a('SERVER.Lab') });
    expect(lookupZone(z, 'www.lab', 255 /* ANY */)).toEqual({ kind: 'answer', records: a('www.lab') });
    expect(lookupZone(z, '2.0.0.10.in-addr.arpa', DnsType.PTR)).toEqual({
      kind: 'answer',
      records: [{ name: '2.0.0.10.in-addr.arpa', type: DnsType.PTR, class: DnsClass.IN, ttl: 3600, data: 'server.lab' }],
    });
    expect(lookupZone(z, 'server', DnsType.AAAA)).toEqual({ kind: 'nodata' });
    expect(lookupZone(z, '2.0.0.10.in-addr.arpa', DnsType.A)).toEqual({ kind: 'nodata' });
    expect(lookupZone(z, 'lab', DnsType.A)).toEqual({ kind: 'nodata' }); // the apex exists
    expect(lookupZone(z, 'nosuch', DnsType.A)).toEqual({ kind: 'nxdomain' });
    expect(lookupZone(z, 'nosuch.lab', DnsType.A)).toEqual({ kind: 'nxdomain' });
    expect(lookupZone(z, '9.0.0.10.in-addr.arpa', DnsType.PTR)).toEqual({ kind: 'nxdomain' });
    expect(lookupZone(z, '0.10.in-addr.arpa', DnsType.PTR)).toEqual({ kind: 'nxdomain' });
    expect(lookupZone(z, 'example.com', DnsType.A)).toEqual({ kind: 'refused' });
    expect(lookupZone(z, 'server.other', DnsType.A)).toEqual({ kind: 'refused' });
    expect(lookupZone(z, '', DnsType.NS)).toEqual({ kind: 'refused' }); // the root: `dig` with no name
  });
});

describe('dnsd: answers (RFC 1035 §4.1.1)', () => {
  const z = parseZone(ZONE);

  it('an A answer: same id, question echoed, QR AA RD, no RA, TTL 3600; 44 octets with the name compressed', () => {
    const r = ask(z, 'server.lab');
    expect(r.text).toBe('A server.lab -> 10.0.0.2');
    expect(r.msg).toMatchObject({ id: 0x1a2b, qr: true, aa: true, rd: true, ra: false, tc: false, rcode: DnsRcode.NOERROR, questions: [{ name: 'server.lab', type: 1, class: 1 }] });
    expect(r.msg!.answers).toMatchObject([{ name: 'server.lab', type: 1, class: 1, ttl: 3600, data: ip('10.0.0.2') }]);
    // 12 header + 16 question + 2 (pointer) + 10 + 4
    expect(r.reply!.length).toBe(44);
    expect(Buffer.from(r.reply!.subarray(0, 12)).toString('hex')).toBe('1a2b' + '8500' + '0001000100000000');
  });

  it('PTR, NXDOMAIN and NODATA are authoritative; REFUSED is not', () => {
    expect(ask(z, '2.0.0.10.in-addr.arpa', DnsType.PTR)).toMatchObject({ text: 'PTR 2.0.0.10.in-addr.arpa -> server.lab', msg: { aa: true, answers: [{ data: 'server.lab' }] } });
    expect(ask(z, 'nosuch')).toMatchObject({ text: 'A nosuch -> NXDOMAIN', msg: { aa: true, rcode: DnsRcode.NXDOMAIN, answers: [] } });
    expect(ask(z, 'server', DnsType.AAAA)).toMatchObject({ text: 'AAAA server -> NODATA', msg: { aa: true, rcode: 0, answers: [] } });
    expect(ask(z, 'server', DnsType.MX)).toMatchObject({ text: 'MX server -> NODATA', msg: { rcode: 0, answers: [] } });
    expect(ask(z, 'example.com')).toMatchObject({ text: 'A example.com -> REFUSED (not authoritative)', msg: { aa: false, ra: false, rcode: DnsRcode.REFUSED } });
    expect(ask(null, 'server')).toMatchObject({ text: 'A server -> SERVFAIL (no zone)', msg: { aa: false, rcode: DnsRcode.SERVFAIL } });
    expect(ask(z, 'lab', 252)).toMatchObject({ text: 'AXFR lab -> REFUSED (no zone transfers)', msg: { rcode: DnsRcode.REFUSED } });
  });

  it('other classes are refused; other opcodes NOTIMP; an OPT record, two questions or a broken question FORMERR', () => {
    const ch = dnsQuery(7, 'version.bind', DnsType.TXT);
    ch.questions[0]!.class = DnsClass.CH;
    expect(handleQuery(z, writeDns(ch), 'udp').text).toBe('TXT version.bind -> REFUSED (class 3)');
    const status = { ...dnsQuery(8, 'server', DnsType.A), opcode: DnsOpcode.STATUS };
    const ns = parseDns(handleQuery(z, writeDns(status), 'udp').reply!, 0);
    expect(ns.ok && ns.value).toMatchObject({ id: 8, opcode: DnsOpcode.STATUS, rcode: DnsRcode.NOTIMP, questions: [{ name: 'server' }] });
    const edns = { ...dnsQuery(9, 'server', DnsType.A), additional: [{ name: '', type: 41, class: 1232, ttl: 0, data: new Uint8Array(0) }] };
    expect(handleQuery(z, writeDns(edns), 'udp').text).toBe('FORMERR: EDNS (OPT record) not supported');
    const two = { ...dnsQuery(10, 'server', DnsType.A), questions: [{ name: 'a', type: 1, class: 1 }, { name: 'b', type: 1, class: 1 }] };
    expect(handleQuery(z, writeDns(two), 'udp').text).toBe('FORMERR: 2 questions');
    const broken = writeDns(dnsQuery(11, 'server', DnsType.A)).slice(0, 20); // the question cut short
    const f = handleQuery(z, broken, 'udp');
    expect(f.text).toBe('FORMERR: DNS question 1 of 1 truncated: QTYPE and QCLASS need 4 bytes, 0 left');
    const fm = parseDns(f.reply!, 0);
    expect(fm.ok && fm.value).toMatchObject({ id: 11, qr: true, rd: true, rcode: DnsRcode.FORMERR, questions: [] });
  });

  it('no reply to fewer than 12 octets or to a response', () => {
    expect(handleQuery(z, new Uint8Array(11), 'udp')).toEqual({ reply: null, text: 'dropped 11 bytes: DNS header truncated: 11 of 12 bytes' });
    const resp = writeDns({ ...dnsQuery(12, 'server', DnsType.A), qr: true });
    expect(handleQuery(z, resp, 'udp')).toEqual({ reply: null, text: 'dropped a response (id 12), not a query' });
  });

  it('an answer over 512 octets goes out empty with TC over UDP, whole over TCP', () => {
    const many = parseZone(Array.from({ length: 40 }, (_, i) => `10.0.1.${i + 1} big`).join('\n'));
    const u = ask(many, 'big.lab');
    expect(u.text).toBe(`A big.lab -> ${Array.from({ length: 40 }, (_, i) => `10.0.1.${i + 1}`).join(', ')} (truncated: TC set)`);
    expect(u.msg).toMatchObject({ tc: true, answers: [], questions: [{ name: 'big.lab' }] });
    expect(u.reply!.length).toBeLessThanOrEqual(UDP_MAX);
    const t = ask(many, 'big.lab', DnsType.A, 1, 'tcp');
    expect(t.msg!.tc).toBe(false);
    expect(t.msg!.answers).toHaveLength(40);
    expect(t.reply!.length).toBeGreaterThan(UDP_MAX);
  });

  it('never throws on random or mutated bytes (a seeded fuzz of 3000 messages)', () => {
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) / 65536;
    const base = writeDns(dnsQuery(0x4242, 'server.lab', DnsType.A));
    for (let i = 0; i < 3000; i++) {
      let b: Uint8Array;
      if (i % 2 === 0) b = Uint8Array.from({ length: Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 256));
      else {
        b = base.slice(0, Math.max(0, base.length - Math.floor(rnd() * 4)));
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      }
      const h = handleQuery(z, b, i % 3 === 0 ? 'tcp' : 'udp');
      if (h.reply) {
        const p = parseDns(h.reply, 0);
        expect(p.ok).toBe(true);
        expect(h.reply.length).toBeLessThanOrEqual(i % 3 === 0 ? 65535 : UDP_MAX);
      }
    }
  });

  it('log lines name the question, the client and the result', () => {
    expect(logLine('A server -> 10.0.0.2', '10.0.0.1', 'udp')).toBe('query: A server from 10.0.0.1 -> 10.0.0.2');
    expect(logLine('A server -> 10.0.0.2', '10.0.0.1', 'tcp')).toBe('query: A server from 10.0.0.1 (tcp) -> 10.0.0.2');
    expect(logLine('FORMERR: 2 questions', '10.0.0.1', 'udp')).toBe('query from 10.0.0.1: FORMERR: 2 questions');
  });
});

// ---------------------------------------------------------------- whole lab

function lab(zone = ZONE) {
  const sink = new MemorySink();
  const world = new World(twoHosts(), sink);
  const server = world.machine('server')!;
  const client = world.machine('client')!;
  server.fs.writeFile('/etc/dnsd/zone', zone);
  const run = (machine: string, name: string, prog: Program | (() => Sys<number>), argv: string[] = [name]) =>
    world.machine(machine)!.kernel.startProgram(argv, (a) => (prog as Program)(a));
  const until = (s: number) => world.sched.runUntil(s * SEC);
  return { sink, world, server, client, run, until };
}

/** A client that sends raw datagrams to server:53 and collects what comes back. */
function* sendRaw(payloads: Uint8Array[], got: (DnsParsed | string)[]): Sys<number> {
  const fd = (yield* sys.socket('dgram', 'udp')) as number;
  yield* sys.connect(fd, ip('10.0.0.2'), 53);
  for (const p of payloads) {
    yield* sys.send(fd, p);
    const r = yield* sys.poll([{ fd, events: POLLIN }], 200 * MS);
    if (isErr(r) || r.length === 0) {
      got.push('no reply');
      continue;
    }
    const d = yield* sys.recv(fd);
    if (isErr(d)) got.push(d.name);
    else {
      const m = parseDns(d, 0);
      got.push(m.ok ? m.value : `bad reply: ${m.error}`);
    }
  }
  return 0;
}

describe('dnsd in a lab', () => {
  it('answers over UDP, survives garbage, logs each query, and reads the zone again after an edit', () => {
    const L = lab();
    L.run('server', 'dnsd', dnsd, ['dnsd']);
    L.until(1);
    const got: (DnsParsed | string)[] = [];
    L.run('client', 'raw', () =>
      sendRaw([new Uint8Array([1, 2, 3]), writeDns(dnsQuery(0x0101, 'server', DnsType.A)), Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 255), writeDns(dnsQuery(0x0202, 'client.lab', DnsType.A))], got),
    );
    L.until(2);
    expect(got[0]).toBe('no reply');
    expect(got[1]).toMatchObject({ id: 0x0101, rcode: 0, answers: [{ name: 'server', data: ip('10.0.0.2') }] });
    expect(got[2]).toMatchObject({ opcode: 9, rcode: DnsRcode.NOTIMP }); // byte 2 is 0x4a: opcode 9
    expect(got[3]).toMatchObject({ id: 0x0202, answers: [{ data: ip('10.0.0.1') }] });
    // An edit takes effect at the next query.
    L.server.fs.writeFile('/etc/dnsd/zone', 'domain lab\n10.0.0.99 server\n');
    const after: (DnsParsed | string)[] = [];
    L.run('client', 'raw', () => sendRaw([writeDns(dnsQuery(0x0303, 'server.lab', DnsType.A))], after));
    L.until(3);
    expect(after[0]).toMatchObject({ answers: [{ data: ip('10.0.0.99') }] });
    const log = L.server.fs.readText('/var/log/dnsd.log')!;
    expect(log).toMatch(/dnsd\[\d+\]: zone lab: loaded 4 names from \/etc\/dnsd\/zone\n/);
    expect(log).toMatch(/dnsd\[\d+\]: listening on 0\.0\.0\.0:53 \(udp\)\n.*dnsd\[\d+\]: listening on 0\.0\.0\.0:53\n/s);
    expect(log).toMatch(/query from 10\.0\.0\.1: dropped 3 bytes: DNS header truncated: 3 of 12 bytes\n/);
    expect(log).toMatch(/query: A server from 10\.0\.0\.1 -> 10\.0\.0\.2\n/);
    expect(log).toMatch(/query from 10\.0\.0\.1: NOTIMP: opcode 9\n/);
    expect(log).toMatch(/zone lab: reloaded 1 name from \/etc\/dnsd\/zone\n.*query: A server\.lab from 10\.0\.0\.1 -> 10\.0\.0\.99\n/s);
    // Still running: the TCP listener and the UDP server.
    const alive = [...L.server.kernel.procs.values()].filter((p) => p.name === 'dnsd' && p.state !== 'Z');
    expect(alive).toHaveLength(2);
    // Every reply on the wire is DNS from port 53 with the query's id.
    const infos = L.sink.frames.filter((f) => f.first).map((f) => summarize(f.bytes)).filter((s) => s.protocol === 'DNS').map((s) => s.info);
    expect(infos).toContain('Standard query response 0x0101 A server A 10.0.0.2');
    expect(infos).toContain('Standard query response 0x0303 A server.lab A 10.0.0.99');
  });

  it('answers over TCP with the two-octet length, several queries on one connection', () => {
    const L = lab();
    L.run('server', 'dnsd', dnsd, ['dnsd', '-p', '5353']);
    L.until(1);
    const got: string[] = [];
    L.run('client', 'tcpq', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      const c = yield* sys.connect(fd, ip('10.0.0.2'), 5353);
      if (isErr(c)) throw c;
      for (const [id, name] of [[1, 'server'], [2, 'nosuch']] as const) {
        const q = writeDns(dnsQuery(id, name, DnsType.A));
        yield* sys.send(fd, Uint8Array.from([q.length >> 8, q.length & 255, ...q]));
        let buf = new Uint8Array(0);
        while (buf.length < 2 || buf.length < 2 + ((buf[0]! << 8) | buf[1]!)) {
          const d = yield* sys.recv(fd);
          if (isErr(d) || d.length === 0) break;
          buf = Uint8Array.from([...buf, ...d]);
        }
        const m = parseDns(buf, 2);
        got.push(m.ok ? `${m.value.id} rcode ${m.value.rcode} answers ${m.value.answers.length}` : m.error);
      }
      yield* sys.close(fd);
      return 0;
    });
    L.until(2);
    expect(got).toEqual(['1 rcode 0 answers 1', '2 rcode 3 answers 0']);
    const log = L.server.fs.readText('/var/log/dnsd.log')!;
    expect(log).toMatch(/query: A server from 10\.0\.0\.1 \(tcp\) -> 10\.0\.0\.2\n/);
    expect(log).toMatch(/query: A nosuch from 10\.0\.0\.1 \(tcp\) -> NXDOMAIN\n/);
  });

  it('a port conflict ends dnsd at start, and the zone file missing means SERVFAIL', () => {
    const L = lab();
    L.server.fs.writeFile('/etc/dnsd/zone', '');
    L.run('server', 'hold', function* () {
      const fd = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.bind(fd, 0, 53);
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    L.until(1);
    const first = L.run('server', 'dnsd', dnsd, ['dnsd']);
    L.until(2);
    expect(first.state).toBe('Z');
    expect(L.server.fs.readText('/var/log/dnsd.log')).toMatch(/udp bind 0\.0\.0\.0:53: Address already in use\n$/);

    const M = lab();
    M.run('server', 'rm', function* () {
      return (yield* sys.unlink('/etc/dnsd/zone')) === 0 ? 0 : 1;
    });
    M.until(0.5);
    M.run('server', 'dnsd', dnsd, ['dnsd']);
    M.until(1);
    const got: (DnsParsed | string)[] = [];
    M.run('client', 'raw', () => sendRaw([writeDns(dnsQuery(5, 'server', DnsType.A))], got));
    M.until(2);
    expect(got[0]).toMatchObject({ rcode: DnsRcode.SERVFAIL, aa: false });
    expect(M.server.fs.readText('/var/log/dnsd.log')).toMatch(/zone \/etc\/dnsd\/zone: No such file or directory; answering SERVFAIL\n/);
  });
});
