// Acceptance for display filters: on the same capture, every supported field selects the same frame
// numbers as `tshark -Y`. Two corpora: a lab with every service (exported as pcapng at every capture
// point, then read back by our importer) and the real-kernel captures in ../shared/linux-truth.
// Skipped (with a printed reason) only where tshark is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameFields, matches, TcpConversations } from '../../shared/filter/eval';
import { parseFilter } from '../../shared/filter/parser';
import { mergedTruthCapture, servicesLabCaptures, truthCaptures } from '../test/captures';
import { readCapture } from './read';
import { tempDir } from '../test/tools';

const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);
if (!hasTshark) console.log(`filter-tshark.test.ts: skipped, ${TSHARK} not found (apt-get install -y tshark)`);

/** One filter per supported field (and protocol), plus combinations. */
const FILTERS = [
  'eth', 'arp', 'ip', 'icmp', 'tcp', 'udp', 'dns', 'ftp', 'ftp-data', 'telnet', 'smtp', 'http', 'ssh',
  'frame.len > 100', 'frame.len <= 60',
  'eth.addr == ff:ff:ff:ff:ff:ff', 'eth.src == 02:00:00:00:01:01', 'eth.dst == 02:00:00:00:01:01', 'eth.type == 0x0806',
  'arp.opcode == 2',
  'ip.addr == 10.0.0.10', 'ip.src == 10.0.0.0/24', 'ip.dst != 10.0.0.10', 'ip.proto == 17', 'ip.ttl == 64',
  'icmp.type == 3', 'icmp.code == 3',
  'tcp.port == 21', 'tcp.srcport == 25', 'tcp.dstport >= 1024', 'tcp.stream == 3', 'tcp.stream > 5',
  'tcp.seq == 1', 'tcp.ack == 1', 'tcp.seq > 100', 'tcp.seq_raw > 2000000000', 'tcp.ack_raw == 0', 'tcp.len > 0', 'tcp.len == 0',
  'tcp.window_size_value < 600',
  'tcp.flags.syn == 1', 'tcp.flags.ack == 0', 'tcp.flags.reset == 1', 'tcp.flags.fin == 1', 'tcp.flags.push == 1',
  'udp.port == 53', 'udp.srcport == 53', 'udp.dstport == 53', 'udp.length > 30',
  'tcp.flags.syn == 1 and not tcp.flags.ack == 1', '(udp or arp) && !dns', 'tcp.port == 21 || tcp.port == 20', 'ip.addr != 10.0.0.12 and tcp',
];

const dir = tempDir('filter-tshark-');

/** Frame numbers (1-based, file order) our filter selects in a capture file. */
function ours(file: string, filter: string): number[] {
  const p = parseFilter(filter);
  if (!p.ok) throw new Error(`${filter}: ${p.error.message}`);
  const cap = readCapture(readFileSync(file));
  const tcp = new TcpConversations();
  const out: number[] = [];
  cap.packets.forEach((pkt, i) => {
    const name = cap.interfaces[pkt.ifIndex]?.name ?? '';
    const [machine = '', nic = ''] = name.split(':');
    if (matches(p.expr, frameFields(pkt.bytes, { machine, nic, dir: 'rx' }, tcp))) out.push(i + 1);
  });
  return out;
}

function theirs(file: string, filter: string): number[] {
  const text = execFileSync(TSHARK, ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return text.split('\n').filter(Boolean).map(Number);
}

/**
 * Filters on application protocols, compared on one interface's capture only: in a file with every
 * capture point tshark takes a frame's copies at the other NICs for retransmissions and does not
 * hand them to the application dissectors (TCP analysis is per interface, README).
 */
const APP = /\b(ftp|ftp-data|telnet|smtp|http|ssh)\b/;

describe.skipIf(!hasTshark)('display filters select what tshark -Y selects', () => {
  const lab = join(dir, 'services.pcapng');
  const server = join(dir, 'server.pcapng');
  beforeAll(() => servicesLabCaptures(lab, server));

  it.each(FILTERS.filter((f) => !APP.test(f)))('lab capture, every NIC: %s', (filter) => {
    expect(ours(lab, filter)).toEqual(theirs(lab, filter));
  });

  it.each(FILTERS)('lab capture, server:eth0: %s', (filter) => {
    const got = ours(server, filter);
    expect(got).toEqual(theirs(server, filter));
  });

  it('the lab capture exercises the filters: each selects some frames and not all', () => {
    const total = readCapture(readFileSync(server)).packets.length;
    const empty = FILTERS.filter((f) => ours(server, f).length === 0 && ours(lab, f).length === 0);
    // SSH on the wire is services-tshark.test.ts's: here the lab has none (a run of this file in CI once
    // had no SSH traffic at all from an added ssh session; not reproduced, noted in the closing note).
    expect(empty).toEqual(['ssh']);
    expect(FILTERS.filter((f) => ours(server, f).length === total)).toEqual(['eth']);
  });

  // The real-kernel captures, one after another in one file (mergecap -a), so one tshark run per
  // filter covers them all; conversations of different files that share a 4-tuple test port reuse.
  const truth = join(dir, 'linux-truth.pcap');
  const truthFiles = truthCaptures();
  beforeAll(() => mergedTruthCapture(truth, truthFiles));

  it.skipIf(truthFiles.length === 0).each(FILTERS)('linux-truth captures: %s', (filter) => {
    expect(ours(truth, filter)).toEqual(theirs(truth, filter));
  });
});
