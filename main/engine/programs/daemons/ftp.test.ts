import { describe, expect, it } from 'vitest';
import { isErr, sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { runSteps } from '../../test/script-run';

const tcpPorts = (f: { bytes: Uint8Array }) => [(f.bytes[34]! << 8) | f.bytes[35]!, (f.bytes[36]! << 8) | f.bytes[37]!];
const isSyn = (f: { bytes: Uint8Array }) => f.bytes[23] === 6 && (f.bytes[47]! & 0x12) === 0x02;

describe('FTP: ftpd and the ftp client', () => {
  it('active mode (the default): login, ls, get; the server opens each data connection FROM port 20', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service ftp start' },
      { at: 2, on: 'client', run: 'ftp 10.0.0.2', input: ['student', 'student', 'ls', 'get notes.txt', 'bye'] },
      { at: 10, on: 'client', run: 'cat notes.txt' },
    ]);
    expect(r.done).toEqual([true, true, true]);
    const t = r.out[1]!;
    expect(t).toContain('Connected to 10.0.0.2.\n220 (PacketLab ftpd 1.0)\nName (10.0.0.2:root): student\n331 Please specify the password.\nPassword: \n230 Login successful.\nRemote system type is UNIX.\nUsing binary mode to transfer files.\n');
    expect(t).toMatch(/ftp> ls\n200 PORT command successful\. Consider using PASV\.\n150 Here comes the directory listing\.\n-rw-r--r--    1 1000     1000     +\d+ Jan 01 00:00 notes\.txt\n226 Directory send OK\.\n/);
    expect(t).toMatch(/ftp> get notes\.txt\nlocal: notes\.txt remote: notes\.txt\n200 PORT command successful\. Consider using PASV\.\n150 Opening BINARY mode data connection for notes\.txt \(\d+ bytes\)\.\n226 Transfer complete\.\n\d+ bytes received in [\d.]+ secs \([\d.]+ [kM]B\/s\)\n/);
    expect(t).toContain('ftp> bye\n221 Goodbye.\n');
    expect(r.out[2]).toBe('Notes of student on server.\nTry: ftp, curl, mail, ssh, telnet.\n');
    // Who connects to whom: the control connection client -> server:21; both data connections server:20 -> client.
    const syns = r.sink.frames.filter((f) => f.first && isSyn(f));
    expect(syns.map((f) => [f.machine, tcpPorts(f)[1] === 21 ? 21 : tcpPorts(f)[0]])).toEqual([['client', 21], ['server', 20], ['server', 20]]);
  });

  it('passive mode (ftp -p): PASV, the client connects to the port the server opened; put stores a file', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service ftp start' },
      { at: 3, on: 'client', run: 'ftp -p 10.0.0.2', input: ['student', 'student', 'put /etc/hostname hello.txt', 'passive', 'passive', 'size hello.txt', 'bye'] },
      { at: 10, on: 'server', run: 'cat /home/student/hello.txt' },
    ]);
    const t = r.out[1]!;
    expect(t).toMatch(/ftp> put \/etc\/hostname hello\.txt\nlocal: \/etc\/hostname remote: hello\.txt\n227 Entering Passive Mode \(10,0,0,2,\d+,\d+\)\.\n150 Ok to send data\.\n226 Transfer complete\.\n7 bytes sent in /);
    expect(t).toContain('ftp> passive\nPassive mode off.\nftp> passive\nPassive mode on.\n');
    expect(t).toContain('ftp> size hello.txt\n213 7\n');
    expect(r.out[2]).toBe('client\n');
    const syns = r.sink.frames.filter((f) => f.first && isSyn(f));
    expect(syns.every((f) => f.machine === 'client')).toBe(true);
  });

  it('anonymous users are jailed in /srv/ftp and cannot upload; wrong passwords get 530', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service ftp start' },
      { at: 2, on: 'client', run: 'ftp -p 10.0.0.2', input: ['anonymous', 'me@client', 'pwd', 'cd ..', 'pwd', 'ls pub', 'put /etc/motd m', 'bye'] },
      { at: 10, on: 'client', run: 'ftp 10.0.0.2', input: ['student', 'nope', 'bye'] },
    ]);
    const t = r.out[1]!;
    expect(t).toContain('ftp> pwd\n257 "/" is the current directory\n');
    expect(t).toContain('ftp> cd ..\n250 Directory successfully changed.\nftp> pwd\n257 "/" is the current directory\n');
    expect(t).toMatch(/-rw-r--r--    1 0        0        +60 Jan 01 00:00 README\n/);
    expect(t).toMatch(/put \/etc\/motd m\nlocal: \/etc\/motd remote: m\n227 Entering Passive Mode .*\n550 Permission denied\.\n/);
    expect(r.out[2]).toContain('530 Login incorrect.\nLogin failed.\n');
  });

  it('ps shows the session and its [priv] helper; the server answers bad commands with 500/503/425/530', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service ftp start' },
      { at: 2, on: 'client', run: 'ftp -n 10.0.0.2', input: ['quote PASS x', 'quote BOGUS', 'user student student', 'quote RETR', 'quote PORT 1,2,3,4,5,6', 'quote STAT'] },
      { at: 8, on: 'server', run: 'ps -ef' },
    ], { until: 12 });
    const t = r.out[1]!;
    expect(t).toContain('ftp> quote PASS x\n503 Login with USER first.\n');
    expect(t).toContain('ftp> quote BOGUS\n530 Please login with USER and PASS.\n');
    expect(t).toContain('ftp> quote RETR\n425 Use PORT or PASV first.\n');
    expect(t).toContain('ftp> quote PORT 1,2,3,4,5,6\n500 Illegal PORT command.\n');
    expect(t).toContain('ftp> quote STAT\n500 Unknown command.\n');
    expect(r.out[2]).toMatch(/\nroot +\d+ +1 .* ftpd -p 21\n/);
    expect(r.out[2]).toMatch(/\nroot +\d+ +\d+ .* ftpd: 10\.0\.0\.1: \[priv\]\n/);
    expect(r.out[2]).toMatch(/\nstudent +\d+ +\d+ .* ftpd: 10\.0\.0\.1: student\n/);
  });

  it('a line longer than 4 KB gets "500 Input line too long." and the session goes on', () => {
    const r = runSteps([{ at: 1, on: 'server', run: 'service ftp start' }], { until: 5 });
    const client = r.world.machine('client')!;
    let transcript = '';
    client.kernel.startProgram(['longline'], function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, 0x0a000002, 21);
      yield* sys.send(fd, encodeUtf8(`NOOP ${'X'.repeat(10_000)}\r\nNOOP\r\nQUIT\r\n`));
      for (;;) {
        const d = yield* sys.recv(fd);
        if (isErr(d) || d.length === 0) break;
        transcript += decodeUtf8(d);
      }
      return 0;
    });
    r.world.sched.runFor(5e9);
    expect(transcript).toBe('220 (PacketLab ftpd 1.0)\r\n500 Input line too long.\r\n530 Please login with USER and PASS.\r\n221 Goodbye.\r\n');
  });
});

describe('FTP: a client that goes away', () => {
  it('killed in the middle of a download: the session and its [priv] process end, only the listener stays', () => {
    const r = runSteps([{ at: 1, on: 'server', run: 'service ftp start' }], { until: 2 });
    r.world.machine('server')!.fs.writeFile('/home/student/big.bin', new Uint8Array(4 << 20), { uid: 1000, gid: 1000 });
    const client = r.world.machine('client')!;
    const term = client.openTerminal({ output: () => {} });
    term.input('ftp -p 10.0.0.2\r');
    r.world.sched.runFor(1e9);
    for (const line of ['student', 'student']) {
      term.input(`${line}\r`);
      r.world.sched.runFor(0.2e9);
    }
    term.input('get big.bin\r');
    r.world.sched.runFor(0.01e9);
    // Mid-transfer: the control and the data connection are both up.
    expect(r.world.machine('server')!.sockets().filter((s) => s.proto === 'tcp' && s.state === 'ESTABLISHED').length).toBe(2);
    const ftp = [...client.kernel.procs.values()].find((p) => p.name === 'ftp')!;
    expect(ftp).toBeDefined();
    client.kernel.signal(ftp.pid, 'SIGKILL');
    r.world.sched.runFor(30e9);
    const left = r.world.machine('server')!.processes().filter((p) => p.name === 'ftpd').map((p) => p.argv.join(' '));
    expect(left).toEqual(['ftpd -p 21']);
    expect(r.world.machine('server')!.sockets().filter((s) => s.proto === 'tcp' && s.state === 'ESTABLISHED')).toEqual([]);
  });
});

describe('FTP bounce (RFC 2577 §3)', () => {
  it('PORT to a privileged port of the client is refused', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service ftp start' },
      { at: 2, on: 'client', run: 'ftp -n 10.0.0.2', input: ['user student student', 'quote PORT 10,0,0,1,0,22', 'bye'] },
    ]);
    expect(r.out[1]).toContain('ftp> quote PORT 10,0,0,1,0,22\n500 Illegal PORT command.\n');
  });
});
