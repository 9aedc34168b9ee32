// Classic pcap reader: both byte orders, microsecond and nanosecond magics. Never throws.
import type { CaptureReadResult, CapturedPacket } from './read-types';
import { PCAP_HEADER_BYTES, PCAP_MAGIC_NS, PCAP_MAGIC_US, PCAP_RECORD_HEADER_BYTES } from './pcap';

/** Guard against a corrupt length swallowing the file: no real link layer exceeds this. */
const MAX_RECORD_BYTES = 0x4000000;

export function isPcap(bytes: Uint8Array): boolean {
  return magicOf(bytes) !== null;
}

function magicOf(bytes: Uint8Array): { little: boolean; nano: boolean } | null {
  if (bytes.length < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const little of [true, false]) {
    const m = v.getUint32(0, little);
    if (m === PCAP_MAGIC_NS) return { little, nano: true };
    if (m === PCAP_MAGIC_US) return { little, nano: false };
  }
  return null;
}

export function readPcap(bytes: Uint8Array): CaptureReadResult {
  const result: CaptureReadResult = { format: 'pcap', interfaces: [], packets: [], skippedBlocks: 0 };
  const magic = magicOf(bytes);
  if (!magic) return { ...result, format: 'unknown', damage: { offset: 0, reason: 'not a pcap file (bad magic)' } };
  if (bytes.length < PCAP_HEADER_BYTES) {
    result.damage = { offset: 0, reason: `file header truncated (${bytes.length} of ${PCAP_HEADER_BYTES} bytes)` };
    return result;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = magic.little;
  const unitsPerSecond = magic.nano ? 1e9 : 1e6;
  result.interfaces.push({ linkType: v.getUint32(20, le) & 0x0fffffff, snaplen: v.getUint32(16, le), unitsPerSecond });
  const scale = magic.nano ? 1 : 1000;
  let p = PCAP_HEADER_BYTES;
  while (p < bytes.length) {
    if (bytes.length - p < PCAP_RECORD_HEADER_BYTES) {
      result.damage = { offset: p, reason: 'record header truncated' };
      break;
    }
    const sec = v.getUint32(p, le);
    const frac = v.getUint32(p + 4, le);
    const incl = v.getUint32(p + 8, le);
    const orig = v.getUint32(p + 12, le);
    if (frac >= unitsPerSecond) {
      result.damage = { offset: p, reason: `record sub-second field ${frac} out of range` };
      break;
    }
    if (incl > MAX_RECORD_BYTES) {
      result.damage = { offset: p, reason: `record length ${incl} implausible` };
      break;
    }
    if (p + PCAP_RECORD_HEADER_BYTES + incl > bytes.length) {
      result.damage = { offset: p, reason: `record truncated (${incl} bytes announced, ${bytes.length - p - PCAP_RECORD_HEADER_BYTES} present)` };
      break;
    }
    const packet: CapturedPacket = {
      ifIndex: 0,
      timeNs: sec * 1e9 + frac * scale,
      exactNs: BigInt(sec) * 1_000_000_000n + BigInt(frac * scale),
      origLen: orig,
      bytes: bytes.subarray(p + PCAP_RECORD_HEADER_BYTES, p + PCAP_RECORD_HEADER_BYTES + incl),
    };
    result.packets.push(packet);
    p += PCAP_RECORD_HEADER_BYTES + incl;
  }
  return result;
}
