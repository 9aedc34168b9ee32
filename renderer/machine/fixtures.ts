// Kernel-view fixtures for tests, modelled on the real Linux `ss` snapshots in
// shared/linux-truth (../shared/linux-truth from the repo): d_backlog/d4, e_fork, f_ports.
// Used by the unit tests only; nothing in the app imports this file.
import type { Delivery, MachineState, ProcessRow, SocketRow } from '../../shared/api';
import { parseIpv4 } from '../../shared/wire';

export const ip = (s: string): number => {
  const n = parseIpv4(s);
  if (n === null) throw new Error(`bad address ${s}`);
  return n;
};

const S = ip('10.0.0.2');
const C = ip('10.0.0.1');
const SEC = 1_000_000_000;

function tcp(partial: Partial<SocketRow> & Pick<SocketRow, 'state' | 'localPort'>): SocketRow {
  return {
    inode: 0,
    kind: 'socket',
    proto: 'tcp',
    localAddr: S,
    peerAddr: 0,
    peerPort: 0,
    recvQ: 0,
    sendQ: 0,
    owners: [],
    ...partial,
  };
}

function tty(pid: number, name: string, argv: string[], ppid: number, startedNs: number, extra: ProcessRow['fds'] = [], base = 1): ProcessRow {
  return {
    pid,
    ppid,
    name,
    argv,
    state: 'S',
    wchan: 'accept',
    startedNs,
    uid: 0,
    user: 'root',
    fds: [
      { fd: 0, description: base, label: '/dev/pts/0' },
      { fd: 1, description: base + 1, label: '/dev/pts/0' },
      { fd: 2, description: base + 2, label: '/dev/pts/0' },
      ...extra,
    ],
  };
}

/**
 * d_backlog/d4_first_then_burst at t=+0.7 s, server side (`ss -tan`):
 *   LISTEN   2 1  10.0.0.2:5010  0.0.0.0:*
 *   ESTAB    0 0  10.0.0.2:5010  10.0.0.1:40288
 *   ESTAB    0 0  10.0.0.2:5010  10.0.0.1:40296
 *   SYN-RECV 0 0  10.0.0.2:5010  10.0.0.1:40298
 * listen(1) holds backlog+1 = 2 children, neither accept()ed; the third is a request sock whose
 * final ACK was dropped (accept queue full), so its SYN-ACK is being retransmitted.
 */
export function d4Server(): MachineState {
  const now = Math.round(0.7 * SEC);
  return {
    machine: 'server',
    timeNs: now,
    ephemeral: [32768, 60999],
    counters: { ListenOverflows: 1, ListenDrops: 1 },
    sockets: [
      tcp({ state: 'SYN_RECV', kind: 'request', localPort: 5010, peerAddr: C, peerPort: 40298, parent: 10001, timer: { kind: 'on', expiresNs: now + 0.3 * SEC, retransmits: 0 } }),
      tcp({ inode: 10003, state: 'ESTABLISHED', localPort: 5010, peerAddr: C, peerPort: 40296, parent: 10001, queued: true }),
      tcp({
        inode: 10001,
        state: 'LISTEN',
        localPort: 5010,
        recvQ: 2,
        sendQ: 1,
        owners: [{ pid: 412, name: 'server', fd: 3 }],
        listener: { backlog: 1, acceptQueue: 2, synQueue: 1 },
      }),
      tcp({ inode: 10002, state: 'ESTABLISHED', localPort: 5010, peerAddr: C, peerPort: 40288, parent: 10001, queued: true }),
    ],
    processes: [
      { ...tty(401, 'sh', ['sh'], 1, 0), wchan: 'read' },
      tty(412, 'server', ['server', '-b', '1', '5010'], 401, Math.round(0.1 * SEC), [{ fd: 3, description: 7, label: 'socket:[10001]', inode: 10001 }]),
    ],
  };
}

/**
 * e_fork at t=+1.5 s (`ss -tanp`): the listener and the accepted connection are each held by
 * two processes (fork after accept), fd 3 and fd 4 in both:
 *   LISTEN 0 8  10.0.0.2:5020  0.0.0.0:*       users:(("python3",pid=30691,fd=3),("python3",pid=30565,fd=3))
 *   ESTAB  0 0  10.0.0.2:5020  10.0.0.1:33284  users:(("python3",pid=30691,fd=4),("python3",pid=30565,fd=4))
 */
export function eForkServer(): MachineState {
  const listen: ProcessRow['fds'][number] = { fd: 3, description: 20, label: 'socket:[10010]', inode: 10010 };
  const conn: ProcessRow['fds'][number] = { fd: 4, description: 21, label: 'socket:[10011]', inode: 10011 };
  const parent = { ...tty(30565, 'python3', ['python3', 'fork_server.py'], 401, Math.round(0.2 * SEC), [listen, conn]), wchan: 'accept' };
  const child = { ...tty(30691, 'python3', ['python3', 'fork_server.py'], 30565, Math.round(1.2 * SEC), [listen, conn]), wchan: 'recv' };
  return {
    machine: 'server',
    timeNs: Math.round(1.5 * SEC),
    ephemeral: [32768, 60999],
    counters: {},
    sockets: [
      tcp({
        inode: 10010,
        state: 'LISTEN',
        localPort: 5020,
        sendQ: 8,
        owners: [
          { pid: 30691, name: 'python3', fd: 3 },
          { pid: 30565, name: 'python3', fd: 3 },
        ],
        listener: { backlog: 8, acceptQueue: 0, synQueue: 0 },
      }),
      tcp({
        inode: 10011,
        state: 'ESTABLISHED',
        localPort: 5020,
        peerAddr: C,
        peerPort: 33284,
        parent: 10010,
        owners: [
          { pid: 30691, name: 'python3', fd: 4 },
          { pid: 30565, name: 'python3', fd: 4 },
        ],
      }),
    ],
    processes: [{ ...tty(401, 'sh', ['sh'], 1, 0), wchan: 'wait' }, parent, child],
  };
}

/**
 * f_ports, client side (`ss -tano`): TIME-WAIT entries left by ten connects to 10.0.0.2:5030 from
 * even ephemeral ports (47356, 47364, ...) and one to :5031 from 50418, plus a UDP socket bound to
 * an odd port (bind(0): 56317) and a ping socket.
 */
export function fPortsClient(): MachineState {
  const now = 70 * SEC;
  const tw = (port: number, peerPort: number, left: number): SocketRow =>
    tcp({ state: 'TIME_WAIT', kind: 'timewait', localAddr: C, localPort: port, peerAddr: S, peerPort, timer: { kind: 'timewait', expiresNs: now + left * SEC, retransmits: 0 } });
  return {
    machine: 'client',
    timeNs: now,
    ephemeral: [32768, 60999],
    counters: {},
    sockets: [
      ...[47356, 47364, 47370, 47376, 47386, 47390, 47398, 47402, 47418, 47422].map((p) => tw(p, 5030, 59)),
      tw(50418, 5031, 59),
      tcp({ inode: 30001, state: 'ESTABLISHED', localAddr: C, localPort: 47424, peerAddr: S, peerPort: 5030, owners: [{ pid: 520, name: 'client', fd: 3 }], sendQ: 6, timer: { kind: 'on', expiresNs: now + 0.2 * SEC, retransmits: 1 } }),
      { inode: 30002, kind: 'socket', proto: 'udp', state: 'UNCONN', localAddr: 0, localPort: 56317, peerAddr: 0, peerPort: 0, recvQ: 0, sendQ: 0, owners: [{ pid: 521, name: 'udp-probe', fd: 3 }] },
      { inode: 30003, kind: 'socket', proto: 'icmp', state: 'UNCONN', localAddr: 0, localPort: 7, peerAddr: 0, peerPort: 0, recvQ: 0, sendQ: 0, owners: [{ pid: 522, name: 'ping', fd: 3 }] },
      tcp({ inode: 30004, state: 'LISTEN', localAddr: 0, localPort: 22, sendQ: 128, owners: [{ pid: 300, name: 'sshd', fd: 3 }], listener: { backlog: 128, acceptQueue: 0, synQueue: 0 } }),
    ],
    processes: [
      { ...tty(300, 'sshd', ['sshd', '-D'], 1, 0, [{ fd: 3, description: 40, label: 'socket:[30004]', inode: 30004 }], 30), wchan: 'accept' },
      { ...tty(401, 'sh', ['sh'], 1, 0), wchan: 'wait' },
      { ...tty(520, 'client', ['client', '10.0.0.2', '5030'], 401, 60 * SEC, [{ fd: 3, description: 41, label: 'socket:[30001]', inode: 30001 }]), state: 'R', wchan: '' },
      { ...tty(521, 'udp-probe', ['udp-probe'], 401, 61 * SEC, [{ fd: 3, description: 42, label: 'socket:[30002]', inode: 30002 }]), wchan: 'recv' },
      { ...tty(522, 'ping', ['ping', '10.0.0.2'], 401, 62 * SEC, [{ fd: 3, description: 43, label: 'socket:[30003]', inode: 30003 }]), wchan: 'recv' },
    ],
  };
}

/** The d4 server receiving frames: a SYN, the final ACK that made a child, a SYN to a closed port. */
export function d4Deliveries(): Record<string, Delivery[]> {
  const at = (s: number) => Math.round(s * SEC);
  return {
    syn: [
      {
        frameId: 11,
        machine: 'server',
        atNs: at(0.1),
        protocol: 'tcp',
        steps: [
          { table: 'established', key: '10.0.0.2:5010 <- 10.0.0.1:40288', hit: false },
          { table: 'listener', key: '10.0.0.2:5010', hit: true },
        ],
        socket: { inode: 10001, kind: 'socket', local: '10.0.0.2:5010', peer: '0.0.0.0:*', state: 'LISTEN', owners: [{ pid: 412, name: 'server', fd: 3 }] },
        queue: 'SYN queue',
        reply: 'SYN-ACK',
        summary: 'SYN to the listener 10.0.0.2:5010: a request sock (SYN_RECV) went into its SYN queue and a SYN-ACK was sent.',
      },
    ],
    finalAck: [
      {
        frameId: 13,
        machine: 'server',
        atNs: at(0.1002),
        protocol: 'tcp',
        steps: [{ table: 'established', key: '10.0.0.2:5010 <- 10.0.0.1:40288', hit: true }],
        socket: { inode: 10002, kind: 'socket', local: '10.0.0.2:5010', peer: '10.0.0.1:40288', state: 'ESTABLISHED', owners: [] },
        queue: 'accept queue',
        stateChange: { from: 'SYN_RECV', to: 'ESTABLISHED' },
        summary: 'Final ACK matched the request sock 10.0.0.2:5010 <- 10.0.0.1:40288: a child socket (ESTABLISHED) went into the accept queue of 10.0.0.2:5010.',
      },
    ],
    requestSock: [
      {
        frameId: 19,
        machine: 'server',
        atNs: at(0.5),
        protocol: 'tcp',
        steps: [{ table: 'established', key: '10.0.0.2:5010 <- 10.0.0.1:40298', hit: true }],
        socket: { inode: 0, kind: 'request', local: '10.0.0.2:5010', peer: '10.0.0.1:40298', state: 'SYN_RECV', owners: [] },
        summary: 'Final ACK for the request sock 10.0.0.2:5010 <- 10.0.0.1:40298 was dropped: the accept queue is full (2 / backlog 1).',
        drop: { reason: 'NOT_SPECIFIED', text: 'accept queue full (listen overflow)' },
      },
    ],
    closedPort: [
      {
        frameId: 21,
        machine: 'server',
        atNs: at(1),
        protocol: 'tcp',
        steps: [
          { table: 'established', key: '10.0.0.2:5999 <- 10.0.0.1:40300', hit: false },
          { table: 'listener', key: '10.0.0.2:5999', hit: false },
          { table: 'listener-any', key: '0.0.0.0:5999', hit: false },
        ],
        drop: { reason: 'NO_SOCKET', text: 'no socket to deliver to' },
        reply: 'RST',
        summary: 'No socket for 10.0.0.2:5999: the SYN was dropped (NO_SOCKET) and an RST went back.',
      },
    ],
    udpClosed: [
      {
        frameId: 31,
        machine: 'server',
        atNs: at(2),
        protocol: 'udp',
        steps: [
          { table: 'udp-bound', key: '10.0.0.2:6000', hit: false },
          { table: 'udp-any', key: '0.0.0.0:6000', hit: false },
        ],
        drop: { reason: 'NO_SOCKET', text: 'no socket to deliver to' },
        reply: 'ICMP port unreachable',
        summary: 'No UDP socket on port 6000: dropped (NO_SOCKET), ICMP port unreachable sent.',
      },
    ],
  };
}
