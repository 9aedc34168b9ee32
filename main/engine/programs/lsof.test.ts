import { describe, expect, it } from 'vitest';
import type { ProcessRow, SocketRow } from '../../../shared/api/kernel-view';
import { lsof } from './lsof';
import { ip, run, sockRow } from './testing';

const srv = ip('10.0.0.2');
const cli = ip('10.0.0.1');
const tty = [0, 1, 2].map((fd) => ({ fd, description: 1, label: '/dev/pts/0' }));
const sock = (fd: number, inode: number) => ({ fd, description: inode, label: `socket:[${inode}]`, inode });
const procs: ProcessRow[] = [
  { pid: 100, ppid: 1, name: 'sh', argv: ['sh'], state: 'S', wchan: 'wait', startedNs: 0, uid: 0, user: 'root', fds: tty },
  { pid: 1502, ppid: 100, name: 'python3', argv: ['python3', 'server.py'], state: 'S', wchan: 'accept', startedNs: 0, uid: 0, user: 'root', fds: [...tty, sock(3, 10001), sock(4, 10002)] },
  { pid: 1600, ppid: 100, name: 'dnsd-with-a-long-name', argv: ['dnsd'], state: 'S', wchan: 'recvfrom', startedNs: 0, uid: 0, user: 'root', fds: [sock(3, 10003), sock(4, 10004)] },
];
const rows: SocketRow[] = [
  sockRow({ inode: 10001, state: 'LISTEN', localAddr: srv, localPort: 5000, sendQ: 128 }),
  sockRow({ inode: 10002, state: 'ESTABLISHED', localAddr: srv, localPort: 5000, peerAddr: cli, peerPort: 42620 }),
  sockRow({ inode: 10003, proto: 'udp', state: 'UNCONN', localAddr: 0, localPort: 53 }),
  sockRow({ inode: 10004, proto: 'unix', state: 'ESTABLISHED' }),
];
const lsofOut = (...args: string[]) => run(lsof, ['lsof', ...args], { handlers: { netlink: (c) => (c.query === 'procs' ? procs : rows) } });

describe('lsof', () => {
  it('-i: one line per process and fd, columns sized like lsof, DEVICE = socket inode, NODE = protocol', () => {
    expect(lsofOut('-i').stdout).toBe(
      'COMMAND    PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n' +
        'python3   1502 root    3u  IPv4  10001      0t0  TCP 10.0.0.2:5000 (LISTEN)\n' +
        'python3   1502 root    4u  IPv4  10002      0t0  TCP 10.0.0.2:5000->10.0.0.1:42620 (ESTABLISHED)\n' +
        'dnsd-with 1600 root    3u  IPv4  10003      0t0  UDP *:domain\n',
    );
  });

  it('-i selections: protocol, port, state; -P keeps port numbers; -t prints pids', () => {
    expect(lsofOut('-iUDP', '-P').stdout.split('\n')[1]).toBe('dnsd-with 1600 root    3u  IPv4  10003      0t0  UDP *:53');
    expect(lsofOut('-i', ':5000', '-sTCP:LISTEN').stdout.split('\n').length).toBe(3);
    expect(lsofOut('-i', 'TCP@10.0.0.1').stdout).toContain('->10.0.0.1:42620');
    expect(lsofOut('-t', '-i').stdout).toBe('1502\n1600\n');
  });

  it('-p PID lists the terminal too; -a ANDs; -U unix sockets; nothing found exits 1 silently', () => {
    const p = lsofOut('-p', '1502').stdout.split('\n');
    expect(p[1]).toBe('python3 1502 root    0u   CHR  136,0      0t0    3 /dev/pts/0');
    expect(lsofOut('-a', '-p', '1600', '-i').stdout.split('\n').length).toBe(3);
    expect(lsofOut('-U').stdout).toContain('unix 0x0000000000000000      0t0 10004 type=STREAM (CONNECTED)');
    const none = lsofOut('-i', ':9999');
    expect([none.status, none.stdout, none.stderr]).toEqual([1, '', '']);
  });

  it('errors', () => {
    const r = lsofOut('-i', 'SCTP');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('lsof: unknown protocol name (SCTP) in: -i SCTP');
  });
});
