// Building blocks of the details tree, shared by dissect.ts and the application-layer dissectors.

import type { DissectNode } from './dissect-types';
import { hexBytes } from './names';

/** Longest data hex shown in a "Data:" line before it is cut with an ellipsis. */
export const DATA_HEX_MAX = 64;

export function node(label: string, start: number, end: number, children?: DissectNode[]): DissectNode {
  return children ? { label, range: [start, end], children } : { label, range: [start, end] };
}

export function malformed(error: string, at: number, end: number): DissectNode {
  return node(`[Malformed: ${error} at byte ${at}]`, at, Math.max(at, end));
}

/** Hex of bytes[start, end), cut with an ellipsis after DATA_HEX_MAX bytes. */
export function shortHex(bytes: Uint8Array, start: number, end: number): string {
  const shown = Math.min(end - start, DATA_HEX_MAX);
  return `${hexBytes(bytes, start, start + shown)}${shown < end - start ? '…' : ''}`;
}

export function dataNode(bytes: Uint8Array, start: number, end: number): DissectNode {
  const n = end - start;
  return node(`Data (${n} byte${n === 1 ? '' : 's'})`, start, end, [node(`Data: ${shortHex(bytes, start, end)}`, start, end), node(`[Length: ${n}]`, start, end)]);
}
