import { describe, expect, it } from 'vitest';
import { sock, straceString } from './sock';
import { formatError, parseDuration, parseScript, type Cmd } from './sock-script';
import { BLOCK, err, ip, ops, run, type Handlers } from './testing';
import { encodeUtf8 } from '../process/utf8';

const strip = (cmds: Cmd[] | unknown) => (Array.isArray(cmds) ? cmds.map(({ index: _i, text: _t, ...c }) => c) : cmds);

describe('sock script parser', () => {
  it('parses the commands, with an optional FD right after the name', () => {
    expect(strip(parseScript('socket tcp; setsockopt reuseaddr; bind 0.0.0.0:5000; listen 1; accept; recv; send hello world; close; close 3; sleep 30s'))).toEqual([
      { kind: 'socket', proto: 'tcp' },
      { kind: 'setsockopt', fd: undefined, opt: 'SO_REUSEADDR', value: 1, label: 'reuseaddr' },
      { kind: 'bind', fd: undefined, addr: 0, port: 5000 },
      { kind: 'listen', fd: undefined, backlog: 1 },
      { kind: 'accept', fd: undefined },
      { kind: 'recv', fd: undefined, max: 1024 },
      { kind: 'send', fd: undefined, data: 'hello world' },
      { kind: 'close', fd: undefined },
      { kind: 'close', fd: 3 },
      { kind: 'sleep', ns: 30e9 },
    ]);
  });

  it('numbers: "listen 5" is a backlog, "listen 3 5" fd then backlog; "send 4 hi" names fd 4, "send 4" sends "4"', () => {
    expect(strip(parseScript('listen 5; listen 3 5; recv 100; recv 4 100; send 4 hi; send 4; send 4 "4"'))).toEqual([
      { kind: 'listen', fd: undefined, backlog: 5 },
      { kind: 'listen', fd: 3, backlog: 5 },
      { kind: 'recv', fd: undefined, max: 100 },
      { kind: 'recv', fd: 4, max: 100 },
      { kind: 'send', fd: 4, data: 'hi' },
      { kind: 'send', fd: undefined, data: '4' },
      { kind: 'send', fd: 4, data: '4' },
    ]);
  });

  it('quoted text with escapes; ";" inside quotes; newlines separate too; sendto; linger; durations', () => {
    expect(strip(parseScript('send "a;b\\n\\x41\\"" \n sendto 10.0.0.2:53 ping; setsockopt 3 linger 5; setsockopt linger0; shutdown wr; nonblock off; wait; exit 3'))).toEqual([
      { kind: 'send', fd: undefined, data: 'a;b\nA"' },
      { kind: 'sendto', fd: undefined, addr: ip('10.0.0.2'), port: 53, data: 'ping' },
      { kind: 'setsockopt', fd: 3, opt: 'SO_LINGER', value: { onoff: 1, linger: 5 }, label: 'linger' },
      { kind: 'setsockopt', fd: undefined, opt: 'SO_LINGER', value: { onoff: 1, linger: 0 }, label: 'linger0' },
      { kind: 'shutdown', fd: undefined, how: 'wr' },
      { kind: 'nonblock', fd: undefined, on: false },
      { kind: 'wait', pid: undefined },
      { kind: 'exit', code: 3 },
    ]);
    expect([parseDuration('500ms'), parseDuration('1.5s'), parseDuration('2m'), parseDuration('7'), parseDuration('x')]).toEqual([5e8, 1.5e9, 120e9, 7e9, null]);
  });

  it('errors name the command and the column, with a caret', () => {
    const bad = (s: string) => {
      const e = parseScript(s);
      if (Array.isArray(e)) throw new Error('expected an error');
      return formatError(s, e);
    };
    expect(bad('socket tcp; bind 0.0.0.0:5000; listen x')).toBe(
      'sock: error in command 3 at column 39: listen: backlog must be a number, got "x"\n' + '  socket tcp; bind 0.0.0.0:5000; listen x\n' + '                                        ^\n',
    );
    expect(bad('socket sctp')).toBe('sock: error in command 1 at column 8: socket: expected tcp, udp or icmp, got "sctp"\n  socket sctp\n         ^\n');
    expect(bad('socket tcp; conect 10.0.0.2:80').split('\n')[0]).toBe(
      'sock: error in command 2 at column 13: unknown command "conect" (commands: socket, socketpair, setsockopt, bind, listen, accept, connect, send, sendto, recv, recvfrom, shutdown, close, getsockname, getpeername, nonblock, fork, wait, sleep, exit)',
    );
    expect(bad('bind 10.0.0.300:80').split('\n')[0]).toBe('sock: error in command 1 at column 6: bind: "10.0.0.300" is not an IPv4 address');
    expect(bad('bind 1.2.3.4:70000').split('\n')[0]).toBe('sock: error in command 1 at column 14: bind: port 70000 is out of range (0-65535)');
    expect(bad('connect 10.0.0.2').split('\n')[0]).toBe('sock: error in command 1 at column 9: connect: expected ADDR:PORT (like 0.0.0.0:5000), got "10.0.0.2"');
    expect(bad('socket tcp; send').split('\n')[0]).toBe('sock: error in command 2 at column 17: send: expected the text to send');
    expect(bad('send "abc').split('\n')[0]).toBe('sock: error in command 1 at column 6: unterminated "..." string');
    expect(bad('send "a\\qb"').split('\n')[0]).toBe('sock: error in command 1 at column 8: unknown escape "\\q" (use \\n \\r \\t \\0 \\\\ \\" or \\xHH)');
    expect(bad('shutdown both').split('\n')[0]).toBe('sock: error in command 1 at column 10: shutdown: expected rd, wr or rdwr, got "both"');
    expect(bad('sleep soon').split('\n')[0]).toBe('sock: error in command 1 at column 7: sleep: expected a duration like 500ms, 2s or 1m, got "soon"');
    expect(bad('close 3 4').split('\n')[0]).toBe('sock: error in command 1 at column 9: close: unexpected "4"');
    expect(bad('socket tcp\nlisten 1 2 3').split('\n').slice(0, 3)).toEqual(['sock: error in command 2 at column 12: listen: unexpected "3"', '  listen 1 2 3', '             ^']);
  });
});

const srv = ip('10.0.0.2');
const cli = ip('10.0.0.1');

/** A fake kernel for one TCP server conversation. */
function serverKernel(extra: Handlers = {}): Handlers {
  let next = 3;
  return {
    socket: () => next++,
    setsockopt: () => 0,
    bind: () => 0,
    listen: () => 0,
    accept: () => ({ fd: next++, addr: cli, port: 42620 }),
    recv: () => encodeUtf8('hello from client'),
    send: (c) => c.data.length,
    close: () => 0,
    shutdown: () => 0,
    connect: (c) => (c.port === 5001 ? err('ECONNREFUSED') : 0),
    ...extra,
  };
}

describe('sock: strace-style lines', () => {
  it('a server, call by call', () => {
    const r = run(sock, ['sock', 'socket tcp; setsockopt reuseaddr; bind 0.0.0.0:5000; listen 1; accept; recv; send "hello from server"; shutdown wr; close; close 3; sleep 500ms'], {
      handlers: serverKernel(),
    });
    expect(r.stdout).toBe(
      [
        'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3',
        'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
        'bind(3, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("0.0.0.0")}, 16) = 0',
        'listen(3, 1) = 0',
        'accept(3, {sa_family=AF_INET, sin_port=htons(42620), sin_addr=inet_addr("10.0.0.1")}, [16]) = 4',
        'recv(4, "hello from client", 1024, 0) = 17',
        'send(4, "hello from server", 17, 0) = 17',
        'shutdown(4, SHUT_WR) = 0',
        'close(4) = 0',
        'close(3) = 0',
        'nanosleep({tv_sec=0, tv_nsec=500000000}, NULL) = 0',
        'exit_group(0) = ?',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
  });

  it('errors print as -1 ERRNO (text), the script goes on, and the exit status is 1', () => {
    const r = run(sock, ['sock', 'socket tcp; connect 10.0.0.2:5001; connect 10.0.0.2:5000'], { handlers: serverKernel() });
    expect(r.stdout.split('\n').slice(1, 3)).toEqual([
      'connect(3, {sa_family=AF_INET, sin_port=htons(5001), sin_addr=inet_addr("10.0.0.2")}, 16) = -1 ECONNREFUSED (Connection refused)',
      'connect(3, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("10.0.0.2")}, 16) = 0',
    ]);
    expect(r.status).toBe(1);
    const e = run(sock, ['sock', '-e', 'socket tcp; connect 10.0.0.2:5001; connect 10.0.0.2:5000'], { handlers: serverKernel() });
    expect(e.stdout).not.toContain('htons(5000)');
  });

  it('a parse error makes no call at all', () => {
    const r = run(sock, ['sock', 'socket tcp; listen x'], { handlers: serverKernel() });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('sock: error in command 2 at column 20:')).toBe(true);
    expect(ops(r).filter((o) => o !== 'write' && o !== 'getpid')).toEqual([]);
  });

  it('recv at end of file, failed accept and recv show strace\'s pointers, UDP sendto/recvfrom, socketpair, getpeername', () => {
    const r = run(sock, ['sock', 'socket udp; sendto 10.0.0.2:53 "q\\0"; recvfrom 512; socketpair; getpeername 3; recv 9 1024; accept 9'], {
      handlers: serverKernel({
        sendto: (c) => c.data.length,
        recvfrom: () => ({ data: encodeUtf8('answer'), addr: srv, port: 53, ttl: 64 }),
        socketpair: () => [4, 5],
        getpeername: () => err('ENOTCONN'),
        recv: (c) => (c.fd === 9 ? err('EBADF') : new Uint8Array()),
        accept: () => err('EBADF'),
      }),
    });
    expect(r.stdout.split('\n').slice(1, 7)).toEqual([
      'sendto(3, "q\\0", 2, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.2")}, 16) = 2',
      'recvfrom(3, "answer", 512, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.2")}, [16]) = 6',
      'socketpair(AF_UNIX, SOCK_STREAM, 0, [4, 5]) = 0',
      'getpeername(3, 0x7ffd5f1e3a70, [16]) = -1 ENOTCONN (Transport endpoint is not connected)',
      'recv(9, 0x55d4c8f3e2a0, 1024, 0) = -1 EBADF (Bad file descriptor)',
      'accept(9, 0x7ffd5f1e3a70, [16]) = -1 EBADF (Bad file descriptor)',
    ]);
    const eof = run(sock, ['sock', 'socket tcp; recv'], { handlers: serverKernel({ recv: () => new Uint8Array() }) });
    expect(eof.stdout.split('\n')[1]).toBe('recv(3, "", 1024, 0) = 0');
  });

  it('calls without an fd act on the newest open one; after close, the one before', () => {
    const r = run(sock, ['sock', 'socket tcp; listen 4; accept; close; accept; recv'], { handlers: serverKernel() });
    expect(r.stdout.split('\n').slice(1, 6)).toEqual([
      'listen(3, 4) = 0',
      expect.stringMatching(/^accept\(3, .*\) = 4$/),
      'close(4) = 0',
      expect.stringMatching(/^accept\(3, .*\) = 5$/),
      'recv(5, "hello from client", 1024, 0) = 17',
    ]);
  });

  it('-s limits the data shown; -a aligns the results like strace; -q drops the +++ lines', () => {
    const long = 'x'.repeat(40);
    const r = run(sock, ['sock', '-s', '8', '-a', '40', '-q', `socket tcp; send ${long}; close`], { handlers: serverKernel() });
    expect(r.stdout).toBe(
      'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n' + 'send(3, "xxxxxxxx"..., 40, 0)           = 40\n' + 'close(3)                                = 0\n' + 'exit_group(0)                           = ?\n',
    );
  });

  it('strace string escapes', () => {
    expect(straceString(Uint8Array.from([0x68, 0x0a, 0x0d, 0x09, 0x22, 0x5c, 0x00, 0x31, 0x00, 0x41, 0xc3, 0xa9]), 32)).toBe('"h\\n\\r\\t\\"\\\\\\0001\\0A\\303\\251"');
  });
});

describe('sock: fork', () => {
  it('after fork the rest runs in both processes, each line prefixed [pid N] while both live', () => {
    const r = run(sock, ['sock', 'socket tcp; listen 1; fork; close'], { pid: 412, handlers: serverKernel() });
    expect(r.stdout).toBe(
      [
        'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3',
        'listen(3, 1) = 0',
        'fork() = 413',
        '[pid   412] close(3) = 0',
        '[pid   412] exit_group(0) = ?',
        '[pid   412] +++ exited with 0 +++',
        'close(3) = 0',
        'exit_group(0) = ?',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
    expect([...r.exits]).toEqual([
      [412, 0],
      [413, 0],
    ]);
  });

  it('a blocked call is cut by the other process (<unfinished ...>) and resumed, as strace -f shows it', () => {
    const tries = new Map<number, number>();
    const r = run(sock, ['sock', 'socket tcp; listen 5; fork; accept; close'], {
      pid: 412,
      handlers: serverKernel({
        accept: (_c, p) => {
          const n = (tries.get(p.pid) ?? 0) + 1;
          tries.set(p.pid, n);
          return n === 1 ? BLOCK : { fd: 4, addr: cli, port: p.pid === 412 ? 42620 : 42630 };
        },
      }),
    });
    expect(r.stdout).toBe(
      [
        'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3',
        'listen(3, 5) = 0',
        'fork() = 413',
        '[pid   412] accept(3,  <unfinished ...>',
        '[pid   413] accept(3,  <unfinished ...>',
        '[pid   412] <... accept resumed>{sa_family=AF_INET, sin_port=htons(42620), sin_addr=inet_addr("10.0.0.1")}, [16]) = 4',
        '[pid   412] close(4) = 0',
        '[pid   412] exit_group(0) = ?',
        '[pid   412] +++ exited with 0 +++',
        '<... accept resumed>{sa_family=AF_INET, sin_port=htons(42630), sin_addr=inet_addr("10.0.0.1")}, [16]) = 4',
        'close(4) = 0',
        'exit_group(0) = ?',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
  });

  it('wait reaps the last child (in the child, which has none, it fails with ECHILD)', () => {
    const r = run(sock, ['sock', 'fork; wait'], { pid: 412, handlers: {} });
    expect(r.stdout).toBe(
      [
        'fork() = 413',
        '[pid   412] wait4(413,  <unfinished ...>',
        '[pid   413] wait4(-1, 0x7ffd5f1e3a70, 0, NULL) = -1 ECHILD (No child processes)',
        '[pid   413] exit_group(1) = ?',
        '[pid   413] +++ exited with 1 +++',
        '<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 413',
        'exit_group(0) = ?',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
  });
});

describe('sock: interactive', () => {
  it('prompts, runs each line, reports parse errors and goes on, exits at end of input', () => {
    const r = run(sock, ['sock'], { stdin: ['socket tcp\n', 'listen nope\n', 'listen 2; close\n'], handlers: serverKernel() });
    expect(r.output).toBe(
      'sock> socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n' +
        'sock> sock: error in command 1 at column 8: listen: backlog must be a number, got "nope"\n  listen nope\n         ^\n' +
        'sock> listen(3, 2) = 0\nclose(3) = 0\n' +
        'sock> \nexit_group(0) = ?\n+++ exited with 0 +++\n',
    );
  });

  it('usage errors and -h', () => {
    expect(run(sock, ['sock', '-x']).stderr.startsWith("sock: invalid option -- 'x'\nusage: sock")).toBe(true);
    expect(run(sock, ['sock', '-h']).stdout).toContain('socket tcp|udp|icmp');
  });
});
