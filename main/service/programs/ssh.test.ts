import { describe, expect, it } from 'vitest';
import { runSteps } from '../../engine/test/script-run';
import { NODE_PROGRAMS } from './index';

const run = (steps: Parameters<typeof runSteps>[0], until?: number) => runSteps(steps, { programs: { ...NODE_PROGRAMS }, until });

describe('SSH: sshd (ssh2 protocol core) and the ssh client, over the simulated TCP stack', () => {
  it('first login asks about the host key, then the password; ps and ss -tanp show the per-connection sshd; exit closes', () => {
    const r = run([
      { at: 1, on: 'server', run: 'service ssh start' },
      { at: 2, on: 'client', run: 'ssh student@10.0.0.2', input: ['yes', 'student', 'whoami', 'ps -ef', 'exit'] },
      { at: 3, on: 'server', run: 'ss -tanp' },
      { at: 20, on: 'client', run: 'ssh student@10.0.0.2 id', input: ['student'] },
    ], 40);
    expect(r.done).toEqual([true, true, true, true]);
    expect(r.out[0]).toMatch(/^Started ssh: sshd \(pid \d+\) on port 22\/tcp\n$/);
    const t = r.out[1]!;
    expect(t).toMatch(/^The authenticity of host '10\.0\.0\.2 \(10\.0\.0\.2\)' can't be established\.\nED25519 key fingerprint is SHA256:[A-Za-z0-9+/]{43}\.\nThis key is not known by any other names\.\nAre you sure you want to continue connecting \(yes\/no\/\[fingerprint\]\)\? yes\nWarning: Permanently added '10\.0\.0\.2' \(ED25519\) to the list of known hosts\.\nstudent@10\.0\.0\.2's password: \n/);
    expect(t).toContain('Welcome to server, a Packet Lab machine.');
    expect(t).toContain('server$ whoami\nstudent\n');
    expect(t).toMatch(/student +\d+ +\d+ .* sshd: student@pts/);
    expect(t).toMatch(/Connection to 10\.0\.0\.2 closed\.\n$/);
    // The listener and the connection's own process, each with its socket.
    expect(r.out[2]).toMatch(/LISTEN .* 0\.0\.0\.0:22 .*users:\(\("sshd",pid=\d+,fd=\d+\)\)/);
    expect(r.out[2]).toMatch(/ESTAB .* 10\.0\.0\.2:22 +10\.0\.0\.1:\d+ .*users:\(\("sshd",pid=\d+,fd=\d+\)\)/);
    // Second time: the key is known, no question; a command runs without a terminal session.
    expect(r.out[3]).toBe("student@10.0.0.2's password: \nuid=1000(student) gid=1000(student) groups=1000(student)\n");
  });

  it('the password never crosses the wire in clear; after the version lines everything is encrypted', () => {
    const r = run([
      { at: 1, on: 'server', run: 'service ssh start' },
      { at: 2, on: 'client', run: 'ssh student@10.0.0.2 true', input: ['yes', 'Secr3tPassw0rd'] },
    ]);
    const wire = Buffer.concat(r.sink.frames.filter((f) => f.first).map((f) => Buffer.from(f.bytes)));
    expect(wire.includes('SSH-2.0-PacketLab_1.0')).toBe(true);
    expect(wire.includes('Secr3tPassw0rd')).toBe(false);
    expect(r.out[1]).toContain('Permission denied, please try again.');
  });

  it('wrong passwords three times: permission denied, exit 255; connecting to a closed port fails', () => {
    const r = run([
      { at: 1, on: 'server', run: 'service ssh start' },
      { at: 2, on: 'client', run: 'ssh student@10.0.0.2', input: ['yes', 'a', 'b', 'c'] },
      { at: 30, on: 'client', run: 'ssh -p 2222 10.0.0.2' },
    ], 60);
    expect(r.out[1]).toMatch(/Permission denied, please try again\.\n.*Permission denied, please try again\.\n.*student@10\.0\.0\.2: Permission denied \(password\)\.\n$/s);
    expect(r.out[2]).toBe('ssh: connect to host 10.0.0.2 port 2222: Connection refused\n');
  });
});

describe('SSH sessions end and stop the way they should', () => {
  it('Ctrl-D at the remote prompt ends the shell and the connection; a command runs through sh -c (redirections)', () => {
    const r = run([
      { at: 1, on: 'server', run: 'service ssh start' },
      { at: 2, on: 'client', run: "ssh student@10.0.0.2 'echo remote > /tmp/made'", input: ['yes', 'student'] },
      { at: 5, on: 'server', run: 'cat /tmp/made' },
    ]);
    expect(r.out[2]).toBe('remote\n');
    const client = r.world.machine('client')!;
    let screen = '';
    const term = client.openTerminal({ output: (s) => (screen += s) });
    term.input('ssh student@10.0.0.2\r');
    r.world.sched.runFor(1e9);
    term.input('student\r');
    r.world.sched.runFor(1e9);
    expect(screen).toContain('server$ ');
    term.input('\x04'); // Ctrl-D on an empty line
    r.world.sched.runFor(2e9);
    expect(screen).toMatch(/Connection to 10\.0\.0\.2 closed\.\r\n/);
    const left = r.world.machine('server')!.processes().filter((p) => p.name === 'sshd' || p.name === 'sh');
    expect(left.map((p) => p.argv.join(' '))).toEqual(['sshd -p 22']);
  });
});
