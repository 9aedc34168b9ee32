import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../../shared/wire';
import { PcapWriter } from '../../../trace/pcap';
import { O_CREAT, O_TRUNC, O_WRONLY, sys, type Program, type Sys } from '../../process';
import { SEC } from '../../sim';
import { MemorySink, twoHosts } from '../../test/lab-fixtures';
import { World } from '../../world';
import { dnsd } from '../daemons/dnsd';
import { dig } from './dig';
import { nslookup } from './nslookup';

const ZONE = 'domain lab\n10.0.0.1 client\n10.0.0.2 server www\n';

function lab(o: { resolv?: string; dnsd?: boolean } = {}) {
  const sink = new MemorySink();
  const world = new World(twoHosts(), sink);
  const server = world.machine('server')!;
  const client = world.machine('client')!;
  server.fs.writeFile('/etc/dnsd/zone', ZONE);
  client.fs.writeFile('/etc/resolv.conf', o.resolv ?? 'nameserver 10.0.0.2\nsearch lab\n');
  if (o.dnsd !== false) server.kernel.startProgram(['dnsd'], dnsd);
  let n = 0;
  /** Run a command on the client now, its stdout and stderr into a file (as `cmd > f 2>&1`). */
  const run = (program: Program, argv: string[]) => {
    const file = `/tmp/out.${n++}`;
    const res: { status: number | null; startedAt: number; doneAt: number } = { status: null, startedAt: world.sched.now, doneAt: 0 };
    client.kernel.startProgram(argv, function* (): Sys<number> {
      const fd = (yield* sys.open(file, O_WRONLY | O_CREAT | O_TRUNC)) as number;
      yield* sys.dup2(fd, 1);
      yield* sys.dup2(fd, 2);
      yield* sys.close(fd);
      res.status = yield* program(argv);
      res.doneAt = yield* sys.now();
      return res.status;
    });
    return { res, out: () => client.fs.readText(file) ?? '' };
  };
  const until = (s: number) => world.sched.runUntil(s * SEC);
  /** The DNS messages on the wire (each frame once): "source:port Info column". */
  const dns = () => sink.frames.filter((f) => f.first).map((f) => summarize(f.bytes)).filter((s) => s.protocol === 'DNS').map((s) => `${s.src}:${s.srcPort} ${s.info}`);
  return { sink, world, server, client, run, until, dns };
}

/** The DNS id in an Info column ("Standard query 0x1a2b A server"). */
function idOf(info: string): number {
  return parseInt(/0x([0-9a-f]{4})/.exec(info)![1]!, 16);
}

describe('dig (9.18 output)', () => {
  it('dig @server name: the whole answer, with the id that went on the wire', () => {
    const L = lab();
    L.until(1);
    const d = L.run(dig, ['dig', '@10.0.0.2', 'server.lab']);
    L.until(2);
    const wire = L.dns();
    expect(wire).toHaveLength(2);
    expect(wire[0]).toMatch(/^10\.0\.0\.1:\d+ Standard query 0x[0-9a-f]{4} A server\.lab$/);
    const id = idOf(wire[0]!);
    expect(wire[1]).toBe(`10.0.0.2:53 Standard query response 0x${id.toString(16).padStart(4, '0')} A server.lab A 10.0.0.2`);
    expect(d.res.status).toBe(0);
    expect(d.out()).toBe(
      '\n' +
        '; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> @10.0.0.2 server.lab\n' +
        '; (1 server found)\n' +
        ';; global options: +cmd\n' +
        ';; Got answer:\n' +
        `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ${id}\n` +
        ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n' +
        ';; WARNING: recursion requested but not available\n' +
        '\n' +
        ';; QUESTION SECTION:\n' +
        ';server.lab.\t\t\tIN\tA\n' +
        '\n' +
        ';; ANSWER SECTION:\n' +
        'server.lab.\t\t3600\tIN\tA\t10.0.0.2\n' +
        '\n' +
        // 1 ms each way plus the ARP exchange the first datagram waited for
        ';; Query time: 4 msec\n' +
        ';; SERVER: 10.0.0.2#53(10.0.0.2) (UDP)\n' +
        ';; WHEN: Thu Jan 01 00:00:01 UTC 2026\n' +
        ';; MSG SIZE  rcvd: 44\n' +
        '\n',
    );
  });

  it('the name goes out as typed (no search list) unless +search; +short; -x; NXDOMAIN; NODATA over +tcp', () => {
    const L = lab();
    L.until(1);
    const plain = L.run(dig, ['dig', 'server']);
    L.until(2);
    const search = L.run(dig, ['dig', '+search', 'server']);
    L.until(3);
    const short = L.run(dig, ['dig', '+short', 'www.lab']);
    const rev = L.run(dig, ['dig', '-x', '10.0.0.2']);
    const nx = L.run(dig, ['dig', 'nosuch.lab']);
    const tcp = L.run(dig, ['dig', '+tcp', 'www.lab', 'AAAA']);
    L.until(4);
    const q = L.dns().filter((x) => x.includes('Standard query 0x')).map((x) => x.replace(/^\S+ /, '').replace(/0x[0-9a-f]{4}/, 'ID'));
    expect(q).toEqual(['Standard query ID A server', 'Standard query ID A server.lab', 'Standard query ID A www.lab', 'Standard query ID PTR 2.0.0.10.in-addr.arpa', 'Standard query ID A nosuch.lab']);
    expect(plain.out()).toContain(';; QUESTION SECTION:\n;server.\t\t\tIN\tA\n\n;; ANSWER SECTION:\nserver.\t\t\t3600\tIN\tA\t10.0.0.2\n');
    expect(search.out()).toContain(';; ANSWER SECTION:\nserver.lab.\t\t3600\tIN\tA\t10.0.0.2\n');
    expect(search.out()).toMatch(/^\n; <<>> DiG 9\.18\.28-1~deb12u2-Debian <<>> \+search server\n;; global options: \+cmd\n;; Got answer:\n/);
    expect(short.out()).toBe('10.0.0.2\n');
    expect(rev.out()).toContain(';; QUESTION SECTION:\n;2.0.0.10.in-addr.arpa.\t\tIN\tPTR\n\n;; ANSWER SECTION:\n2.0.0.10.in-addr.arpa.\t3600\tIN\tPTR\tserver.lab.\n\n');
    expect(rev.out()).toContain(';; MSG SIZE  rcvd: 63\n');
    expect(nx.out()).toMatch(/;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: \d+\n;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n;; WARNING: recursion requested but not available\n\n;; QUESTION SECTION:\n;nosuch\.lab\.\t\t\tIN\tA\n\n;; Query time: \d+ msec\n/);
    expect(nx.res.status).toBe(0);
    expect(tcp.out()).toMatch(/status: NOERROR.*\n;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n/);
    expect(tcp.out()).toContain(';www.lab.\t\t\tIN\tAAAA\n\n;; Query time: ');
    expect(tcp.out()).toContain(';; SERVER: 10.0.0.2#53(10.0.0.2) (TCP)\n');
    // +tcp: a TCP connection to port 53, not a datagram.
    const syn = L.sink.frames.filter((f) => f.first && summarize(f.bytes).protocol === 'TCP' && summarize(f.bytes).dstPort === 53);
    expect(syn.length).toBeGreaterThan(0);
  });

  it('no answer: three tries of 5 s, each from a new port with the same id, then "no servers could be reached" (exit 9)', () => {
    const L = lab({ dnsd: false });
    L.server.kernel.startProgram(['blackhole'], function* () {
      const fd = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.bind(fd, 0, 53);
      for (;;) yield* sys.recvfrom(fd);
    });
    L.until(1);
    const d = L.run(dig, ['dig', '@10.0.0.2', 'server.lab']);
    L.until(30);
    expect(d.res.status).toBe(9);
    expect(d.res.doneAt - d.res.startedAt).toBe(15 * SEC);
    expect(d.out()).toBe(
      ';; communications error to 10.0.0.2#53: timed out\n'.repeat(3) +
        '\n; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> @10.0.0.2 server.lab\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n\n',
    );
    const q = L.dns();
    expect(q).toHaveLength(3);
    expect(new Set(q.map(idOf)).size).toBe(1);
    expect(new Set(q.map((x) => x.split(' ')[0])).size).toBe(3);
  });

  it('nobody on port 53: ICMP port unreachable ends each try at once; +tcp: the connection is refused', () => {
    const L = lab({ dnsd: false });
    L.until(1);
    const d = L.run(dig, ['dig', '+short', '@10.0.0.2', 'server.lab']);
    const t = L.run(dig, ['dig', '+tcp', '@10.0.0.2', 'server']);
    L.until(2);
    expect(d.out()).toBe(';; communications error to 10.0.0.2#53: connection refused\n'.repeat(3) + ';; no servers could be reached\n\n');
    expect(d.res.status).toBe(9);
    expect(t.out()).toBe(';; Connection to 10.0.0.2#53(10.0.0.2) for server failed: connection refused.\n'.repeat(3) + ';; no servers could be reached\n\n');
  });

  it('usage errors and -v', () => {
    const L = lab();
    const bad = L.run(dig, ['dig', '+bogus', 'server']);
    const v = L.run(dig, ['dig', '-v']);
    L.until(1);
    expect(bad.res.status).toBe(1);
    expect(bad.out()).toMatch(/^Invalid option: \+bogus\nUsage:  dig \[@global-server\] \[domain\] \[q-type\] \[q-class\] \{q-opt\}\n/);
    expect(v.out()).toBe('DiG 9.18.28-1~deb12u2-Debian\n');
  });
});

describe('nslookup', () => {
  it('a name: the search list gives server.lab; A then AAAA; the classic output', () => {
    const L = lab();
    L.until(1);
    const n = L.run(nslookup, ['nslookup', 'server']);
    L.until(2);
    expect(n.out()).toBe('Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\nName:\tserver.lab\nAddress: 10.0.0.2\n\n');
    expect(n.res.status).toBe(0);
    expect(L.dns().filter((x) => x.includes('query 0x')).map((x) => x.replace(/^\S+ /, '').replace(/0x[0-9a-f]{4}/, 'ID'))).toEqual(['Standard query ID A server.lab', 'Standard query ID AAAA server.lab']);
  });

  it('an unknown name: NXDOMAIN after the search list and the name as is (exit 1); an address: its PTR', () => {
    const L = lab();
    L.until(1);
    const nx = L.run(nslookup, ['nslookup', 'nosuch']);
    const rev = L.run(nslookup, ['nslookup', '10.0.0.2']);
    const mx = L.run(nslookup, ['nslookup', '-type=mx', 'server']);
    const srv = L.run(nslookup, ['nslookup', 'client', '10.0.0.2']);
    L.until(2);
    expect(nx.out()).toBe("Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\n** server can't find nosuch: NXDOMAIN\n\n");
    expect(nx.res.status).toBe(1);
    expect(rev.out()).toBe('Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\n2.0.0.10.in-addr.arpa\tname = server.lab.\n\n');
    expect(mx.out()).toBe("Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\n*** Can't find server: No answer\n\n");
    expect(srv.out()).toBe('Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\nName:\tclient.lab\nAddress: 10.0.0.1\n\n');
  });

  it('no server answers: three tries, then "no servers could be reached" (exit 1)', () => {
    const L = lab({ dnsd: false, resolv: 'nameserver 10.0.0.2\n' });
    L.server.kernel.startProgram(['blackhole'], function* () {
      const fd = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.bind(fd, 0, 53);
      for (;;) yield* sys.recvfrom(fd);
    });
    L.until(1);
    const n = L.run(nslookup, ['nslookup', 'server.lab']);
    L.until(30);
    expect(n.out()).toBe(';; communications error to 10.0.0.2#53: timed out\n'.repeat(3) + ';; no servers could be reached\n\n');
    expect(n.res.status).toBe(1);
    expect(n.res.doneAt - n.res.startedAt).toBe(15 * SEC);
  });
});

const TSHARK = '/usr/bin/tshark';
describe('on the wire', () => {
  it.skipIf(!existsSync(TSHARK))('tshark dissects every query and answer as DNS, nothing malformed, ids paired', () => {
    const L = lab();
    L.until(1);
    L.run(dig, ['dig', '@10.0.0.2', 'server.lab']);
    L.run(dig, ['dig', '-x', '10.0.0.2']);
    L.run(dig, ['dig', 'nosuch.lab', 'AAAA']);
    L.run(nslookup, ['nslookup', 'www']);
    L.until(3);
    const w = new PcapWriter();
    for (const f of L.sink.frames.filter((x) => x.first)) w.addPacket(f.at, f.bytes);
    const dir = mkdtempSync(join(tmpdir(), 'dns-tshark-'));
    try {
      const path = join(dir, 'dns.pcap');
      writeFileSync(path, w.toBytes());
      const tshark = (...args: string[]) => execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(tshark('-r', path, '-z', 'expert', '-q')).not.toMatch(/malformed/i);
      const rows = tshark('-r', path, '-Y', 'dns', '-T', 'fields', '-E', 'separator=|', '-e', 'dns.id', '-e', 'dns.flags.response', '-e', 'dns.flags.rcode', '-e', 'dns.qry.name', '-e', 'dns.a', '-e', 'dns.ptr.domain_name')
        .trim()
        .split('\n')
        .map((l) => l.split('|'));
      const ours = L.dns();
      expect(rows).toHaveLength(ours.length);
      expect(rows.map((r) => Number(r[0]))).toEqual(ours.map(idOf));
      const queries = rows.filter((r) => r[1] === 'False' || r[1] === '0');
      const answers = rows.filter((r) => r[1] === 'True' || r[1] === '1');
      expect(queries.length).toBe(answers.length);
      expect(answers.map((r) => r[0]).sort()).toEqual(queries.map((r) => r[0]).sort());
      expect(answers.map((r) => [r[2], r[3], r[4] || r[5]])).toEqual(
        expect.arrayContaining([
          ['0', 'server.lab', '10.0.0.2'],
          ['0', '2.0.0.10.in-addr.arpa', 'server.lab'],
          ['3', 'nosuch.lab', ''],
          ['0', 'www.lab', '10.0.0.2'],
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
