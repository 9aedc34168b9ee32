// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
// 16-bit big-endian words. Sums are accumulated without carries (a plain integer, folded at the end:
// RFC 1071 §2(1) "deferred carries"), so partial sums can be chained through `initial`.
// Chaining rule: every segment except the last must have even length, or words would misalign.

/**
 * One's complement partial sum of bytes[start, end), added to `initial` (0 <= start, end <= bytes.length). The result is an unfolded
 * non-negative integer (below 2^32 as long as the inputs are); fold it with foldSum. An odd final
 * byte is padded with a zero byte on the right (RFC 1071 §4.1).
 * The unfolded value is only defined modulo 0xffff (and is 0 only when every byte is): long runs are
 * summed as 32-bit words, which fold to the same 16-bit sum (RFC 1071 §2(C), parallel summation).
 */
export function onesSum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  // The loop is hot (every checksum of every frame): two 32-bit loads per 8 bytes. A short range
  // (an IPv4 header, 20 bytes) is summed by bytes: a DataView per call costs more than it saves.
  if (end - start >= 64) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (; i + 7 < end; i += 8) sum += v.getUint32(i) + v.getUint32(i + 4);
  }
  const last = end - 1;
  for (; i < last; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i === last) sum += bytes[i]! << 8;
  // Back within 32 bits, keeping the value modulo 0xffff, for callers that chain sums.
  while (sum > 0xffff_ffff) sum = (sum % 0x1_0000) + Math.floor(sum / 0x1_0000);
  return sum;
}

/** Fold carries back into 16 bits (end-around carry). */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x1_0000);
  return sum;
}

/**
 * The checksum to write: ~fold(initial + sum of bytes[start, end)) & 0xffff. Over a region that
 * already contains a correct checksum the result is 0 (how receivers verify, RFC 1071 §1).
 */
export function internetChecksum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  return ~foldSum(onesSum(bytes, start, end, initial)) & 0xffff;
}

/**
 * Unfolded sum of the IPv4 pseudo-header for UDP (RFC 768) and TCP (RFC 9293 §3.1):
 * source address, destination address, zero, protocol, and the UDP/TCP length (header + data).
 */
export function pseudoHeaderSum(src: number, dst: number, proto: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + length;
}

/**
 * The checksum a writer must put in a 16-bit field at `fieldOffset` inside bytes[start, end),
 * computed as if the field were zero (the current field content is skipped). `fieldOffset - start`
 * must be even.
 */
export function checksumExcludingField(bytes: Uint8Array, start: number, end: number, fieldOffset: number, initial = 0): number {
  const sum = onesSum(bytes, fieldOffset + 2, end, onesSum(bytes, start, fieldOffset, initial));
  return ~foldSum(sum) & 0xffff;
}

/**
 * True when a stored UDP/TCP checksum is what Linux leaves in the packet for checksum offload
 * (CHECKSUM_PARTIAL): the folded pseudo-header sum, not complemented, waiting for the NIC to add the
 * data (`__tcp_v4_send_check`: th->check = ~tcp_v4_check(len, saddr, daddr, 0)). Captures taken on the
 * sending side of a veth show this; Wireshark says "maybe caused by checksum offload".
 */
export function isOffloadPartialChecksum(stored: number, src: number, dst: number, proto: number, length: number): boolean {
  return stored === foldSum(pseudoHeaderSum(src, dst, proto, length));
}
