// The two inputs, brought to one list of GoldenFrames (time + link-layer bytes) at ONE capture point:
// - a capture file (linux-truth pcaps, or our pcapng export, which holds one interface per NIC);
// - our FrameEvents ({ at, frameId, first, machine, nic, dir, bytes }), filtered to one NIC.
import type { FrameEvent } from '../../../shared/trace';
import { readCapture } from '../../trace';
import type { GoldenFrame } from './types';

export const LINKTYPE_ETHERNET = 1;

export interface CaptureSelect {
  /** Keep packets of this interface index only (pcapng; classic pcap has only 0). */
  ifIndex?: number;
  /** Keep packets of the interface with this name (pcapng if_name, e.g. our "h2:eth0"). */
  ifName?: string;
}

export interface CaptureFrames {
  frames: GoldenFrame[];
  /** Why the file was not read to its end, when it was not. */
  damage?: string;
}

/** Frames of a pcap/pcapng file (bytes as read from disk), optionally one interface only. */
export function framesFromCapture(bytes: Uint8Array, select: CaptureSelect = {}): CaptureFrames {
  const cap = readCapture(bytes);
  let ifIndex = select.ifIndex;
  if (select.ifName !== undefined) {
    const at = cap.interfaces.findIndex((i) => i.name === select.ifName);
    const names = cap.interfaces.map((i) => i.name ?? '?').join(', ');
    if (at < 0) return { frames: [], damage: `no interface named ${select.ifName} (have: ${names || 'none'})` };
    ifIndex = at;
  }
  const frames: GoldenFrame[] = [];
  for (const p of cap.packets) {
    if (ifIndex !== undefined && p.ifIndex !== ifIndex) continue;
    frames.push({ tNs: p.timeNs, bytes: p.bytes, linkType: cap.interfaces[p.ifIndex]?.linkType ?? LINKTYPE_ETHERNET });
  }
  const out: CaptureFrames = { frames };
  if (cap.damage) out.damage = `${cap.damage.reason} at byte ${cap.damage.offset}`;
  return out;
}

/** One capture point of a simulated lab: a machine's NIC (or a switch port). */
export interface CapturePoint {
  machine: string;
  nic: string;
  /** Only frames sent ('tx') or received ('rx') there; both by default, like tcpdump on a NIC. */
  dir?: 'rx' | 'tx';
}

/** Our trace at one capture point, in time order (stable for equal times). */
export function framesFromEvents(events: Iterable<FrameEvent>, point: CapturePoint): GoldenFrame[] {
  const out: Array<GoldenFrame & { n: number }> = [];
  let n = 0;
  for (const e of events) {
    if (e.machine !== point.machine || e.nic !== point.nic) continue;
    if (point.dir !== undefined && e.dir !== point.dir) continue;
    out.push({ tNs: e.at, bytes: e.bytes, linkType: LINKTYPE_ETHERNET, n: n++ });
  }
  out.sort((a, b) => a.tNs - b.tNs || a.n - b.n);
  return out.map(({ tNs, bytes, linkType }) => ({ tNs, bytes, linkType }));
}
