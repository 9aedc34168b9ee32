// arp (net-tools): the neighbour cache in the classic table format. Names are not resolved yet,
// so `arp` and `arp -n` print the same.
import { formatIpv4, formatMac } from '../../../shared/wire';
import type { NeighInfo } from '../net/netlink';
import { sys, type Sys } from '../process';
import { err, out } from './stdio';

export function* arp(argv: string[]): Sys<number> {
  const bad = argv.slice(1).find((a) => a !== '-n' && a !== '-a' && a !== '-an');
  if (bad) {
    yield* err(`arp: invalid option -- '${bad.replace(/^-/, '')}'\nUsage: arp [-n]\n`);
    return 1;
  }
  const rows = (yield* sys.netlink<NeighInfo[]>('neigh')).filter((n) => n.state !== 'FAILED');
  yield* out('Address                  HWtype  HWaddress           Flags Mask            Iface\n');
  for (const n of rows) {
    const a = formatIpv4(n.addr).padEnd(25);
    if (n.mac === undefined) yield* out(`${a}        (incomplete)                              ${n.dev}\n`);
    else yield* out(`${a}ether   ${formatMac(n.mac)}   ${n.state === 'PERMANENT' ? 'CM' : 'C '}                    ${n.dev}\n`);
  }
  return 0;
}
