// Import a capture made by another tool (tcpdump, Wireshark: pcap or pcapng) into the trace, so the
// packet list, filters, Follow TCP Stream, flow graph and statistics work on it as on a lab's run.
// Every packet is a frame of the default view at its interface ("machine:nic" when the name has
// that form, as our own exports do; else "capture:<name>"); times count from the first packet, so
// nanoseconds stay exact (epoch nanoseconds exceed 2^53). Only Ethernet is understood: packets of
// other link types are skipped and counted. A damaged file gives what was valid before the damage.
import type { TraceSink } from '../../shared/trace';
import { LINKTYPE_ETHERNET } from './pcapng';
import { readCapture } from './read';
import type { CaptureDamage } from './read-types';

export interface ImportReport {
  format: 'pcap' | 'pcapng';
  packets: number;
  /** Packets left out: not Ethernet, or cut shorter than an Ethernet header. */
  skipped: number;
  /** Where the file stops being readable (what came before was imported). */
  damage?: CaptureDamage;
  /** Absolute time of the first packet (ns since the epoch), which is time 0 in the trace. */
  startNs: number;
}

export type ImportRead = { ok: true; report: ImportReport; feed(sink: TraceSink): void } | { ok: false; error: string };

/** Read the file; nothing is written until feed() (so a file that is not a capture changes nothing). */
export function readForImport(bytes: Uint8Array): ImportRead {
  const cap = readCapture(bytes);
  if (cap.format === 'unknown') return { ok: false, error: cap.damage?.reason ?? 'not a pcap or pcapng file' };
  if (cap.packets.length === 0 && cap.damage) return { ok: false, error: `no packet could be read: ${cap.damage.reason} (at byte ${cap.damage.offset})` };
  const first = cap.packets[0]?.exactNs ?? 0n;
  const startNs = Number(first);
  const names = cap.interfaces.map((itf, i) => {
    const m = /^([^:\s]+):(\S+)$/.exec(itf.name ?? '');
    return m ? { machine: m[1]!, nic: m[2]! } : { machine: 'capture', nic: itf.name?.trim() || `if${i}` };
  });
  const usable = cap.packets.filter((p) => (cap.interfaces[p.ifIndex]?.linkType ?? LINKTYPE_ETHERNET) === LINKTYPE_ETHERNET && p.bytes.length >= 14);
  const report: ImportReport = { format: cap.format, packets: usable.length, skipped: cap.packets.length - usable.length, startNs, ...(cap.damage ? { damage: cap.damage } : {}) };
  return {
    ok: true,
    report,
    feed(sink) {
      usable.forEach((p, i) => {
        const at = names[p.ifIndex] ?? { machine: 'capture', nic: `if${p.ifIndex}` };
        sink.frame({ at: Number(p.exactNs - first), frameId: i + 1, first: true, machine: at.machine, nic: at.nic, dir: 'rx', bytes: new Uint8Array(p.bytes) });
      });
    },
  };
}
