// Whole-stack TCP tests: two hosts on one cable (10.0.0.1 client, 10.0.0.2 server, like the
// linux-truth captures), programs written inline against the syscalls, a trace kept in memory.
import { formatIpv4, parseIpv4, parseIpv4Header, parseTcp, parseTcpOptions, tcpFlagNames } from '../../../../../shared/wire';
import type { Program, Sys } from '../../../process';
import { MemorySink, twoHosts } from '../../../test/lab-fixtures';
import { World } from '../../../world';

export const CLIENT = parseIpv4('10.0.0.1')!;
export const SERVER = parseIpv4('10.0.0.2')!;
export const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const text = (b: Uint8Array) => String.fromCharCode(...b);

export interface Seg {
  t: number;
  from: string;
  sport: number;
  dport: number;
  flags: string;
  seq: number;
  ack: number;
  win: number;
  len: number;
  opts: string[];
}

export function lab(latencyNs = 10_000) {
  const sink = new MemorySink();
  const l = twoHosts();
  l.links[0]!.latencyNs = latencyNs;
  l.links[0]!.bandwidthBps = 1e9;
  const world = new World(l, sink);
  const run = (machine: string, prog: () => Sys<number>, name = 'test') => world.machine(machine)!.kernel.startProgram([name], prog as Program);
  /** TCP segments as the sender put them on the wire (first capture of each frame). */
  const segments = (): Seg[] =>
    sink.frames
      .filter((f) => f.first && f.bytes[23] === 6)
      .map((f) => {
        const ip = parseIpv4Header(f.bytes, 14);
        if (!ip.ok) throw new Error('bad ip');
        const t = parseTcp(f.bytes, ip.value.payloadOffset, ip.value.payloadOffset + ip.value.payloadLength);
        if (!t.ok) throw new Error('bad tcp');
        const o = parseTcpOptions(f.bytes, t.value.optionsOffset, t.value.payloadOffset);
        const flags = tcpFlagNames(t.value.flags);
        return {
          t: f.at,
          from: formatIpv4(ip.value.src),
          sport: t.value.srcPort,
          dport: t.value.dstPort,
          flags: tcpdumpFlags(t.value.flags),
          seq: t.value.seq,
          ack: t.value.ack,
          win: t.value.window,
          len: t.value.payloadLength,
          opts: o.ok ? o.value.map((x) => x.kind) : [`bad: ${flags}`],
        };
      });
  return { sink, world, run, segments };
}

/** tcpdump's notation: S, S., ., P., F., R, R. */
export function tcpdumpFlags(f: number): string {
  let s = '';
  if (f & 0x02) s += 'S';
  if (f & 0x01) s += 'F';
  if (f & 0x08) s += 'P';
  if (f & 0x04) s += 'R';
  if (f & 0x10) s += '.';
  return s;
}
