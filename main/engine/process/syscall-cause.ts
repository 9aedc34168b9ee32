// Which syscall put a frame on the wire: while a syscall that can send runs (connect -> SYN,
// send/write -> data, shutdown/close/exit -> FIN or RST, sendto -> a datagram), the first frame the
// machine transmits is linked to it by a kernel event of type 'syscall' with that frameId, so the
// trace can say "connect(3, 10.0.0.10:21) by ftp (pid 101) sent this" and jump between the two.
// ARP is the neighbour subsystem's: a syscall's frame is its first IPv4 one, and a packet that had to
// wait for ARP keeps its syscall until it leaves (neighbour.ts). Frames sent later on the kernel's
// own schedule (retransmissions, data released by an ACK, a SYN-ACK) are not linked: no syscall
// sent them.
import { formatIpv4 } from '../../../shared/wire/address';
import type { Syscall } from './syscalls';
import { encodeUtf8 } from './utf8';

/** Syscalls that can transmit at once. */
export const SENDING_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'send', 'sendto', 'sendmsg', 'write', 'shutdown', 'close', 'exit']);

/** The call as strace shows it, e.g. `connect(3, 10.0.0.10:21)`, `send(4, 1448 bytes)`. */
export function describeSyscall(call: Syscall): string {
  switch (call.op) {
    case 'connect':
      return `connect(${call.fd}, ${formatIpv4(call.addr)}:${call.port})`;
    case 'send':
    case 'sendmsg':
      return `${call.op}(${call.fd}, ${call.data.length} bytes)`;
    case 'write':
      return `write(${call.fd}, ${typeof call.data === 'string' ? encodeUtf8(call.data).length : call.data.length} bytes)`;
    case 'sendto':
      return `sendto(${call.fd}, ${call.data.length} bytes, ${formatIpv4(call.addr)}:${call.port})`;
    case 'shutdown':
      return `shutdown(${call.fd}, SHUT_${call.how.toUpperCase()})`;
    case 'close':
      return `close(${call.fd})`;
    case 'exit':
      return `exit(${call.code})`;
    default:
      return `${call.op}()`;
  }
}
