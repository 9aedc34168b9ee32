// The syscall surface programs use. A program is a generator that yields Syscall objects; the
// kernel runs each one and resumes the generator with its result, so a run is synchronous and
// deterministic (DESIGN.md section 4). Typed wrappers: `const n = yield* sys.write(1, 'hi\n')`.
import type { Errno } from './errno';

export type Signal = 'SIGHUP' | 'SIGINT' | 'SIGKILL' | 'SIGTERM';
export const SIGNO: Record<Signal, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export interface PollFd {
  fd: number;
  events: number;
}
export interface PollResult {
  fd: number;
  revents: number;
}
export interface WaitStatus {
  pid: number;
  /** Exit code, or 128 + signal number when killed (as a shell reports it). */
  status: number;
  signal?: Signal;
}
export interface RecvFrom {
  data: Uint8Array;
  addr: number;
  port: number;
  /** IP TTL of the datagram (IP_RECVTTL). */
  ttl: number;
}

/** Kernel tables read by `ip`, `arp`, `ss`, `ps`, `nstat`... (Linux: rtnetlink/sock_diag dumps and /proc). */
export type NetlinkQuery = 'links' | 'addrs' | 'routes' | 'neigh' | 'procs' | 'sockets' | 'counters';

export type SockDomain = 'inet' | 'unix';
export type SockType = 'stream' | 'dgram' | 'raw';
export type SockProtocol = 'tcp' | 'udp' | 'icmp' | 'unix';
export type ShutdownHow = 'rd' | 'wr' | 'rdwr';

/** Socket options the lab supports, with Linux's names. SO_LINGER takes {onoff, linger} (seconds). */
export type SockOptName = 'SO_REUSEADDR' | 'SO_REUSEPORT' | 'SO_LINGER' | 'SO_RCVBUF' | 'SO_SNDBUF' | 'SO_ERROR' | 'SO_KEEPALIVE' | 'TCP_NODELAY' | 'IP_TTL';
export type SockOptValue = number | { onoff: number; linger: number };

export interface SockName {
  addr: number;
  port: number;
}

export interface Accepted extends SockName {
  fd: number;
}

/** recvmsg with SCM_RIGHTS: the received descriptions are installed at the lowest free fds. */
export interface RecvMsg {
  data: Uint8Array;
  fds: number[];
  /** MSG_CTRUNC: the fd table was full, so some passed descriptions were dropped (fds holds those that fit). */
  ctrunc?: true;
}

/** open() flags, with Linux's values (include/uapi/asm-generic/fcntl.h). */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;

/** struct stat, the fields the lab has. */
export interface Stat {
  ino: number;
  type: 'file' | 'dir';
  /** Permission bits (0o644...). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeNs: number;
  /** Directories: 2 + subdirectories; files: 1. */
  nlink: number;
}

/** A directory entry with its stat (getdents + stat in one call). */
export interface DirEntry {
  name: string;
  stat: Stat;
}

/** struct passwd. */
export interface Passwd {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export type Syscall =
  | { op: 'write'; fd: number; data: Uint8Array | string }
  | { op: 'read'; fd: number; max: number }
  | { op: 'close'; fd: number }
  | { op: 'poll'; fds: PollFd[]; timeoutNs: number | null }
  | { op: 'nanosleep'; ns: number }
  | { op: 'clock_gettime' }
  | { op: 'getpid' }
  | { op: 'gethostname' }
  | { op: 'spawn'; argv: string[] }
  | { op: 'waitpid'; pid: number; nohang: boolean }
  | { op: 'kill'; pid: number; sig: Signal }
  | { op: 'sigaction'; sig: Signal; action: 'catch' | 'default' }
  | { op: 'sigtimedwait' }
  | { op: 'tcsetpgrp'; fd: number; pid: number }
  | { op: 'exit'; code: number }
  | { op: 'setrlimit_nofile'; soft: number }
  | { op: 'fork'; child: () => Sys<number> }
  | { op: 'dup'; fd: number }
  | { op: 'dup2'; fd: number; to: number }
  | { op: 'fcntl_nonblock'; fd: number; on: boolean }
  | { op: 'socket'; domain: SockDomain; type: SockType; protocol: SockProtocol }
  | { op: 'socketpair'; type: SockType }
  | { op: 'bind'; fd: number; addr: number; port: number }
  | { op: 'bind_unix'; fd: number; path: string }
  | { op: 'connect_unix'; fd: number; path: string }
  | { op: 'listen'; fd: number; backlog: number }
  | { op: 'accept'; fd: number }
  | { op: 'connect'; fd: number; addr: number; port: number }
  | { op: 'send'; fd: number; data: Uint8Array }
  | { op: 'recv'; fd: number; max: number; peek: boolean }
  | { op: 'recv_into'; fd: number; buf: Uint8Array }
  | { op: 'sendto'; fd: number; data: Uint8Array; addr: number; port: number }
  | { op: 'recvfrom'; fd: number; max: number }
  | { op: 'sendmsg'; fd: number; data: Uint8Array; fds: number[] }
  | { op: 'recvmsg'; fd: number; max: number }
  | { op: 'shutdown'; fd: number; how: ShutdownHow }
  | { op: 'getsockname'; fd: number }
  | { op: 'getpeername'; fd: number }
  | { op: 'setsockopt'; fd: number; opt: SockOptName; value: SockOptValue }
  | { op: 'getsockopt'; fd: number; opt: SockOptName }
  | { op: 'sysctl'; name: string; value?: string }
  | { op: 'open'; path: string; flags: number; mode: number }
  | { op: 'stat'; path: string }
  | { op: 'readdir'; path: string }
  | { op: 'mkdir'; path: string; mode: number }
  | { op: 'unlink'; path: string }
  | { op: 'rmdir'; path: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'chdir'; path: string }
  | { op: 'getcwd' }
  | { op: 'getuid' }
  | { op: 'setuid'; uid: number }
  | { op: 'getpwnam'; name: string }
  | { op: 'getpwuid'; uid: number }
  | { op: 'pam_authenticate'; user: string; password: string }
  | { op: 'spawn_daemon'; argv: string[] }
  | { op: 'syslog'; tag: string; text: string }
  | { op: 'setproctitle'; title: string }
  | { op: 'sigchld_ignore'; on: boolean }
  | { op: 'tty_echo'; fd: number; on: boolean }
  | { op: 'openpty' }
  | { op: 'closefrom'; fd: number }
  | { op: 'route_add'; dst: number; prefix: number; gateway?: number; dev?: string }
  | { op: 'route_del'; dst: number; prefix: number }
  | { op: 'netlink'; query: NetlinkQuery };

export type SyscallOp = Syscall['op'];

/** What a program's generator looks like: yields syscalls, resumes with their results. */
export type Sys<T> = Generator<Syscall, T, unknown>;

/** A program: argv in, exit status out. Programs use only syscalls (no direct kernel access). */
export type Program = (argv: string[]) => Sys<number>;

function* call<T>(s: Syscall): Sys<T> {
  return (yield s) as T;
}

export const sys = {
  write: (fd: number, data: Uint8Array | string) => call<number | Errno>({ op: 'write', fd, data }),
  /** Read up to max bytes; '' (or an empty array) is end of file. */
  read: (fd: number, max = 4096) => call<string | Uint8Array | Errno>({ op: 'read', fd, max }),
  close: (fd: number) => call<number | Errno>({ op: 'close', fd }),
  /** Wait until one of the fds is ready or the timeout (ns; null = forever) passes. */
  poll: (fds: PollFd[], timeoutNs: number | null) => call<PollResult[] | Errno>({ op: 'poll', fds, timeoutNs }),
  nanosleep: (ns: number) => call<number | Errno>({ op: 'nanosleep', ns }),
  /** Virtual time in ns (CLOCK_MONOTONIC of the simulation). */
  now: () => call<number>({ op: 'clock_gettime' }),
  getpid: () => call<number>({ op: 'getpid' }),
  gethostname: () => call<string>({ op: 'gethostname' }),
  /** fork+exec in one step (posix_spawn): the child shares fds 0, 1 and 2. */
  spawn: (argv: string[]) => call<number | Errno>({ op: 'spawn', argv }),
  /** Wait for a child to exit; with nohang (WNOHANG) return null at once if it has not. */
  waitpid: (pid: number, nohang = false) => call<WaitStatus | null | Errno>({ op: 'waitpid', pid, nohang }),
  kill: (pid: number, sig: Signal) => call<number | Errno>({ op: 'kill', pid, sig }),
  sigaction: (sig: Signal, action: 'catch' | 'default') => call<number>({ op: 'sigaction', sig, action }),
  /** Take one pending caught signal without waiting (sigtimedwait with a zero timeout), or EAGAIN. */
  sigtimedwait: () => call<Signal | Errno>({ op: 'sigtimedwait' }),
  tcsetpgrp: (fd: number, pid: number) => call<number | Errno>({ op: 'tcsetpgrp', fd, pid }),
  exit: (code: number) => call<never>({ op: 'exit', code }),
  /** setrlimit(RLIMIT_NOFILE): how many fds the process may have (soft limit, up to the hard 1048576). */
  setrlimitNofile: (soft: number) => call<number | Errno>({ op: 'setrlimit_nofile', soft }),
  /**
   * fork(): a generator cannot be copied, so the child runs `child` instead of returning 0 from
   * fork; it gets a copy of the fd table (sharing every open-file description) and the same argv.
   * The parent gets the child's pid.
   */
  fork: (child: () => Sys<number>) => call<number | Errno>({ op: 'fork', child }),
  dup: (fd: number) => call<number | Errno>({ op: 'dup', fd }),
  dup2: (fd: number, to: number) => call<number | Errno>({ op: 'dup2', fd, to }),
  /** fcntl(fd, F_SETFL, O_NONBLOCK) on or off. */
  setNonblock: (fd: number, on: boolean) => call<number | Errno>({ op: 'fcntl_nonblock', fd, on }),
  socket: (type: SockType, protocol: SockProtocol, domain: SockDomain = protocol === 'unix' ? 'unix' : 'inet') =>
    call<number | Errno>({ op: 'socket', domain, type, protocol }),
  /** socketpair(AF_UNIX, type): two connected sockets (the way to pass fds with SCM_RIGHTS). */
  socketpair: (type: SockType = 'stream') => call<[number, number] | Errno>({ op: 'socketpair', type }),
  bind: (fd: number, addr: number, port: number) => call<number | Errno>({ op: 'bind', fd, addr, port }),
  listen: (fd: number, backlog: number) => call<number | Errno>({ op: 'listen', fd, backlog }),
  /** bind() of an AF_UNIX socket to a path (sockaddr_un). */
  bindUnix: (fd: number, path: string) => call<number | Errno>({ op: 'bind_unix', fd, path }),
  /** connect() of an AF_UNIX stream socket to a listening path. */
  connectUnix: (fd: number, path: string) => call<number | Errno>({ op: 'connect_unix', fd, path }),
  accept: (fd: number) => call<Accepted | Errno>({ op: 'accept', fd }),
  /** Blocks until established (or fails); non-blocking sockets get EINPROGRESS. */
  connect: (fd: number, addr: number, port: number) => call<number | Errno>({ op: 'connect', fd, addr, port }),
  send: (fd: number, data: Uint8Array) => call<number | Errno>({ op: 'send', fd, data }),
  /** An empty array is end of file (the peer's FIN). */
  recv: (fd: number, max = 65536, peek = false) => call<Uint8Array | Errno>({ op: 'recv', fd, max, peek }),
  /** recv(2) into the caller's buffer (a reader that reuses one buffer makes no new data array per call): bytes read, 0 at end of file. */
  recvInto: (fd: number, buf: Uint8Array) => call<number | Errno>({ op: 'recv_into', fd, buf }),
  sendto: (fd: number, data: Uint8Array, addr: number, port = 0) => call<number | Errno>({ op: 'sendto', fd, data, addr, port }),
  recvfrom: (fd: number, max = 65536) => call<RecvFrom | Errno>({ op: 'recvfrom', fd, max }),
  sendmsg: (fd: number, data: Uint8Array, fds: number[]) => call<number | Errno>({ op: 'sendmsg', fd, data, fds }),
  recvmsg: (fd: number, max = 65536) => call<RecvMsg | Errno>({ op: 'recvmsg', fd, max }),
  shutdown: (fd: number, how: ShutdownHow) => call<number | Errno>({ op: 'shutdown', fd, how }),
  getsockname: (fd: number) => call<SockName | Errno>({ op: 'getsockname', fd }),
  getpeername: (fd: number) => call<SockName | Errno>({ op: 'getpeername', fd }),
  setsockopt: (fd: number, opt: SockOptName, value: SockOptValue) => call<number | Errno>({ op: 'setsockopt', fd, opt, value }),
  getsockopt: (fd: number, opt: SockOptName) => call<SockOptValue | Errno>({ op: 'getsockopt', fd, opt }),
  /** Read (value undefined) or write a sysctl by its dotted name; returns its value as text. */
  sysctl: (name: string, value?: string) => call<string | Errno>({ op: 'sysctl', name, value }),
  netlink: <T>(query: NetlinkQuery) => call<T>({ op: 'netlink', query }),
  /** open(path, flags, mode): a new fd for a regular file (directories: use readdir). */
  open: (path: string, flags = O_RDONLY, mode = 0o644) => call<number | Errno>({ op: 'open', path, flags, mode }),
  stat: (path: string) => call<Stat | Errno>({ op: 'stat', path }),
  readdir: (path: string) => call<DirEntry[] | Errno>({ op: 'readdir', path }),
  mkdir: (path: string, mode = 0o755) => call<number | Errno>({ op: 'mkdir', path, mode }),
  unlink: (path: string) => call<number | Errno>({ op: 'unlink', path }),
  rmdir: (path: string) => call<number | Errno>({ op: 'rmdir', path }),
  rename: (from: string, to: string) => call<number | Errno>({ op: 'rename', from, to }),
  chdir: (path: string) => call<number | Errno>({ op: 'chdir', path }),
  getcwd: () => call<string>({ op: 'getcwd' }),
  /** Real and effective user ids (getuid, geteuid) and the group id. */
  getuid: () => call<{ uid: number; euid: number; gid: number }>({ op: 'getuid' }),
  /** setuid(uid) as root: uid and gid become the account's (a login dropping privileges); else EPERM. */
  setuid: (uid: number) => call<number | Errno>({ op: 'setuid', uid }),
  getpwnam: (name: string) => call<Passwd | Errno>({ op: 'getpwnam', name }),
  getpwuid: (uid: number) => call<Passwd | Errno>({ op: 'getpwuid', uid }),
  /** Check a password the way PAM's pam_unix does (for login, ftpd, sshd, telnetd); EACCES if wrong. */
  pamAuthenticate: (user: string, password: string) => call<Passwd | Errno>({ op: 'pam_authenticate', user, password }),
  /** Start a daemon (start-stop-daemon --background): child of init, stdio on /dev/null, our credentials. */
  spawnDaemon: (argv: string[]) => call<number | Errno>({ op: 'spawn_daemon', argv }),
  /** A line for the machine's log (syslog/journald): shown in its log view and the trace's events. */
  syslog: (tag: string, text: string) => call<number>({ op: 'syslog', tag, text }),
  /** setproctitle(3): what ps shows for this process ("sshd: student [priv]"). */
  setproctitle: (title: string) => call<number>({ op: 'setproctitle', title }),
  /** sigaction(SIGCHLD, SIG_IGN): exited children are reaped at once (SA_NOCLDWAIT), never zombies; false restores SIG_DFL. */
  ignoreChildren: (on = true) => call<number>({ op: 'sigchld_ignore', on }),
  /** tcsetattr(fd, ECHO on/off): getpass turns echo off while a password is typed; ENOTTY if not a terminal. */
  setEcho: (fd: number, on: boolean) => call<number | Errno>({ op: 'tty_echo', fd, on }),
  /** openpty(3): [master, slave]; the slave is a terminal (/dev/pts/N) for a login shell, the master its other end. */
  openpty: () => call<{ master: number; slave: number; name: string } | Errno>({ op: 'openpty' }),
  /** closefrom(fd): close every descriptor from fd up (what a daemon does before running a user's shell). */
  closefrom: (fd: number) => call<number>({ op: 'closefrom', fd }),
  /** ip route add/del (rtnetlink; root only). */
  routeAdd: (dst: number, prefix: number, gateway?: number, dev?: string) => call<number | Errno>({ op: 'route_add', dst, prefix, gateway, dev }),
  routeDel: (dst: number, prefix: number) => call<number | Errno>({ op: 'route_del', dst, prefix }),
};
