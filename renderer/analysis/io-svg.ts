// The I/O graph as a standalone SVG: frames (or bytes) per interval of every frame as a line, and
// of the display filter's frames as bars, over lab time, with labelled axes.
import type { IoGraph } from '../../shared/api';
import { esc } from './svg-text';

export type IoUnit = 'frames' | 'bytes';

/** "100 ms", "1 s": an interval as the graph and its picker name it. */
export function intervalName(ns: number): string {
  return ns >= 1e9 ? `${ns / 1e9} s` : `${ns / 1e6} ms`;
}

/** A round step for about `n` ticks up to max (1, 2 or 5 times a power of ten). */
export function niceStep(max: number, n = 5): number {
  if (max <= 0) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

export function ioSvg(g: IoGraph, unit: IoUnit, filterText = ''): { svg: string; width: number; height: number } {
  const W = 920;
  const H = 340;
  const left = 64;
  const right = 16;
  const top = 28;
  const bottom = 40;
  const all = g.all[unit];
  const sel = g.selected?.[unit];
  const n = Math.max(1, all.length);
  const max = Math.max(1, ...all, ...(sel ?? []));
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const x = (i: number) => left + (i / n) * pw;
  const y = (v: number) => top + ph - (v / yMax) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    out.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e2e8f0"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#475569">${Number(v.toPrecision(6))}</text>`);
  }
  const xStep = Math.max(1, Math.ceil(n / 10));
  for (let i = 0; i <= n; i += xStep) {
    const t = (g.startNs + i * g.intervalNs) / 1e9;
    out.push(`<line x1="${x(i)}" x2="${x(i)}" y1="${top + ph}" y2="${top + ph + 4}" stroke="#64748b"/>`);
    out.push(`<text x="${x(i)}" y="${top + ph + 16}" text-anchor="middle" fill="#475569">${Number(t.toFixed(3))}</text>`);
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + ph}" stroke="#64748b"/><line x1="${left}" x2="${W - right}" y1="${top + ph}" y2="${top + ph}" stroke="#64748b"/>`);
  out.push(`<text x="${left}" y="16" font-weight="700" fill="#1d3a6b">${unit === 'frames' ? 'Frames' : 'Bytes'} per ${intervalName(g.intervalNs)}</text>`);
  out.push(`<text x="${(left + W - right) / 2}" y="${H - 6}" text-anchor="middle" fill="#334155">Lab time (s)</text>`);
  if (sel) {
    const bw = Math.max(1, pw / n - 1);
    sel.forEach((v, i) => v > 0 && out.push(`<rect class="io-sel" x="${x(i)}" y="${y(v)}" width="${bw}" height="${top + ph - y(v)}" fill="#d62728" fill-opacity="0.55"/>`));
  }
  const pts = all.map((v, i) => `${(x(i) + x(i + 1)) / 2},${y(v)}`).join(' ');
  out.push(`<polyline class="io-all" points="${pts}" fill="none" stroke="#1f4e8c" stroke-width="1.5"/>`);
  out.push(`<line x1="${W - 260}" x2="${W - 240}" y1="12" y2="12" stroke="#1f4e8c" stroke-width="2"/><text x="${W - 236}" y="16" fill="#334155">All frames</text>`);
  if (sel) out.push(`<rect x="${W - 160}" y="7" width="14" height="10" fill="#d62728" fill-opacity="0.55"/><text x="${W - 142}" y="16" fill="#334155">${esc(filterText.length > 22 ? `${filterText.slice(0, 21)}…` : filterText)}</text>`);
  out.push('</svg>');
  return { svg: out.join(''), width: W, height: H };
}
