// Text forms for reports: a segment in tcpdump's style with relative numbers, a datagram, a table.
import type { ExpectedDatagram, ExpectedSegment } from './expect';
import type { Endpoint, OptionKind } from './types';

export function formatOptions(options: readonly OptionKind[], v: { mss?: number; wscale?: number; sackBlocks?: number }): string {
  return options
    .map((k) => (k === 'mss' && v.mss !== undefined ? `mss ${v.mss}` : k === 'wscale' && v.wscale !== undefined ? `wscale ${v.wscale}` : k === 'sack' && v.sackBlocks !== undefined ? `sack ${v.sackBlocks}` : k))
    .join(',');
}

/** "P. 1:20 ack 1 len 19 win 63 <nop,nop,TS>"; a 'first'-based seq shows its raw value too. */
export function formatSegment(s: ExpectedSegment): string {
  const parts: string[] = [s.flags];
  if (s.relSeq !== undefined) {
    let seq = s.len !== undefined && s.len > 0 ? `${s.relSeq}:${s.relSeq + s.len}` : `${s.relSeq}`;
    if (s.seqBase === 'first' && s.rawSeq !== undefined) seq += `(raw ${s.rawSeq})`;
    parts.push(seq);
  }
  if (s.relAck !== undefined && s.relAck !== null) parts.push(`ack ${s.relAck}`);
  if (s.len !== undefined) parts.push(`len ${s.len}`);
  if (s.win !== undefined) parts.push(`win ${s.win}`);
  if (s.options !== undefined) parts.push(s.options.length > 0 ? `<${formatOptions(s.options, s)}>` : '<none>');
  return parts.join(' ');
}

export function formatDatagram(d: ExpectedDatagram): string {
  const parts: string[] = [];
  if (d.kind === 'udp') {
    parts.push('UDP');
    if (d.serverPort !== undefined) parts.push(`port ${d.serverPort}`);
    if (d.len !== undefined) parts.push(`len ${d.len}`);
  } else {
    parts.push(`ICMP ${d.type ?? '?'}/${d.code ?? '?'}`);
    if (d.len !== undefined) parts.push(`len ${d.len}`);
    if (d.quote) {
      const q = d.quote;
      parts.push(`quotes proto ${q.proto ?? '?'} port ${q.serverPort ?? '?'} (${q.quotedBytes ?? '?'} of ${q.ipTotalLength ?? '?'} B)`);
    }
  }
  if (d.tos !== undefined) parts.push(`tos 0x${d.tos.toString(16)}`);
  if (d.df !== undefined) parts.push(d.df ? 'DF' : 'no-DF');
  return parts.join(' ');
}

export const formatTime = (t: number): string => `${t < 0 ? '-' : '+'}${Math.abs(t).toFixed(6)}`;

export const formatEndpoints = (c?: Endpoint, s?: Endpoint): string =>
  c && s ? `${c.ip}:${c.port} > ${s.ip}:${s.port}` : '(hand-written)';

/** Left-aligned columns; cells longer than `max` are cut with an ellipsis. */
export function table(rows: ReadonlyArray<readonly string[]>, max = 72): string[] {
  const cut = (s: string): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const cells = rows.map((r) => r.map(cut));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}
