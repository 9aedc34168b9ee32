// TCP flags in tcpdump's notation (print-tcp.c tcp_flag_values order: F S R P . U E W; "none" when no
// flag is set): SYN 'S', SYN+ACK 'S.', ACK '.', PSH+ACK 'P.', FIN+ACK 'F.', FIN+PSH+ACK 'FP.', RST 'R'.
import { TcpFlag } from '../../../shared/wire';

const ORDER: ReadonlyArray<readonly [number, string]> = [
  [TcpFlag.FIN, 'F'],
  [TcpFlag.SYN, 'S'],
  [TcpFlag.RST, 'R'],
  [TcpFlag.PSH, 'P'],
  [TcpFlag.ACK, '.'],
  [TcpFlag.URG, 'U'],
  [TcpFlag.ECE, 'E'],
  [TcpFlag.CWR, 'W'],
];

export function tcpdumpFlags(flags: number): string {
  let s = '';
  for (const [bit, ch] of ORDER) if (flags & bit) s += ch;
  return s === '' ? 'none' : s;
}

/** The flag bits of a tcpdump flag string (the inverse of tcpdumpFlags; order does not matter). */
export function flagBits(s: string): number {
  if (s === 'none') return 0;
  let bits = 0;
  for (const ch of s) {
    const hit = ORDER.find(([, c]) => c === ch);
    if (!hit) throw new Error(`unknown tcpdump flag '${ch}' in '${s}'`);
    bits |= hit[0];
  }
  return bits;
}

/** Same flags, whatever the order the letters were written in ('SF' = 'FS'). */
export function sameFlags(a: string, b: string): boolean {
  return a === b || flagBits(a) === flagBits(b);
}
