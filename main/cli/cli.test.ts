import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTshark, tempDir, tshark } from '../test/tools';
import { bridgeMain } from './bridge';
import { main } from './main';

function runCli(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('packet-lab run', () => {
  it('prints the transcript of the scripted ping and exits 0', () => {
    const r = runCli(['run', 'examples/two-hosts.lab.json']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('[1.000s client]$ ping -c 3 10.0.0.2');
    expect(lines[1]).toBe('PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.');
    expect(r.out).toMatch(/64 bytes from 10\.0\.0\.2: icmp_seq=3 ttl=64 time=2\.02 ms/);
    expect(r.out).toContain('3 packets transmitted, 3 received, 0% packet loss, time 2002ms');
  });

  it('refuses a --pcap or --pcapng that is the --db trace, before anything is written, and keeps the trace', () => {
    const dir = tempDir();
    const db = join(dir, 't.sqlite');
    expect(runCli(['run', 'examples/two-hosts.lab.json', '--db', db]).code).toBe(0);
    const before = readFileSync(db);
    for (const [option, path] of [['--pcap', db], ['--pcapng', `${db}-wal`]] as const) {
      const r = runCli(['run', 'examples/two-hosts.lab.json', '--db', db, option, path]);
      expect([r.code, r.out, r.err]).toEqual([2, '', `packet-lab: ${option} ${path}: that is the trace file (--db ${db}); name another file\n`]);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    const fresh = join(dir, 'new.sqlite');
    expect(runCli(['run', 'examples/two-hosts.lab.json', '--db', fresh, '--pcap', fresh]).code).toBe(2);
  });

  it('--until stops the lab at that time and says what was still running', () => {
    const r = runCli(['run', 'examples/two-hosts.lab.json', '--until', '1500ms']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('icmp_seq=1 ');
    expect(r.out).not.toContain('icmp_seq=2 ');
    expect(r.out.trimEnd().endsWith('(still running at 1.500s)')).toBe(true);
  });

  it.each([
    ['invalid-json', 'invalid JSON at 3:26: missing "," after a property value'],
    ['bad-ip', 'machines[1].nics[0].ip: "10.0.0.300/24" is not an IPv4 address with prefix (like "10.0.0.1/24")'],
    ['unknown-endpoint', 'links[0].b: no machine "srv"'],
    ['duplicate-id', 'machines[2].id: duplicate machine id "client" (also machines[0])'],
  ])('rejects examples/bad/%s.lab.json with exit 2 and the JSON path', (name, message) => {
    const r = runCli(['run', `examples/bad/${name}.lab.json`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });

  it('usage errors exit 2 with a message', () => {
    expect(runCli(['run']).err).toContain('run needs a lab file');
    expect(runCli(['run', 'x.json', '--until', 'soon']).err).toContain('--until: "soon" is not a duration');
    expect(runCli(['run', 'missing.lab.json']).err).toContain('cannot read missing.lab.json: ENOENT');
    expect(runCli(['fly']).code).toBe(2);
  });

  it('the same lab and seed give byte-identical pcapng and pcap files', () => {
    const dir = tempDir();
    const paths = [1, 2].map((i) => ({ ng: join(dir, `${i}.pcapng`), pc: join(dir, `${i}.pcap`) }));
    for (const p of paths) expect(runCli(['run', 'examples/default.lab.json', '--pcapng', p.ng, '--pcap', p.pc]).code).toBe(0);
    expect(readFileSync(paths[0]!.ng).equals(readFileSync(paths[1]!.ng))).toBe(true);
    expect(readFileSync(paths[0]!.pc).equals(readFileSync(paths[1]!.pc))).toBe(true);
    expect(readFileSync(paths[0]!.ng).length).toBeGreaterThan(1000);
  });

  it.each([
    ['--pcap', '/nonexistent/x.pcap', 'ENOENT'],
    ['--pcapng', '/nonexistent/x.pcapng', 'ENOENT'],
    ['--db', '/nonexistent/x.db', 'Cannot open database because the directory does not exist'],
  ])('a bad output path for %s exits 2 with the option, the path and the reason', (option, path, why) => {
    const r = runCli(['run', 'examples/two-hosts.lab.json', option, path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`packet-lab: ${option} ${path}: ${why}`);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('an output path that is a directory exits 2 naming it', () => {
    const dir = tempDir();
    const r = runCli(['run', 'examples/two-hosts.lab.json', '--pcap', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`packet-lab: --pcap ${dir}: EISDIR`);
  });

  it('a fresh --db file holds exactly one capture; a second run adds one', () => {
    const db = join(tempDir(), 'trace.db');
    const captures = () => {
      const sqlite = new Database(db, { readonly: true });
      try {
        return sqlite.prepare('SELECT id FROM capture ORDER BY id').all();
      } finally {
        sqlite.close();
      }
    };
    expect(runCli(['run', 'examples/two-hosts.lab.json', '--db', db]).code).toBe(0);
    expect(captures()).toEqual([{ id: 1 }]);
    expect(runCli(['run', 'examples/two-hosts.lab.json', '--db', db]).code).toBe(0);
    expect(captures()).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('exits 2 as a real process for a bad file (npm run lab path)', () => {
    const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'main/cli/index.ts', 'run', 'examples/bad/bad-ip.lab.json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('machines[1].nics[0].ip');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });
});

describe('packet-lab bridge', () => {
  it('refuses a --pcapng that is the --db trace before the lab starts', async () => {
    const db = join(tempDir(), 't.sqlite');
    let err = '';
    // Told to stop at once: were the refusal gone, the bridge would end and the expectation fail (not time out).
    const code = await bridgeMain({ command: 'bridge', lab: 'examples/services.lab.json', specs: ['server:80=127.0.0.1:8080'], db, pcapng: db }, { out: () => {}, err: (s) => (err += s) }, Promise.resolve());
    expect([code, err]).toEqual([2, `packet-lab: --pcapng ${db}: that is the trace file (--db ${db}); name another file\n`]);
  });
});

describe.skipIf(!hasTshark)('tshark reads the export', () => {
  it('lists the ARP and ICMP exchange of the default lab with no malformed packets and correct checksums', () => {
    const dir = tempDir();
    const file = join(dir, 'default.pcapng');
    expect(runCli(['run', 'examples/default.lab.json', '--pcapng', file]).code).toBe(0);
    const fields = tshark(['-r', file, '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', '-e', 'frame.interface_name', '-e', '_ws.col.Protocol', '-e', 'ip.checksum.status', '-e', 'icmp.checksum.status', '-e', '_ws.col.Info'])
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    const atAlice = fields.filter((f) => f[0] === 'alice:eth0');
    expect(atAlice.filter((f) => f[1] === 'ARP').length).toBeGreaterThanOrEqual(2);
    expect(atAlice.filter((f) => f[1] === 'ICMP')).toHaveLength(6);
    for (const f of fields) {
      // Wireshark checksum status: 0 bad, 1 good, 2 unverified.
      if (f[1] !== 'ARP') expect(f[2], `IP checksum of ${f.join(' ')}`).toBe('1');
      if (f[1] === 'ICMP') expect(f[3], `ICMP checksum of ${f.join(' ')}`).toBe('1');
    }
    const expert = tshark(['-r', file, '-z', 'expert,error', '-q']);
    expect(expert).not.toMatch(/Malformed/i);
  });
});

describe('the backlog example through the CLI (issue #3 acceptance)', () => {
  it('ss -ltn shows LISTEN 2 1; clients 3 and 4 retransmit their SYNs; nstat counts the overflows', () => {
    const dir = tempDir();
    const file = join(dir, 'backlog.pcapng');
    const r = runCli(['run', 'examples/backlog-overflow.lab.json', '--pcapng', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[5\.000s server\]\$ ss -ltn\nState +Recv-Q Send-Q Local Address:Port +Peer Address:Port *Process\nLISTEN 2 +1 +0\.0\.0\.0:5000 +0\.0\.0\.0:\*/);
    expect(r.out.match(/^ESTAB +0 +0 +10\.0\.0\.10:5000 +10\.0\.0\.11:\d+/gm)).toHaveLength(2);
    expect(r.out).toMatch(/TcpExtListenOverflows +14 /);
    expect(r.out.match(/connect\(3, .*\) = -1 ECONNREFUSED \(Connection refused\)/g)).toHaveLength(2);
    if (!hasTshark) return;
    // SYNs per client port, seen at the client's NIC: clients 3 and 4 send 8 each (+0,1,2,3,4,5,7,11 s).
    const syns = tshark(['-r', file, '-Y', 'frame.interface_name == "client:eth0" && tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 5000', '-T', 'fields', '-e', 'tcp.srcport'])
      .trim()
      .split('\n');
    const perPort = [...new Set(syns)].map((p) => syns.filter((x) => x === p).length);
    expect(perPort).toEqual([1, 1, 8, 8]);
    const expert = tshark(['-r', file, '-z', 'expert,error', '-q']);
    expect(expert).not.toMatch(/Malformed/i);
    // The clean transfer on port 7000, read at one capture point (every frame is captured at each NIC
    // it crosses, so tshark's analysis is per interface): no ACKed-unseen, lost, out-of-order or
    // retransmitted segments.
    const atServer = join(dir, 'server-eth0.pcapng');
    tshark(['-r', file, '-Y', 'frame.interface_name == "server:eth0"', '-w', atServer]);
    const anomalies = tshark(['-r', atServer, '-Y', 'tcp.port == 7000 && (tcp.analysis.ack_lost_segment || tcp.analysis.lost_segment || tcp.analysis.out_of_order || tcp.analysis.retransmission)']);
    expect(anomalies.trim()).toBe('');
    const transfer = tshark(['-r', file, '-Y', 'frame.interface_name == "server:eth0" && tcp.port == 7000 && tcp.len > 0', '-T', 'fields', '-e', 'tcp.len']);
    expect(transfer.trim().split('\n')).toEqual(['5', '5']);
  });
});
