import { describe, expect, it } from 'vitest';
import type { ProcessRow, SocketRow } from '../../../shared/api/kernel-view';
import { netstat } from './netstat';
import { ip, run, sockRow, type Handlers } from './testing';

const srv = ip('10.0.0.2');
const cli = ip('10.0.0.1');
const py = (pid: number, fd: number) => ({ pid, name: 'python3', fd });

const rows: SocketRow[] = [
  sockRow({ inode: 1, state: 'ESTABLISHED', localAddr: srv, localPort: 5000, peerAddr: cli, peerPort: 42620, owners: [py(1502, 4), py(1400, 4)] }),
  sockRow({ inode: 2, state: 'LISTEN', localAddr: srv, localPort: 5000, recvQ: 1, sendQ: 128, owners: [py(1502, 3)] }),
  sockRow({ kind: 'timewait', state: 'TIME_WAIT', localAddr: srv, localPort: 22, peerAddr: cli, peerPort: 40000, timer: { kind: 'timewait', expiresNs: 57.4e9, retransmits: 0 } }),
  sockRow({ inode: 3, proto: 'udp', state: 'UNCONN', localAddr: 0, localPort: 53, owners: [{ pid: 77, name: 'dnsd', fd: 5 }] }),
  sockRow({ inode: 4, proto: 'udp', state: 'ESTABLISHED', localAddr: cli, localPort: 41000, peerAddr: srv, peerPort: 53 }),
  sockRow({ inode: 5, proto: 'unix', state: 'ESTABLISHED', localPort: 0, owners: [{ pid: 9, name: 'fdpass', fd: 3 }] }),
];
const procs: Partial<ProcessRow>[] = [
  { pid: 1400, argv: ['/usr/bin/python3', 'server.py'] },
  { pid: 1502, argv: ['python3', 'server.py'] },
];

function kernel(extra: Handlers = {}): Handlers {
  return {
    netlink: (c) => (c.query === 'sockets' ? rows : c.query === 'procs' ? procs : c.query === 'counters' ? counters : []),
    sysctl: (c) => (c.name === 'net.ipv4.ip_forward' ? '0' : c.name === 'net.ipv4.ip_default_ttl' ? '64' : undefined),
    ...extra,
  };
}
let counters: Record<string, number> = {};

const ns = (args: string) => run(netstat, ['netstat', ...args.split(' ').filter(Boolean)], { handlers: kernel() });

describe('netstat sockets (net-tools printf layout)', () => {
  it('-tnp: connected TCP only; the first process found owns the socket; argv[0] basename for an absolute path', () => {
    const r = ns('-tnp');
    expect(r.stdout).toBe(
      'Active Internet connections (w/o servers)\n' +
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n' +
        'tcp        0      0 10.0.0.2:5000           10.0.0.1:42620          ESTABLISHED 1400/python3        \n' +
        'tcp        0      0 10.0.0.2:22             10.0.0.1:40000          TIME_WAIT   -                   \n',
    );
  });

  it('-ltn: listeners only; a listener\'s Send-Q is 0 in /proc/net/tcp (ss shows the backlog instead)', () => {
    expect(ns('-ltn').stdout).toBe(
      'Active Internet connections (only servers)\n' +
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n' +
        'tcp        1      0 10.0.0.2:5000           0.0.0.0:*               LISTEN     \n',
    );
  });

  it('-tuano: all, with ports by name (ssh, domain) and timers', () => {
    const r = run(netstat, ['netstat', '-tuao'], { handlers: kernel(), now: 0 });
    expect(r.stdout).toBe(
      'Active Internet connections (servers and established)\n' +
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State       Timer\n' +
        'tcp        1      0 10.0.0.2:5000           0.0.0.0:*               LISTEN      off (0.00/0/0)\n' +
        'tcp        0      0 10.0.0.2:5000           10.0.0.1:42620          ESTABLISHED off (0.00/0/0)\n' +
        'tcp        0      0 10.0.0.2:ssh            10.0.0.1:40000          TIME_WAIT   timewait (57.40/0/0)\n' +
        'udp        0      0 0.0.0.0:domain          0.0.0.0:*                           off (0.00/0/0)\n' +
        'udp        0      0 10.0.0.1:41000          10.0.0.2:domain         ESTABLISHED off (0.00/0/0)\n',
    );
  });

  it('plain netstat adds the UNIX domain section', () => {
    const r = ns('-n');
    expect(r.stdout).toContain('Active UNIX domain sockets (w/o servers)\nProto RefCnt Flags       Type       State         I-Node   Path\nunix  3      [ ]         STREAM     CONNECTED     5        \n');
  });

  it('-r: the routing table', () => {
    const r = run(netstat, ['netstat', '-rn'], {
      handlers: { netlink: () => [{ dst: 0, prefix: 0, gateway: ip('10.0.0.254'), dev: 'eth0', proto: 'static', scope: 'global' }, { dst: ip('10.0.0.0'), prefix: 24, dev: 'eth0', proto: 'kernel', scope: 'link' }] },
    });
    expect(r.stdout).toBe(
      'Kernel IP routing table\n' +
        'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n' +
        '0.0.0.0         10.0.0.254      0.0.0.0         UG        0 0          0 eth0\n' +
        '10.0.0.0        0.0.0.0         255.255.255.0   U         0 0          0 eth0\n',
    );
  });

  it('errors: unknown option prints usage to stderr (net-tools exits 0 for that)', () => {
    const r = ns('-Q');
    expect(r.status).toBe(0);
    expect(r.stderr.startsWith("netstat: invalid option -- 'Q'\nusage: netstat [-vWeenNcCF]")).toBe(true);
  });
});

describe('netstat -s (statistics.c)', () => {
  it('d1 counters: the TcpExt sentences, Forwarding: 2 (bsearch misses it), histograms, unknown groups', () => {
    counters = { IpInReceives: 120, IpInDelivers: 120, IpOutRequests: 90, TcpPassiveOpens: 2, TcpEstabResets: 2, TcpOutRsts: 4, TcpInSegs: 100, TcpOutSegs: 80, TcpExtListenOverflows: 14, TcpExtListenDrops: 14, IcmpInMsgs: 1, IcmpInDestUnreachs: 1, IcmpMsgInType3: 1, UdpNoPorts: 1 };
    const r = ns('-s');
    expect(r.stdout).toBe(
      [
        'Ip:',
        '    Forwarding: 2',
        '    120 total packets received',
        '    0 forwarded',
        '    0 incoming packets discarded',
        '    120 incoming packets delivered',
        '    90 requests sent out',
        'Icmp:',
        '    1 ICMP messages received',
        '    0 input ICMP message failed',
        '    ICMP input histogram:',
        '        destination unreachable: 1',
        '    0 ICMP messages sent',
        '    0 ICMP messages failed',
        '    ICMP output histogram:',
        'IcmpMsg:',
        '        InType3: 1',
        'Tcp:',
        '    0 active connection openings',
        '    2 passive connection openings',
        '    0 failed connection attempts',
        '    2 connection resets received',
        '    1 connections established', // CurrEstab from the socket table when the kernel has no counter
        '    100 segments received',
        '    80 segments sent out',
        '    0 segments retransmitted',
        '    0 bad segments received',
        '    4 resets sent',
        'Udp:',
        '    0 packets received',
        '    1 packets to unknown port received',
        '    0 packet receive errors',
        '    0 packets sent',
        '    0 receive buffer errors',
        '    0 send buffer errors',
        'UdpLite:',
        'TcpExt:',
        '    14 times the listen queue of a socket overflowed',
        '    14 SYNs to LISTEN sockets dropped',
        '    0 packet headers predicted',
        'IpExt:',
        'MPTcpExt:',
        '',
      ].join('\n'),
    );
  });

  it('-st shows Tcp and TcpExt (and the groups netstat does not know), not Ip/Icmp/Udp', () => {
    counters = { TcpExtSyncookiesSent: 2, TcpExtTCPSynRetrans: 3 };
    const out = ns('-st').stdout;
    expect(out.split('\n').filter((l) => !l.startsWith(' '))).toEqual(['Tcp:', 'UdpLite:', 'TcpExt:', 'IpExt:', 'MPTcpExt:', '']);
    expect(out).toContain('TcpExt:\n    2 SYN cookies sent\n    0 packet headers predicted\n    TCPSynRetrans: 3\n');
  });
});
