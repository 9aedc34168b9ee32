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

/** Kernel tables read by `ip`, `arp`, `ps` (Linux: rtnetlink dumps and /proc). */
export type NetlinkQuery = 'links' | 'addrs' | 'routes' | 'neigh' | 'procs';

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
  | { op: 'waitpid'; pid: number }
  | { op: 'kill'; pid: number; sig: Signal }
  | { op: 'sigaction'; sig: Signal; action: 'catch' | 'default' }
  | { op: 'sigtimedwait' }
  | { op: 'tcsetpgrp'; fd: number; pid: number }
  | { op: 'exit'; code: number }
  | { op: 'socket'; domain: 'inet'; type: 'dgram' | 'stream'; protocol: 'icmp' | 'udp' | 'tcp' }
  | { op: 'sendto'; fd: number; data: Uint8Array; addr: number; port: number }
  | { op: 'recvfrom'; fd: number; max: number }
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
  waitpid: (pid: number) => call<WaitStatus | Errno>({ op: 'waitpid', pid }),
  kill: (pid: number, sig: Signal) => call<number | Errno>({ op: 'kill', pid, sig }),
  sigaction: (sig: Signal, action: 'catch' | 'default') => call<number>({ op: 'sigaction', sig, action }),
  /** Take one pending caught signal without waiting (sigtimedwait with a zero timeout), or EAGAIN. */
  sigtimedwait: () => call<Signal | Errno>({ op: 'sigtimedwait' }),
  tcsetpgrp: (fd: number, pid: number) => call<number | Errno>({ op: 'tcsetpgrp', fd, pid }),
  exit: (code: number) => call<never>({ op: 'exit', code }),
  socket: (type: 'dgram' | 'stream', protocol: 'icmp' | 'udp' | 'tcp') =>
    call<number | Errno>({ op: 'socket', domain: 'inet', type, protocol }),
  sendto: (fd: number, data: Uint8Array, addr: number, port = 0) => call<number | Errno>({ op: 'sendto', fd, data, addr, port }),
  recvfrom: (fd: number, max = 65536) => call<RecvFrom | Errno>({ op: 'recvfrom', fd, max }),
  netlink: <T>(query: NetlinkQuery) => call<T>({ op: 'netlink', query }),
};
