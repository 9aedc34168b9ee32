// Bytes as base64 for the API's JSON (frames, exports, followed streams): a view, not a copy, of the bytes.
export function toBase64(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength)).toString('base64');
}
