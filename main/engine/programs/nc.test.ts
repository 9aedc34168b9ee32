import { describe, expect, it } from 'vitest';
import { nc } from './nc';
import { err, ip, run, type FakeKernel, type Handlers } from './testing';
import { decodeUtf8, encodeUtf8 } from '../process/utf8';

const cli = ip('10.0.0.1');

/** A peer that sends `incoming` (then closes) and records what nc sends. */
function peer(incoming: string[], extra: Handlers = {}) {
  const sent: string[] = [];
  const calls: string[] = [];
  const data = [...incoming];
  const handlers: Handlers = {
    socket: (c) => (calls.push(`socket ${c.type}`), 3),
    setsockopt: (c) => (calls.push(`setsockopt ${c.opt}`), 0),
    bind: (c) => (calls.push(`bind ${c.addr}:${c.port}`), 0),
    listen: (c) => (calls.push(`listen ${c.backlog}`), 0),
    accept: () => ({ fd: 4, addr: cli, port: 42620 }),
    connect: (c) => (calls.push(`connect ${c.port}`), c.port === 22 || c.port === 5000 ? 0 : err('ECONNREFUSED')),
    close: () => 0,
    shutdown: (c) => (calls.push(`shutdown ${c.how}`), 0),
    send: (c) => (sent.push(decodeUtf8(c.data)), c.data.length),
    recv: () => encodeUtf8(data.shift() ?? ''),
    poll: (c, _p, k: FakeKernel) => {
      if (c.fds.some((f) => f.fd === 0) && k.stdinPending()) return [{ fd: 0, revents: 1 }];
      if (c.fds.some((f) => f.fd === 0) && data.length === 0 && !stdinDone) {
        stdinDone = true;
        return [{ fd: 0, revents: 1 }]; // end of input
      }
      return [{ fd: c.fds[0]!.fd, revents: 1 }];
    },
    ...extra,
  };
  let stdinDone = false;
  return { handlers, sent, calls };
}

describe('nc (OpenBSD netcat)', () => {
  it('client: -v says it connected, typed lines go out, what arrives is printed, the peer closing ends it', () => {
    const p = peer(['hi back\n']);
    const r = run(nc, ['nc', '-v', '10.0.0.2', '5000'], { stdin: ['hello\n'], handlers: p.handlers });
    expect(r.stderr).toBe('Connection to 10.0.0.2 5000 port [tcp/*] succeeded!\n');
    expect(r.stdout).toBe('hi back\n');
    expect(p.sent).toEqual(['hello\n']);
    expect(r.status).toBe(0);
  });

  it('a refused connect is reported even without -v', () => {
    const r = run(nc, ['nc', '10.0.0.2', '5001'], { handlers: peer([]).handlers });
    expect([r.status, r.stderr]).toEqual([1, 'nc: connect to 10.0.0.2 port 5001 (tcp) failed: Connection refused\n']);
  });

  it('-zv scans a port range, naming known services', () => {
    const r = run(nc, ['nc', '-zv', '10.0.0.2', '21-23'], { handlers: peer([]).handlers });
    expect(r.stderr).toBe(
      'nc: connect to 10.0.0.2 port 21 (tcp) failed: Connection refused\n' + 'Connection to 10.0.0.2 22 port [tcp/ssh] succeeded!\n' + 'nc: connect to 10.0.0.2 port 23 (tcp) failed: Connection refused\n',
    );
    expect(r.status).toBe(0);
  });

  it('server: -lv PORT listens with backlog 1 and SO_REUSEADDR, prints what the client sends', () => {
    const p = peer(['hello\n']);
    const r = run(nc, ['nc', '-lv', '5000'], { handlers: p.handlers });
    expect(r.stderr).toBe('Listening on 0.0.0.0 5000\nConnection received on 10.0.0.1 42620\n');
    expect(r.stdout).toBe('hello\n');
    expect(p.calls).toEqual(['socket stream', 'setsockopt SO_REUSEADDR', 'bind 0:5000', 'listen 1']);
    expect(run(nc, ['nc', '-l', '-p', '5000'], { handlers: peer([]).handlers }).status).toBe(0);
  });

  it('-N shuts the write side at end of input', () => {
    const p = peer(['bye\n']);
    run(nc, ['nc', '-N', '10.0.0.2', '5000'], { handlers: p.handlers });
    expect(p.calls).toContain('shutdown wr');
  });

  it('-w bounds connect: non-blocking connect, poll, timeout message', () => {
    const r = run(nc, ['nc', '-w', '2', '10.0.0.2', '5000'], {
      handlers: { ...peer([]).handlers, fcntl_nonblock: () => 0, connect: () => err('EINPROGRESS'), poll: () => [] },
    });
    expect([r.status, r.stderr]).toEqual([1, 'nc: connect to 10.0.0.2 port 5000 (tcp) timed out: Operation now in progress\n']);
  });

  it('UDP: -u connects the datagram socket and talks over it', () => {
    const p = peer(['pong\n']);
    const r = run(nc, ['nc', '-uv', '10.0.0.2', '5000'], { stdin: ['ping\n'], handlers: p.handlers });
    expect(p.calls.slice(0, 2)).toEqual(['socket dgram', 'connect 5000']);
    expect([r.stderr, r.stdout, p.sent]).toEqual(['Connection to 10.0.0.2 5000 port [udp/*] succeeded!\n', 'pong\n', ['ping\n']]);
  });

  it('usage errors', () => {
    const h = peer([]).handlers;
    expect(run(nc, ['nc'], { handlers: h }).stderr.startsWith('usage: nc [-46CDdFhklNnrStUuvZz]')).toBe(true);
    expect(run(nc, ['nc', '10.0.0.2'], { handlers: h }).stderr).toBe('nc: missing port number\n');
    expect(run(nc, ['nc', '-k', '10.0.0.2', '80'], { handlers: h }).stderr).toBe('nc: must use -l with -k\n');
    expect(run(nc, ['nc', 'server', '80'], { handlers: h }).stderr).toBe('nc: getaddrinfo for host "server" port 80: Name or service not known\n');
    expect(run(nc, ['nc', '10.0.0.2', '99999'], { handlers: h }).stderr).toBe('nc: port number too large: 99999\n');
  });
});
