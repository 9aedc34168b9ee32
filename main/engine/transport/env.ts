// What a transport protocol needs from its machine: the IP stack, ICMP, time, randomness, sysctls,
// inode numbers, and the trace (delivery records and named drops).
import type { Delivery, SocketOwner } from '../../../shared/api/kernel-view';
import type { DropReason } from '../../../shared/trace';
import { formatIpv4 } from '../../../shared/wire';
import type { Icmp } from '../net/icmp';
import type { NetStack } from '../net/stack';
import type { Sysctl } from '../net/sysctl';
import type { Rng, Scheduler } from '../sim';

export interface TransportEnv {
  readonly machine: string;
  readonly stack: NetStack;
  readonly icmp: Icmp;
  readonly sched: Scheduler;
  readonly rng: Rng;
  readonly sysctl: Sysctl;
  newInode(): number;
  /** How a received segment or datagram was handled: a 'deliver' trace event linked to its frame. */
  delivered(d: Omit<Delivery, 'machine' | 'atNs'>): void;
  drop(reason: DropReason, frameId: number | undefined, text: string): void;
  /** Processes and fds that hold the socket with this inode (for delivery records). */
  owners(inode: number): SocketOwner[];
  /** A kernel event worth showing (state changes, queue overflows). */
  event(type: 'state' | 'info', text: string): void;
}

export const fmtEndpoint = (addr: number, port: number): string => `${formatIpv4(addr)}:${port}`;
