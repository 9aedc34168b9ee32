// How Follow TCP Stream shows the bytes (Wireshark's ui/qt/follow_stream_dialog): ASCII with
// non-printable bytes as '.', or a hex dump per chunk whose offsets count each side's bytes, the
// server's indented. Consecutive chunks of one side are one block, as Wireshark colours them.
import { asciiChar, hexByte } from '../inspector/hex';

export type FollowMode = 'ascii' | 'hex';

export interface FollowBlock {
  fromServer: boolean;
  /** The frames whose payload it holds (the first is where a click goes). */
  nos: number[];
  text: string;
  /** Bytes in the block (the note of a gap counts as none). */
  bytes: number;
}

export interface ViewChunk {
  fromServer: boolean;
  no: number;
  data: Uint8Array;
  missing?: number;
}

export function asciiText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x0d && b[i + 1] === 0x0a) continue; // CRLF shows as one line end
    s += c === 0x0a || c === 0x09 || (c >= 0x20 && c < 0x7f) ? String.fromCharCode(c) : '.';
  }
  return s;
}

/** Wireshark's hex dump of a chunk as text, a line per 16 bytes: offset, the bytes in two groups of 8, their ASCII. */
export function followHexText(b: Uint8Array, startOffset: number, indent: string): string {
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const row = b.subarray(i, i + 16);
    const hex = Array.from(row, (c, j) => (j === 8 ? ' ' : '') + hexByte(c)).join(' ');
    const ascii = Array.from(row, asciiChar).join('');
    lines.push(`${indent}${(startOffset + i).toString(16).padStart(8, '0')}  ${hex.padEnd(48)}  ${ascii}`);
  }
  return lines.join('\n');
}

export function followBlocks(chunks: readonly ViewChunk[], mode: FollowMode): FollowBlock[] {
  const out: FollowBlock[] = [];
  const offset = [0, 0];
  for (const c of chunks) {
    const side = c.fromServer ? 1 : 0;
    let text: string;
    if (c.missing !== undefined) text = asciiText(c.data) + (mode === 'ascii' ? '' : '\n');
    else if (mode === 'ascii') text = asciiText(c.data);
    else text = `${followHexText(c.data, offset[side]!, c.fromServer ? '    ' : '')}\n`;
    const bytes = c.missing !== undefined ? 0 : c.data.length;
    offset[side]! += c.missing ?? c.data.length;
    const last = out.at(-1);
    if (last && last.fromServer === c.fromServer) {
      last.text += text;
      last.nos.push(c.no);
      last.bytes += bytes;
    } else out.push({ fromServer: c.fromServer, nos: [c.no], text, bytes });
  }
  return out;
}
