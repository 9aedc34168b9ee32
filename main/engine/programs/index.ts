// The programs every machine has (its /bin). Shell builtins (exit, clear) live in shell.ts.
import type { Program, Sys } from '../process';
import { arp } from './arp';
import { ip } from './ip';
import { ping } from './ping';
import { shell } from './shell';
import { out } from './stdio';

export { shell, shellPrompt } from './shell';

const HELP: [string, string][] = [
  ['ip addr | ip link | ip route | ip neigh', 'show interfaces, addresses, routes, the neighbour (ARP) cache'],
  ['arp -n', 'show the ARP cache (net-tools format)'],
  ['ping [-c N] [-i S] [-s N] [-W S] [-f] [-q] <ip>', 'send ICMP echo requests'],
  ['clear', 'clear the terminal'],
  ['exit', 'close this shell'],
  ['help', 'this list'],
];

function* help(): Sys<number> {
  yield* out('Packet Lab shell. Commands:\n');
  for (const [cmd, what] of HELP) yield* out(`  ${cmd.padEnd(48)} ${what}\n`);
  yield* out('Ctrl-C interrupts the running command.\n');
  return 0;
}

export const PROGRAMS: Record<string, Program> = {
  sh: shell,
  bash: shell,
  help,
  ip,
  arp,
  ping,
};

export function findProgram(name: string): Program | undefined {
  return Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
}
