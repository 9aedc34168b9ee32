// The flow graph as one standalone SVG (styles inline, so the exported file looks the same): a
// column per node, an arrow per frame from sender to receiver with its label above and the ports at
// its ends, the time on the left and the seq/ack comment on the right, like Wireshark's flow
// graph. The handshake and teardown stand out by colour: SYN green, FIN grey, RST red.
import type { FlowGraph, FlowItem } from '../../shared/api';
import { TcpFlag } from '../../shared/wire/tcp';
import { formatSeconds } from '../util/format';
import { esc } from './svg-text';

export const FLOW = { timeWidth: 96, colWidth: 190, commentWidth: 240, headHeight: 44, rowHeight: 38, pad: 12 } as const;

export function flowColour(it: FlowItem): string {
  const f = it.flags;
  if (f === undefined) return '#6d28d9';
  if (f & TcpFlag.RST) return '#c62828';
  if (f & TcpFlag.SYN) return '#2e7d32';
  if (f & TcpFlag.FIN) return '#616161';
  return '#1f4e8c';
}

export interface FlowSvg {
  svg: string;
  width: number;
  height: number;
}

export function flowSvg(g: FlowGraph, selectedNo: number | null = null): FlowSvg {
  const { timeWidth, colWidth, commentWidth, headHeight, rowHeight, pad } = FLOW;
  const x = (node: string) => timeWidth + colWidth * g.nodes.indexOf(node) + colWidth / 2;
  const width = timeWidth + colWidth * Math.max(1, g.nodes.length) + commentWidth;
  const height = headHeight + rowHeight * g.items.length + pad;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${pad}" y="26" font-weight="700" fill="#334155">Time (s)</text>`);
  g.nodes.forEach((n) => {
    out.push(`<text x="${x(n)}" y="26" text-anchor="middle" font-weight="700" fill="#1d3a6b">${esc(n)}</text>`);
    out.push(`<line x1="${x(n)}" y1="${headHeight - 8}" x2="${x(n)}" y2="${height - pad / 2}" stroke="#94a3b8" stroke-dasharray="4 3"/>`);
  });
  out.push(`<text x="${width - commentWidth + 8}" y="26" font-weight="700" fill="#334155">Comment</text>`);
  g.items.forEach((it, i) => {
    const top = headHeight + i * rowHeight;
    const y = top + rowHeight - 12;
    const x1 = x(it.src);
    const x2 = x(it.dst);
    const colour = flowColour(it);
    const dir = x2 >= x1 ? 1 : -1;
    const selected = it.no === selectedNo;
    out.push(`<g class="flow-row" data-no="${it.no}" cursor="pointer">`);
    out.push(`<title>${esc(`No. ${it.no}: ${it.protocol} ${it.label}`)}</title>`);
    out.push(`<rect x="0" y="${top}" width="${width}" height="${rowHeight}" fill="${selected ? '#dbeafe' : i % 2 ? '#f8fafc' : '#ffffff'}"/>`);
    out.push(`<text x="${pad}" y="${y + 4}" fill="#475569">${formatSeconds(it.timeNs)}</text>`);
    if (x1 === x2) {
      out.push(`<circle cx="${x1}" cy="${y}" r="4" fill="${colour}"/>`);
    } else {
      out.push(`<line x1="${x1}" y1="${y}" x2="${x2 - dir * 7}" y2="${y}" stroke="${colour}" stroke-width="1.6"/>`);
      out.push(`<path d="M${x2} ${y} L${x2 - dir * 9} ${y - 4.5} L${x2 - dir * 9} ${y + 4.5} Z" fill="${colour}"/>`);
    }
    out.push(`<text x="${(x1 + x2) / 2}" y="${y - 6}" text-anchor="middle" fill="${colour}" font-weight="600">${esc(it.label.length > 38 ? `${it.label.slice(0, 37)}…` : it.label)}</text>`);
    if (it.srcPort !== undefined && x1 !== x2) {
      out.push(`<text x="${x1 - dir * 6}" y="${y + 4}" text-anchor="${dir > 0 ? 'end' : 'start'}" fill="#64748b">${it.srcPort}</text>`);
      out.push(`<text x="${x2 + dir * 6}" y="${y + 4}" text-anchor="${dir > 0 ? 'start' : 'end'}" fill="#64748b">${it.dstPort}</text>`);
    }
    out.push(`<text x="${width - commentWidth + 8}" y="${y + 4}" fill="#334155">${esc(it.comment.length > 34 ? `${it.comment.slice(0, 33)}…` : it.comment)}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return { svg: out.join(''), width, height };
}
