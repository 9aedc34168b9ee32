// The simulation view drawn over the topology: frames travelling along the links (coloured by
// protocol, described on hover, selected in the packet list on click) and drops flashing where they
// happened with their reason. Shown in slow motion and while paused (stepping); see sim-view.ts for
// the model. A 2D canvas on top of cytoscape's, so the topology's own elements stay the lab's.
import type { Core } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import { isSlowMotion, type LabApi, type LabStatus } from '../../shared/api/contract';
import type { LabDoc } from '../../shared/lab/types';
import { DROP_REASONS } from '../../shared/trace/drop-reasons';
import { protocolClass } from '../inspector/protocol';
import { GlideState, SimTracker, wiresOf, type Envelope, type Flash } from './sim-view';

declare global {
  interface Window {
    /** Read-only diagnostic handle on what the simulation view draws, for e2e tests. Not an API. */
    __sim?: { envelopes(): DrawnEnvelope[]; flashes(): { target: Flash['target']; reason: string }[] };
  }
}

export interface DrawnEnvelope {
  no: number;
  listNo: number;
  from: string;
  to: string;
  protocol: string;
  lost: boolean;
  /** Centre in page (client) coordinates. */
  x: number;
  y: number;
}

export interface SimOverlayProps {
  cyRef: { current: Core | null };
  api: LabApi;
  doc: LabDoc | null;
  status: LabStatus | null;
  /** Changes when the trace starts over. */
  epoch: number;
  onSelectFrame(no: number): void;
  onError(context: string, err: unknown): void;
}

/** A hop is drawn over at least this long, however short it is in lab time. */
const MIN_GLIDE_MS = 250;
const FLASH_MS = 2600;
/** At most this many rows are fetched per status; a longer gap starts from its end. */
const FETCH_LIMIT = 500;
/** How far the clock may be extrapolated past the last status (statuses come every 100 ms). */
const MAX_LEAD_MS = 250;

const COLOURS: Record<string, string> = {
  'proto-tcp': '#7c6cf0',
  'proto-udp': '#2f8fd8',
  'proto-arp': '#d99a1e',
  'proto-icmp': '#c955cf',
  'proto-other': '#7b8794',
};

export function SimOverlay(props: SimOverlayProps) {
  const { api, doc, status, epoch } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const handlers = useRef(props);
  handlers.current = props;
  const tracker = useRef(new SimTracker(new Map()));
  const glide = useRef(new GlideState(MIN_GLIDE_MS));
  const flashes = useRef<(Flash & { born: number })[]>([]);
  const drawn = useRef<DrawnEnvelope[]>([]);
  /** Rows and drops taken so far; null: start from wherever the trace is when the view turns on. */
  const seen = useRef<{ capture: number; drops: number } | null>(null);
  const busy = useRef(false);
  const clock = useRef({ timeNs: 0, wall: 0, running: false, factor: 0 });
  const [hover, setHover] = useState<{ env: DrawnEnvelope; info: string } | null>(null);
  const active = status !== null && (isSlowMotion(status.speed) || !status.running);

  useEffect(() => {
    tracker.current.setWires(doc ? wiresOf(doc) : new Map());
  }, [doc]);

  // A new trace (or the view turned off): forget everything.
  useEffect(() => {
    tracker.current.clear();
    glide.current.clear();
    flashes.current = [];
    seen.current = null;
  }, [epoch, active]);

  // Each status: move the clock, and fetch the rows and drops that are new.
  useEffect(() => {
    if (!status || !active) return;
    clock.current = {
      timeNs: status.timeNs,
      wall: performance.now(),
      running: status.running,
      factor: status.speed.mode === 'realtime' ? status.speed.factor : 0,
    };
    if (seen.current === null) seen.current = { capture: status.captureCount, drops: status.dropCount };
    const pull = async () => {
      if (busy.current) return;
      busy.current = true;
      try {
        for (let guard = 0; guard < 20 && seen.current; guard++) {
          const at = seen.current;
          const want = handlers.current.status;
          if (!want || (want.captureCount <= at.capture && want.dropCount <= at.drops)) break;
          const from = Math.max(at.capture, want.captureCount - FETCH_LIMIT);
          const dropFrom = Math.max(at.drops, want.dropCount - FETCH_LIMIT);
          const [page, drops] = await Promise.all([
            want.captureCount > from ? api.listFrames({ offset: from, limit: FETCH_LIMIT, allCapturePoints: true }) : Promise.resolve({ total: 0, rows: [] }),
            want.dropCount > dropFrom ? api.listDrops({ offset: dropFrom, limit: FETCH_LIMIT }) : Promise.resolve([]),
          ]);
          if (seen.current !== at) break; // cleared meanwhile (reset, view off)
          tracker.current.addRows(page.rows);
          const now = performance.now();
          for (const f of tracker.current.addDrops(drops)) flashes.current.push({ ...f, born: now });
          seen.current = { capture: from + page.rows.length, drops: dropFrom + drops.length };
          if (page.rows.length === 0 && drops.length === 0) break;
        }
      } catch (err) {
        handlers.current.onError('Loading frames for the canvas failed', err);
      } finally {
        busy.current = false;
      }
    };
    void pull();
  }, [status, active, api]);

  // The drawing loop, while the view is on.
  useEffect(() => {
    if (!active) {
      drawn.current = [];
      const c = canvasRef.current;
      c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
      return;
    }
    let raf = 0;
    let last = performance.now();
    let painted = false;
    const frame = (wall: number) => {
      raf = requestAnimationFrame(frame);
      const dt = Math.min(100, wall - last);
      last = wall;
      const cy = handlers.current.cyRef.current;
      const canvas = canvasRef.current;
      if (!cy || !canvas) return;
      const c = clock.current;
      const now = c.running ? c.timeNs + Math.min(wall - c.wall, MAX_LEAD_MS) * 1e6 * c.factor : c.timeNs;
      const list = glide.current.step(tracker.current, now, dt);
      flashes.current = flashes.current.filter((f) => wall - f.born < FLASH_MS);
      // Idle (nothing on the wires, nothing flashing, nothing left on screen): no repaint.
      if (list.length === 0 && flashes.current.length === 0 && !painted) return;
      drawn.current = paint(canvas, cy, list, flashes.current, wall);
      painted = list.length > 0 || flashes.current.length > 0;
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [active]);

  // Clicks and hover: hit-tested here, before cytoscape sees the press.
  useEffect(() => {
    const canvas = canvasRef.current;
    const wrap = canvas?.parentElement;
    if (!canvas || !wrap) return;
    const hit = (e: MouseEvent): DrawnEnvelope | undefined => {
      let best: DrawnEnvelope | undefined;
      let bestD = 14 * 14;
      for (const d of drawn.current) {
        const dd = (d.x - e.clientX) ** 2 + (d.y - e.clientY) ** 2;
        if (dd <= bestD) {
          best = d;
          bestD = dd;
        }
      }
      return best;
    };
    const onDown = (e: MouseEvent) => {
      const d = hit(e);
      if (!d || e.button !== 0) return;
      e.stopPropagation();
      e.preventDefault();
      handlers.current.onSelectFrame(d.listNo);
    };
    const onMove = (e: MouseEvent) => {
      const d = hit(e);
      wrap.classList.toggle('over-frame', d !== undefined);
      setHover((h) => (d ? (h?.env.no === d.no && h.env.x === d.x ? h : { env: d, info: infoOf(tracker.current, d) }) : null));
    };
    wrap.addEventListener('mousedown', onDown, true);
    wrap.addEventListener('mousemove', onMove);
    window.__sim = {
      envelopes: () => drawn.current.map((d) => ({ ...d })),
      flashes: () => flashes.current.map((f) => ({ target: f.target, reason: f.drop.reason })),
    };
    return () => {
      wrap.removeEventListener('mousedown', onDown, true);
      wrap.removeEventListener('mousemove', onMove);
      delete window.__sim;
    };
  }, []);

  const box = canvasRef.current?.getBoundingClientRect();
  return (
    <>
      <canvas ref={canvasRef} className="sim-overlay" data-testid="sim-overlay" aria-hidden="true" />
      {hover && box && (
        <div className="sim-tip" data-testid="sim-tip" style={{ left: hover.env.x - box.left + 14, top: hover.env.y - box.top + 10 }}>
          {hover.info}
        </div>
      )}
    </>
  );
}

function infoOf(t: SimTracker, d: DrawnEnvelope): string {
  const e = t.envelopes.get(d.no);
  const head = `No. ${d.listNo} · ${d.from} → ${d.to} · ${d.protocol}`;
  return e ? `${head}\n${e.info}${e.lost ? `\n✕ ${DROP_REASONS[e.lost.reason]}` : ''}` : head;
}

/** Draw the envelopes and flashes; returns where each envelope went (page coordinates). */
function paint(canvas: HTMLCanvasElement, cy: Core, list: { env: Envelope; fraction: number }[], flashes: (Flash & { born: number })[], wall: number): DrawnEnvelope[] {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d');
  if (!g) return [];
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const zoom = cy.zoom();
  const pan = cy.pan();
  const at = (id: string): { x: number; y: number } | null => {
    const n = cy.getElementById(id);
    if (n.empty()) return null;
    const p = n.position();
    return { x: p.x * zoom + pan.x, y: p.y * zoom + pan.y };
  };
  const s = Math.min(1.4, Math.max(0.7, zoom));
  g.font = `${Math.round(11 * Math.max(0.85, Math.min(1.2, zoom)))}px system-ui, sans-serif`;

  for (const f of flashes) {
    const alpha = 1 - (wall - f.born) / FLASH_MS;
    g.globalAlpha = Math.max(0, alpha);
    g.strokeStyle = '#dc2626';
    g.fillStyle = '#b91c1c';
    let label: { x: number; y: number } | null = null;
    if ('edge' in f.target) {
      const e = cy.getElementById(f.target.edge);
      if (e.empty()) continue;
      const a = at(e.data('source') as string);
      const b = at(e.data('target') as string);
      if (!a || !b) continue;
      g.lineWidth = 6;
      g.beginPath();
      g.moveTo(a.x, a.y);
      g.lineTo(b.x, b.y);
      g.stroke();
      label = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 10 };
    } else {
      const p = at(f.target.machine);
      if (!p) continue;
      g.lineWidth = 3;
      g.beginPath();
      g.arc(p.x, p.y, 30 * s, 0, Math.PI * 2);
      g.stroke();
      label = { x: p.x, y: p.y - 36 * s };
    }
    const text = `✕ ${f.drop.machine}: ${DROP_REASONS[f.drop.reason] ?? f.drop.reason}`;
    const tw = g.measureText(text).width;
    g.fillStyle = '#fff1f2';
    g.fillRect(label.x - tw / 2 - 4, label.y - 12, tw + 8, 16);
    g.fillStyle = '#b91c1c';
    g.textAlign = 'center';
    g.fillText(text, label.x, label.y);
  }
  g.globalAlpha = 1;

  const box = canvas.getBoundingClientRect();
  const out: DrawnEnvelope[] = [];
  for (const { env, fraction } of list) {
    const a = at(env.from);
    const b = at(env.to);
    if (!a || !b) continue;
    const x = a.x + (b.x - a.x) * fraction;
    const y = a.y + (b.y - a.y) * fraction;
    const ew = 20 * s;
    const eh = 13 * s;
    g.fillStyle = env.lost ? '#dc2626' : COLOURS[protocolClass(env.protocol)] ?? COLOURS['proto-other']!;
    g.strokeStyle = 'rgba(15, 23, 42, 0.7)';
    g.lineWidth = 1;
    g.beginPath();
    g.rect(x - ew / 2, y - eh / 2, ew, eh);
    g.fill();
    g.stroke();
    // The flap: an envelope, as Packet Tracer draws its PDUs.
    g.strokeStyle = 'rgba(255, 255, 255, 0.85)';
    g.beginPath();
    g.moveTo(x - ew / 2 + 1, y - eh / 2 + 1);
    g.lineTo(x, y + 1);
    g.lineTo(x + ew / 2 - 1, y - eh / 2 + 1);
    g.stroke();
    out.push({ no: env.no, listNo: env.listNo, from: env.from, to: env.to, protocol: env.protocol, lost: env.lost !== null, x: box.left + x, y: box.top + y });
  }
  return out;
}
