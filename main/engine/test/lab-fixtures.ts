// Hand-resolved labs for engine tests (the lab-file parser has its own tests in shared/lab).
import type { ResolvedLab, ResolvedMachine } from '../../../shared/lab/types';
import type { FrameEvent, KernelEvent, TraceSink } from '../../../shared/trace';
import { parseCidr, parseIpv4 } from '../../../shared/wire';

export function host(id: string, index: number, ip: string, gateway?: string): ResolvedMachine {
  return {
    id,
    kind: 'host',
    nics: [{ name: 'eth0', mac: 0x020000000001 + index * 256, ip: parseCidr(ip)! }],
    gateway: gateway ? parseIpv4(gateway)! : undefined,
  };
}

export function switchMachine(id: string, index: number, ports: number): ResolvedMachine {
  return { id, kind: 'switch', nics: Array.from({ length: ports }, (_, i) => ({ name: `p${i + 1}`, mac: 0x020000000001 + index * 256 + i })) };
}

export const link = (a: string, b: string, latencyNs = 1e6, bandwidthBps = 100e6) => {
  const [am, an] = a.split(':') as [string, string];
  const [bm, bn] = b.split(':') as [string, string];
  return { a: { machine: am, nic: an }, b: { machine: bm, nic: bn }, latencyNs, bandwidthBps, loss: 0, mtu: 1500, up: true };
};

export function twoHosts(script: ResolvedLab['script'] = [], seed = 7): ResolvedLab {
  return {
    name: 'two hosts',
    seed,
    machines: [host('client', 1, '10.0.0.1/24'), host('server', 2, '10.0.0.2/24')],
    links: [link('client:eth0', 'server:eth0')],
    script,
  };
}

export function switched(script: ResolvedLab['script'] = []): ResolvedLab {
  return {
    name: 'switched',
    seed: 1,
    machines: [host('a', 1, '10.0.0.1/24'), host('b', 2, '10.0.0.2/24'), host('c', 3, '10.0.0.3/24'), switchMachine('sw1', 4, 4)],
    links: [link('a:eth0', 'sw1:p1'), link('b:eth0', 'sw1:p2'), link('c:eth0', 'sw1:p3')],
    script,
  };
}

/** A sink that keeps everything in memory. */
export class MemorySink implements TraceSink {
  frames: FrameEvent[] = [];
  events: KernelEvent[] = [];
  frame(e: FrameEvent): void {
    this.frames.push(e);
  }
  kernel(e: KernelEvent): void {
    this.events.push(e);
  }
}
