// Captures the tshark comparisons share: the services example run headless (with a refused UDP
// datagram, an ICMP error quoting it, and a refused TCP connection added) exported at every capture
// point and at the server's NIC alone, the real-kernel captures in ../shared/linux-truth, and a
// made-up pcap of echo requests of any length.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLab } from '../../shared/lab';
import { projectRoot } from '../service/default-lab';
import { runHeadless } from '../service/headless';
import { TraceStore } from '../trace/store';
import { PCAP_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES, PcapWriter } from '../trace/pcap';
import { IcmpType } from '../../shared/wire';
import { H1, H2, pingFrame } from '../trace/test-lab';

export const TRUTH = join(projectRoot(), '..', 'shared', 'linux-truth');

/** Every pcap/pcapng under linux-truth, sorted ([] when the folder is not there). */
export function truthCaptures(): string[] {
  if (!existsSync(TRUTH)) return [];
  return readdirSync(TRUTH)
    .filter((d) => statSync(join(TRUTH, d)).isDirectory())
    .flatMap((d) => readdirSync(join(TRUTH, d)).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(TRUTH, d, f)))
    .sort();
}

/** The linux-truth captures one after another in one pcap (mergecap -a), so one tshark run covers them all. */
export function mergedTruthCapture(out: string, files: string[]): void {
  if (files.length > 0) execFileSync('/usr/bin/mergecap', ['-a', '-F', 'pcap', '-w', out, ...files], { stdio: 'ignore' });
}

/** Write the services lab's pcapng of every capture point to `all`, and server:eth0's alone to `server` (needs tshark). */
export function servicesLabCaptures(all: string, server: string): void {
  const doc = JSON.parse(readFileSync(join(projectRoot(), 'examples', 'services.lab.json'), 'utf8'));
  // A datagram to a closed port (an ICMP error quoting UDP) and a refused connection (RST).
  doc.script.push({ at: '9s', on: 'alice', run: `sock 'socket udp; connect 10.0.0.10:9; send x'` });
  doc.script.push({ at: '9.5s', on: 'alice', run: 'nc 10.0.0.10 4444' });
  const r = parseLab(JSON.stringify(doc));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  const store = TraceStore.open(':memory:', { lab: 'services', seed: 1, startedWallMs: 0 });
  runHeadless(r.lab, store);
  writeFileSync(all, store.exportPcapng());
  store.close();
  execFileSync('tshark', ['-r', all, '-Y', 'frame.interface_name == "server:eth0"', '-w', server], { stdio: 'ignore' });
}

/** A classic pcap of `count` 1,500-byte echo requests from 10.0.0.1 to 10.0.0.2, 1 ms apart. */
export function pingPcap(count: number): Uint8Array {
  const frameLen = 1500;
  const out = new PcapWriter({ capacity: PCAP_HEADER_BYTES + count * (PCAP_RECORD_HEADER_BYTES + frameLen) });
  for (let i = 0; i < count; i++) out.addPacket(i * 1e6, pingFrame(IcmpType.ECHO_REQUEST, H1, H2, i & 0xffff, frameLen - 42));
  return out.toBytes();
}
