// Hex dump layout (offset, 16 bytes, ASCII) and byte-range highlighting math (pure; see hex.test.ts).

export const BYTES_PER_LINE = 16;

export interface HexLine {
  /** Byte offset of the line's first byte. */
  offset: number;
  /** "0000", "0010", ... (4 hex digits; more when the frame is larger than 64 KiB). */
  offsetText: string;
  /** The line's bytes as two-digit lower-case hex. */
  hex: string[];
  /** Printable ASCII per byte, "." otherwise. */
  ascii: string[];
}

export function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

export function hexLines(bytes: Uint8Array): HexLine[] {
  const width = Math.max(4, (Math.max(0, bytes.length - 1)).toString(16).length);
  const lines: HexLine[] = [];
  for (let off = 0; off < bytes.length; off += BYTES_PER_LINE) {
    const slice = bytes.subarray(off, off + BYTES_PER_LINE);
    lines.push({
      offset: off,
      offsetText: off.toString(16).padStart(width, '0'),
      hex: Array.from(slice, hexByte),
      ascii: Array.from(slice, asciiChar),
    });
  }
  return lines;
}

/** A whole dump as text (copy to clipboard), Wireshark-like spacing. */
export function hexDumpText(bytes: Uint8Array): string {
  return hexLines(bytes)
    .map((l) => {
      const left = l.hex.slice(0, 8).join(' ');
      const right = l.hex.slice(8).join(' ');
      const hex = `${left}${right ? '  ' + right : ''}`.padEnd(BYTES_PER_LINE * 3, ' ');
      return `${l.offsetText}  ${hex} ${l.ascii.join('')}`;
    })
    .join('\n');
}

export type ByteRange = [number, number];

/** Clamps [start, end) to the frame; null when empty or absent. */
export function clampRange(range: ByteRange | undefined | null, length: number): ByteRange | null {
  if (!range) return null;
  const start = Math.max(0, Math.min(length, Math.floor(range[0])));
  const end = Math.max(start, Math.min(length, Math.ceil(range[1])));
  return end > start ? [start, end] : null;
}

export function inRange(offset: number, range: ByteRange | null): boolean {
  return range !== null && offset >= range[0] && offset < range[1];
}

/** Which columns [from, to) of a line (at `lineOffset`) a range covers; null when none. */
export function lineSelection(lineOffset: number, lineLength: number, range: ByteRange | null): [number, number] | null {
  if (!range) return null;
  const from = Math.max(range[0], lineOffset) - lineOffset;
  const to = Math.min(range[1], lineOffset + lineLength) - lineOffset;
  return to > from ? [from, to] : null;
}

/** Index of the line holding `offset` (to scroll the selection into view). */
export function lineOf(offset: number): number {
  return Math.floor(offset / BYTES_PER_LINE);
}
