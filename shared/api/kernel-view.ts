// What the UI (and `ss`, `ps`, `lsof`) can see of a machine's kernel: sockets, processes with their
// fd tables, counters, and for each received frame how it was delivered (or why it was dropped).
import type { DropReason } from '../trace/drop-reasons';

/** TCP states with Linux's names (include/net/tcp_states.h); `ss` prints them as ESTAB, SYN-SENT... */
export type TcpStateName =
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSE';

/** UDP sockets are UNCONN, or ESTABLISHED once connect()ed (as `ss -u` shows them). */
export type SocketStateName = TcpStateName | 'UNCONN';

export interface SocketOwner {
  pid: number;
  name: string;
  fd: number;
}

export interface SocketTimer {
  /** As `ss -o` prints: on (retransmit/SYN), keepalive, timewait, persist (zero-window probe). */
  kind: 'on' | 'keepalive' | 'timewait' | 'persist';
  expiresNs: number;
  /** Retransmissions (or probes) so far. */
  retransmits: number;
}

export interface SocketRow {
  /** Socket inode (`socket:[N]` in /proc/<pid>/fd); 0 for request socks and TIME_WAIT entries. */
  inode: number;
  /** What the kernel's tables hold: a full socket, a request sock (SYN_RECV) or a TIME_WAIT entry. */
  kind: 'socket' | 'request' | 'timewait';
  proto: 'tcp' | 'udp' | 'icmp' | 'unix' | 'raw';
  state: SocketStateName;
  localAddr: number;
  localPort: number;
  /** 0 and 0 when there is no peer (`*:*`). */
  peerAddr: number;
  peerPort: number;
  /** Linux's meaning: LISTEN -> accept-queue length / backlog; others -> unread / unacked bytes. */
  recvQ: number;
  sendQ: number;
  owners: SocketOwner[];
  timer?: SocketTimer;
  /** For listeners. synQueue counts request socks (SYN_RECV), not SYN-cookie connections. */
  listener?: { backlog: number; acceptQueue: number; synQueue: number };
  /** For request socks and children born from a listener: the listener's inode. */
  parent?: number;
  /** The child is still waiting in its listener's accept queue (not yet accept()ed). */
  queued?: boolean;
  /** AF_UNIX: the path the socket is bound to. */
  path?: string;
}

export interface FdRow {
  fd: number;
  /** Open-file description id: two fds with the same id share one description (dup, fork, SCM_RIGHTS). */
  description: number;
  /** As /proc/<pid>/fd shows it: "socket:[10001]", "/dev/pts/0". */
  label: string;
  inode?: number;
}

export interface ProcessRow {
  pid: number;
  ppid: number;
  name: string;
  argv: string[];
  /** ps STAT: R running/runnable, S sleeping, Z zombie. */
  state: 'R' | 'S' | 'Z';
  /** What it sleeps on: accept, recv, connect, poll, read, wait... */
  wchan: string;
  startedNs: number;
  /** Credentials: uid and its account name (ps's USER/UID column). */
  uid: number;
  user: string;
  fds: FdRow[];
}

export interface MachineState {
  machine: string;
  timeNs: number;
  sockets: SocketRow[];
  processes: ProcessRow[];
  /** net.ipv4.ip_local_port_range */
  ephemeral: [number, number];
  /** Linux MIB counters by name (ListenOverflows, ActiveOpens, InSegs...). */
  counters: Record<string, number>;
}

export type PortRange = 'well-known' | 'registered' | 'dynamic';

/** IANA ranges (RFC 6335 section 6): 0-1023, 1024-49151, 49152-65535. */
export function portRange(port: number): PortRange {
  return port < 1024 ? 'well-known' : port < 49152 ? 'registered' : 'dynamic';
}

/** One step of the socket lookup (Linux __inet_lookup: established hash, then listeners). */
export interface LookupStep {
  table: 'established' | 'listener' | 'listener-any' | 'udp-connected' | 'udp-bound' | 'udp-any' | 'ping';
  /** The key looked up, e.g. "10.0.0.2:5000 <- 10.0.0.1:42620". */
  key: string;
  hit: boolean;
}

/** How one received segment/datagram was handled by one machine's kernel. */
export interface Delivery {
  frameId: number;
  machine: string;
  atNs: number;
  protocol: 'tcp' | 'udp' | 'icmp';
  steps: LookupStep[];
  socket?: { inode: number; kind: SocketRow['kind']; local: string; peer: string; state: SocketStateName; owners: SocketOwner[] };
  /** Where it went: "SYN queue", "accept queue", "receive queue", "out-of-order queue"... */
  queue?: string;
  stateChange?: { from: SocketStateName; to: SocketStateName };
  drop?: { reason: DropReason; text: string };
  /** What the kernel answered with, if anything: "RST", "SYN-ACK", "ICMP port unreachable"... */
  reply?: string;
  /** One sentence for the packet list and pcapng comments. */
  summary: string;
}

/** A switch's or hub's view (the MAC table Packet Tracer shows with `show mac address-table`). */
export interface SwitchState {
  machine: string;
  kind: 'switch' | 'hub';
  timeNs: number;
  ports: SwitchPortRow[];
  /** Learned source MACs (switch only; a hub learns nothing and repeats every frame to every port). */
  macTable: MacRow[];
  /** How long an entry lives without being seen again (Linux bridge ageing_time), in seconds. */
  ageingSeconds: number;
}

export interface SwitchPortRow {
  name: string;
  /** The far end, "machine:nic", or null when no cable is plugged in. */
  linkedTo: string | null;
  /** Why the lab blocks this port's cable (it closes a switching loop), or null. */
  blocked: string | null;
  rxFrames: number;
  txFrames: number;
}

export interface MacRow {
  mac: string;
  port: string;
  /** Seconds since the MAC was last seen as a source on that port. */
  ageSeconds: number;
}
