// What the catalogue says about one linux-truth case, and shared pieces for writing checks.
import type { Check, ConnRef, Statement } from './statements';

export interface Scenario {
  /** 'a', 'b/closed_port', 'd1' ... */
  id: string;
  title: string;
  /** Folder under linux-truth. */
  folder: string;
  /** Files relative to linux-truth; absent for a case the README describes but the folder lacks. */
  pcap?: string;
  summary?: string;
  /** ss snapshot files (their tables carry host/at/view from their headings). */
  ss?: readonly string[];
  nstat?: string;
  /** Program logs, by the name checks use. */
  logs?: readonly string[];
  /** False: described in the README only (no capture): its checks are unproven against Linux. */
  available: boolean;
  client: string;
  server: string;
  serverPorts: readonly number[];
  /** Where the packets were seen. Compare our trace at the same point (the server's NIC). */
  capturePoint: string;
  /** sysctls and program parameters that differ from the defaults or matter. */
  params: Readonly<Record<string, string | number>>;
  /** Acceptance scenarios (README section 5) it supports. */
  acceptance: readonly string[];
  /** Role -> position in SYN order. */
  roles: Readonly<Record<string, number>>;
  connections: ReadonlyArray<{ role: string; note: string }>;
  checks: readonly Check[];
  /** Where README and capture differ, or what the README leaves out (the capture wins). */
  notes: readonly string[];
}

export const CLIENT = '10.0.0.1';
export const SERVER = '10.0.0.2';
export const CAPTURE_POINT = 'server NIC (tcpdump on veth-srv in the server namespace, both directions)';

/** A Linux 6.x active open as seen at the server: SYN, SYN-ACK, ACK (README rows 21-23). */
export const HANDSHAKE: readonly string[] = [
  'C>S S 0 win 64240 <mss 1460,sackOK,TS,nop,wscale 10>',
  'S>C S. 0 ack 1 win 65160 <mss 1460,sackOK,TS,nop,wscale 10>',
  'C>S . 1 ack 1 len 0 win 63 <nop,nop,TS>',
];

export const check = (id: string, refs: readonly string[], text: string, statement: Statement): Check => ({ id, refs, text, statement });

/**
 * Option layout checks (rows 21-23) for the SYNs, SYN-ACKs and established segments present in a
 * capture; `est` lists "dir flags" pairs such as 'C>S P.' (each must occur).
 */
export function optionChecks(id: string, o: { syn?: boolean; synAck?: boolean; est?: readonly string[]; conns?: readonly ConnRef[] }): Check[] {
  const out: Check[] = [];
  const conns = o.conns ? { conns: o.conns } : {};
  if (o.syn) out.push(check(`${id}.syn-options`, ['AS-01', 'row 21'], 'Every SYN: win 64240 <mss 1460,sackOK,TS,nop,wscale 10>.', { kind: 'all', expect: 'C>S S 0 len 0 win 64240 <mss 1460,sackOK,TS,nop,wscale 10>', ...conns }));
  if (o.synAck) out.push(check(`${id}.synack-options`, ['AS-01', 'row 22'], "Every SYN-ACK: seq 0 ack 1 win 65160, options in the SYN's order.", { kind: 'all', expect: 'S>C S. 0 ack 1 len 0 win 65160 <mss 1460,sackOK,TS,nop,wscale 10>', ...conns }));
  for (const e of o.est ?? []) {
    const [dir, flags] = e.split(' ') as [string, string];
    const who = dir === 'C>S' ? 'client' : 'server';
    const name = flags === '.' ? 'ack' : flags.replace('.', '').toLowerCase();
    out.push(check(`${id}.est-options-${who}-${name}`, ['row 23'], `Every established [${flags}] from the ${who} carries <nop,nop,TS> only.`, { kind: 'all', expect: `${e} <nop,nop,TS>`, ...conns }));
  }
  return out;
}
