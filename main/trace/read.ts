// Read either capture format, chosen by its magic. Never throws.
import { isPcap, readPcap } from './pcap-read';
import { isPcapng, readPcapng } from './pcapng-read';
import type { CaptureReadResult } from './read-types';

export function readCapture(bytes: Uint8Array): CaptureReadResult {
  if (isPcapng(bytes)) return readPcapng(bytes);
  if (isPcap(bytes)) return readPcap(bytes);
  return {
    format: 'unknown',
    interfaces: [],
    packets: [],
    skippedBlocks: 0,
    damage: { offset: 0, reason: 'neither pcap nor pcapng (unknown magic)' },
  };
}
