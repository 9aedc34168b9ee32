import { describe, expect, it } from 'vitest';
import { importSummary } from './import-summary';

describe('import summary', () => {
  it('says how many packets, from when, what was left out and where the damage starts', () => {
    expect(importSummary('a.pcap', { format: 'pcap', packets: 21, skipped: 0, startNs: 1_700_000_000_123_456_789 })).toBe(
      'Imported 21 packets from a.pcap (pcap); time 0 is its first packet, captured 2023-11-14 22:13:20 UTC. A foreign capture has no kernel side: delivery notes are empty.',
    );
    const damaged = importSummary('b.pcapng', { format: 'pcapng', packets: 1, skipped: 2, startNs: 0, damage: { offset: 1234, reason: 'record truncated' } });
    expect(damaged).toContain('Imported 1 packet from b.pcapng');
    expect(damaged).toContain('2 packets were left out');
    expect(damaged).toContain('damaged from byte 1234 (record truncated)');
  });

  it('says a trace file came with its kernel records', () => {
    expect(importSummary('t.sqlite', { format: 'trace', packets: 3, skipped: 0, startNs: 0, lab: 'two hosts' })).toMatch(/^Opened the trace of the lab "two hosts" from t\.sqlite: 3 frames, with the kernel's records/);
  });
});
