// The simulation view's model: frames travelling along links and drops to flash, built from the
// trace (every capture point's rows, LabApi.listFrames with allCapturePoints, and the run's drops,
// LabApi.listDrops). Pure and DOM-free; SimOverlay draws it. See sim-view.test.ts.
//
// A frame transmitted at machine:nic (a 'tx' row) travels to the other end of that NIC's link and
// arrives when the peer captures it (the matching 'rx' row: same frame id, the peer machine). Until
// that row is known, the arrival is estimated from the link as the engine's cable computes it
// (serialization of the frame plus 24 bytes of preamble, FCS and gap, then the latency).
import type { LabDoc } from '../../shared/lab/types';
import { DEFAULT_BANDWIDTH, DEFAULT_LATENCY } from '../../shared/lab/limits';
import { parseDuration, parseRate } from '../../shared/lab/units';
import type { DropRecord } from '../../shared/trace/events';
import type { FrameRow } from '../../shared/trace/frame-row';
import { edgeIdsOf, splitEnd } from './elements';

/** One direction of a link, seen from the end that sends. */
export interface Wire {
  edgeId: string;
  from: string;
  to: string;
  latencyNs: number;
  bandwidthBps: number;
}

/** Preamble+SFD, FCS and inter-frame gap (main/engine/link/cable.ts ETH_WIRE_OVERHEAD). */
const WIRE_OVERHEAD = 24;

/** "machine:nic" -> the wire a frame sent there travels on. */
export function wiresOf(doc: LabDoc): Map<string, Wire> {
  const out = new Map<string, Wire>();
  const ids = edgeIdsOf(doc);
  doc.links.forEach((l, i) => {
    const edgeId = ids[i];
    if (!edgeId) return;
    const latencyNs = parseDuration(l.latency ?? DEFAULT_LATENCY) ?? 0;
    const bandwidthBps = parseRate(l.bandwidth ?? DEFAULT_BANDWIDTH) ?? 1e9;
    const a = splitEnd(l.a);
    const b = splitEnd(l.b);
    out.set(l.a, { edgeId, from: a.machine, to: b.machine, latencyNs, bandwidthBps });
    out.set(l.b, { edgeId, from: b.machine, to: a.machine, latencyNs, bandwidthBps });
  });
  return out;
}

export interface Envelope {
  /** The tx row's number (every capture point counts). */
  no: number;
  frameId: number;
  /** The number the packet list shows this frame under (its first capture point's row). */
  listNo: number;
  from: string;
  to: string;
  edgeId: string;
  t0: number;
  /** Arrival (or loss) time: estimated until the peer's row or a drop is known. */
  t1: number;
  arrivalKnown: boolean;
  protocol: string;
  info: string;
  /** Lost on the way (a LINK_* drop at the far end): drawn red, and the link flashes. */
  lost: DropRecord | null;
  /** The hop this frame made just before (into `from`), drawn first. */
  after: number | null;
}

export interface Flash {
  /** An edge id or a machine id. */
  target: { edge: string } | { machine: string };
  drop: DropRecord;
}

/** How far stale envelopes (no arrival, no drop: e.g. the lab was edited under them) may lag. */
const STALE_NS = 1e9;
/** More would not be readable, and drawing them all would slow a fast run down. */
export const MAX_ENVELOPES = 150;

export class SimTracker {
  readonly envelopes = new Map<number, Envelope>();
  /** Frames not drawn because MAX_ENVELOPES were already on screen. */
  skipped = 0;
  /** frame id -> the number of its first row seen (the packet list's number for it). */
  private readonly firstNo = new Map<number, number>();

  constructor(private wires: Map<string, Wire>) {}

  setWires(wires: Map<string, Wire>): void {
    this.wires = wires;
  }

  /** New capture rows, in order. */
  addRows(rows: readonly FrameRow[]): void {
    for (const r of rows) {
      if (r.first) this.firstNo.set(r.frameId, r.no);
      if (r.dir === 'rx') {
        const e = this.onTheWay(r.frameId, r.machine);
        if (e) {
          e.t1 = r.timeNs;
          e.arrivalKnown = true;
        }
        continue;
      }
      const wire = this.wires.get(`${r.machine}:${r.nic}`);
      if (!wire) continue;
      if (this.envelopes.size >= MAX_ENVELOPES) {
        this.skipped++;
        continue;
      }
      const before = this.arrivedAt(r.frameId, r.machine);
      this.envelopes.set(r.no, {
        no: r.no,
        frameId: r.frameId,
        listNo: this.firstNo.get(r.frameId) ?? r.no,
        from: wire.from,
        to: wire.to,
        edgeId: wire.edgeId,
        t0: r.timeNs,
        t1: r.timeNs + Math.ceil(((r.length + WIRE_OVERHEAD) * 8 * 1e9) / wire.bandwidthBps) + wire.latencyNs,
        arrivalKnown: false,
        protocol: r.protocol,
        info: r.info,
        lost: null,
        after: before?.no ?? null,
      });
    }
    // Keep the first-row map small: only frames that may still be forwarded matter.
    if (this.firstNo.size > 4 * MAX_ENVELOPES) {
      const keep = [...this.firstNo].slice(-2 * MAX_ENVELOPES);
      this.firstNo.clear();
      for (const [k, v] of keep) this.firstNo.set(k, v);
    }
  }

  /** New drops, in order: what to flash. A link-layer drop of a frame on its way flashes its link. */
  addDrops(drops: readonly DropRecord[]): Flash[] {
    const out: Flash[] = [];
    for (const d of drops) {
      const e = d.frameId !== undefined && d.reason.startsWith('LINK_') ? this.onTheWay(d.frameId, d.machine) : undefined;
      if (e) {
        e.lost = d;
        e.t1 = d.atNs;
        e.arrivalKnown = true;
        out.push({ target: { edge: e.edgeId }, drop: d });
      } else {
        out.push({ target: { machine: d.machine }, drop: d });
      }
    }
    return out;
  }

  /**
   * Where each envelope is at lab time `now`, as a fraction of its link (0 at the sender, 1 at the
   * receiver). Envelopes that have arrived are kept until `release` (the drawing has caught up).
   */
  positions(now: number): { env: Envelope; fraction: number }[] {
    const out: { env: Envelope; fraction: number }[] = [];
    for (const env of this.envelopes.values()) {
      if (!env.arrivalKnown && now > env.t1 + STALE_NS) {
        this.envelopes.delete(env.no);
        continue;
      }
      const span = Math.max(1, env.t1 - env.t0);
      let fraction = Math.min(1, Math.max(0, (now - env.t0) / span));
      // Not arrived yet although the estimate says so (it waited in the transmit queue): hold.
      if (!env.arrivalKnown) fraction = Math.min(fraction, 0.95);
      out.push({ env, fraction });
    }
    return out;
  }

  /** Forget an envelope (drawn all the way). */
  release(no: number): void {
    this.envelopes.delete(no);
  }

  clear(): void {
    this.envelopes.clear();
    this.firstNo.clear();
    this.skipped = 0;
  }

  /** The envelope of frame `frameId` travelling to `machine` and not yet arrived there. */
  private onTheWay(frameId: number, machine: string): Envelope | undefined {
    for (const e of this.envelopes.values()) if (e.frameId === frameId && e.to === machine && !e.arrivalKnown) return e;
    return undefined;
  }

  /** The envelope that brought frame `frameId` to `machine` (a switch or hub forwarding it). */
  private arrivedAt(frameId: number, machine: string): Envelope | undefined {
    for (const e of this.envelopes.values()) if (e.frameId === frameId && e.to === machine && e.arrivalKnown && !e.lost) return e;
    return undefined;
  }
}

/**
 * The drawing side: each envelope's drawn fraction follows its true one but moves at most
 * 1/minGlideMs per millisecond, so a hop shorter than a frame of animation is still seen; an
 * envelope waits (hidden) until the hop before it has been drawn to its end.
 */
export class GlideState {
  private readonly drawn = new Map<number, number>();

  constructor(private readonly minGlideMs: number) {}

  /** Advance by `dtMs`; returns what to draw and releases finished envelopes from `tracker`. */
  step(tracker: SimTracker, now: number, dtMs: number): { env: Envelope; fraction: number }[] {
    const out: { env: Envelope; fraction: number }[] = [];
    const finished: number[] = [];
    for (const { env, fraction } of tracker.positions(now)) {
      if (env.after !== null && tracker.envelopes.has(env.after)) continue; // its previous hop is still drawn
      const was = this.drawn.get(env.no) ?? 0;
      const f = Math.min(fraction, was + dtMs / this.minGlideMs);
      const drawn = Math.max(was, f);
      this.drawn.set(env.no, drawn);
      if (env.arrivalKnown && fraction >= 1 && drawn >= 1) finished.push(env.no);
      else out.push({ env, fraction: drawn });
    }
    for (const no of finished) {
      tracker.release(no);
      this.drawn.delete(no);
    }
    for (const no of this.drawn.keys()) if (!tracker.envelopes.has(no)) this.drawn.delete(no);
    return out;
  }

  clear(): void {
    this.drawn.clear();
  }
}
