// The example gallery's labs, run the way the CLI runs them: each one's script must show what its
// description promises (a lab that teaches with broken output is worse than none).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLabError, parseLab } from '../../shared/lab';
import { runHeadless } from './headless';

function run(file: string, untilNs?: number): string[] {
  const r = parseLab(readFileSync(`examples/${file}`, 'utf8'));
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return runHeadless(r.lab, { frame: () => {}, kernel: () => {} }, untilNs).runs.map((x) => x.output.replace(/\r\n/g, '\n'));
}

describe('example labs do what their descriptions say', () => {
  it('accept() keeps the listening port: two ESTAB sockets on 10.0.0.10:8080 beside the listener', () => {
    const out = run('accept-keeps-port.lab.json', 5e9);
    expect(out[0]).toMatch(/accept\(3, .*inet_addr\("10\.0\.0\.11"\).* = 4\naccept\(3, .*inet_addr\("10\.0\.0\.12"\).* = 5/);
    const ss = out[3]!;
    expect(ss).toMatch(/LISTEN .*0\.0\.0\.0:8080/);
    expect(ss.match(/ESTAB .*10\.0\.0\.10:8080 +10\.0\.0\.1[12]:\d+/g)).toHaveLength(2);
  });

  it('fork and fd passing: both processes own the accepted socket; the FTP session shows [priv]', () => {
    const out = run('fork-and-fd-passing.lab.json', 10e9);
    expect(out[2]).toMatch(/ESTAB .*10\.0\.0\.10:9000 .*users:\(\("sock",pid=\d+,fd=4\),\("sock",pid=\d+,fd=4\)\)/);
    expect(out[3]).toContain('226 Directory send OK.');
    expect(out[4]).toMatch(/ftpd: 10\.0\.0\.11: \[priv\]/);
  });

  it('port ranges and a backdoor: nmap finds 22, 80 and 31337; ss names nc', () => {
    const out = run('port-ranges-backdoor.lab.json', 8e9);
    expect(out[1]).toMatch(/22\/tcp +open +ssh\n80\/tcp +open +http\n31337\/tcp +open/);
    expect(out[2]).toMatch(/0\.0\.0\.0:31337 .*users:\(\("nc",/);
    expect(out[3]).toContain('32768\t60999');
  });

  it('FTP active vs passive: PORT then PASV, each listing complete', () => {
    const [ftp] = run('ftp-active-passive.lab.json');
    expect(ftp).toMatch(/200 PORT command successful[\s\S]*226 Transfer complete[\s\S]*227 Entering Passive Mode \(10,0,0,10,\d+,\d+\)[\s\S]*226 Directory send OK/);
  });

  it('Telnet vs SSH: the same login both ways', () => {
    const [telnet, ssh] = run('telnet-vs-ssh.lab.json');
    expect(telnet).toMatch(/server login: student[\s\S]*server\$ whoami\nstudent/);
    expect(ssh).toMatch(/student@10\.0\.0\.10's password: [\s\S]*server\$ whoami\nstudent/);
  });

  it('backlog overflow and routing still teach what they say', () => {
    const backlog = run('backlog-overflow.lab.json');
    expect(backlog[5]).toMatch(/LISTEN 2 +1 /);
    const routed = run('routed.lab.json');
    expect(routed[0]).toMatch(/traceroute to 10\.0\.2\.10[\s\S]* 1 +10\.0\.0\.1 [\s\S]* 3 +10\.0\.2\.10 /);
  });
});
