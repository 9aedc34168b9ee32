// Acceptance: a lab using every service, exported as pcapng, is dissected by tshark as FTP,
// FTP-DATA, SSH, TELNET, SMTP, HTTP and DNS with nothing malformed and no expert warnings at the
// server's NIC, and `tshark -z follow` shows the FTP and SMTP dialogues. Skipped (with a printed
// reason) only where tshark is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLab } from '../../shared/lab';
import { TraceStore } from '../trace';
import { runHeadless } from './headless';
import { projectRoot } from './default-lab';

const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);
if (!hasTshark) console.log(`services-tshark.test.ts: skipped, ${TSHARK} not found (apt-get install -y tshark)`);

const dir = mkdtempSync(join(tmpdir(), 'services-tshark-'));
const all = join(dir, 'all.pcapng');
const server = join(dir, 'server.pcapng');
const tshark = (...args: string[]) => execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  const doc = JSON.parse(readFileSync(join(projectRoot(), 'examples', 'services.lab.json'), 'utf8'));
  doc.script.push({ at: '9s', on: 'alice', run: 'ssh student@server id', input: ['yes', 'student'] });
  const r = parseLab(JSON.stringify(doc));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  const store = TraceStore.open(':memory:', { lab: 'services', seed: 1, startedWallMs: 0 });
  const run = runHeadless(r.lab, store);
  expect(run.runs.every((x) => x.finishedAt !== null)).toBe(true);
  writeFileSync(all, store.exportPcapng());
  store.close();
  // Every NIC is a capture point; TCP analysis is meaningful per interface (README).
  if (hasTshark) tshark('-r', all, '-Y', 'frame.interface_name == "server:eth0"', '-w', server);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tshark dissects every service', () => {
  it.skipIf(!hasTshark)('FTP, FTP-DATA, SSH, TELNET, SMTP, HTTP and DNS; nothing malformed, no warnings', () => {
    const protocols = new Set(tshark('-r', server, '-T', 'fields', '-e', '_ws.col.Protocol').trim().split('\n'));
    for (const p of ['FTP', 'FTP-DATA', 'TELNET', 'SMTP', 'HTTP', 'DNS']) expect(protocols).toContain(p);
    expect(protocols).toContain('SSHv2'); // Wireshark's name once the version exchange is seen
    expect(tshark('-r', server, '-Y', '_ws.malformed')).toBe('');
    // Wireshark 4.0 does not decode an ssh-ed25519 signature and warns about it ("Decoded 19 bytes,
    // but packet legnth is 83 bytes", its spelling) for any ed25519 host key: that one is not ours.
    expect(tshark('-r', server, '-Y', '_ws.expert.severity >= warning && !ssh.host_sig.type')).toBe('');
  });

  it.skipIf(!hasTshark)('follow tcp shows the FTP and SMTP dialogues', () => {
    const stream = (port: number) => tshark('-r', server, '-T', 'fields', '-e', 'tcp.stream', '-Y', `tcp.port == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 0`).trim().split('\n')[0]!;
    const ftp = tshark('-r', server, '-q', '-z', `follow,tcp,ascii,${stream(21)}`);
    expect(ftp).toContain('USER student');
    expect(ftp).toContain('230 Login successful.');
    expect(ftp).toContain('226 Directory send OK.');
    const smtp = tshark('-r', server, '-q', '-z', `follow,tcp,ascii,${stream(25)}`);
    expect(smtp).toMatch(/MAIL FROM:<root@alice\.lab>/);
    expect(smtp).toContain('Subject: hello');
    expect(smtp).toMatch(/250 2\.0\.0 Ok: queued/);
  });
});
