// The bridge: a simulated service reachable from real programs on this computer. A real TCP
// listener on 127.0.0.1 (never another address) accepts a connection; a "gateway" machine added to
// the lab opens a simulated TCP connection to the target service and relays bytes both ways, so
// real curl, OpenSSH or Python's smtplib talk to the lab's server through the simulated network and
// every frame is traced. The lab runs in real time while bridged (a real client has timeouts).
//   npm run lab -- bridge lab.json server:80=127.0.0.1:8080 [more specs]
import { createServer, type Server, type Socket } from 'node:net';
import type { LabDoc, LinkDoc, MachineDoc, ResolvedLab, ResolvedMachine } from '../../shared/lab';
import { formatIpv4 } from '../../shared/wire';
import { programKit, type World } from '../engine';

const { sys, isErr, POLLIN, POLLOUT, WaitQueue, writeAll } = programKit;
type Sys<T> = programKit.Sys<T>;

export interface BridgeSpec {
  target: string;
  targetPort: number;
  listenPort: number;
}

/** "server:80=127.0.0.1:8080" (or "=8080"); only loopback addresses are accepted. */
export function parseBridgeSpec(text: string): BridgeSpec | { error: string } {
  const m = /^([A-Za-z][A-Za-z0-9_-]*):(\d+)=(?:(127\.0\.0\.1|localhost):)?(\d+)$/.exec(text);
  if (!m) {
    if (/=(?!127\.0\.0\.1:|localhost:)[^:]+:\d+$/.test(text)) return { error: `${text}: the bridge listens on 127.0.0.1 only` };
    return { error: `${text}: expected MACHINE:PORT=127.0.0.1:PORT, like server:80=127.0.0.1:8080` };
  }
  const targetPort = Number(m[2]);
  const listenPort = Number(m[4]);
  for (const [what, p] of [['service port', targetPort], ['local port', listenPort]] as const) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) return { error: `${text}: ${what} ${p} is not 1..65535` };
  }
  return { target: m[1]!, targetPort, listenPort };
}

export interface GatewayPlan {
  lab: ResolvedLab;
  gateway: string;
  gatewayAddr: number;
  /** Target machine -> its address the gateway connects to. */
  targets: Map<string, number>;
}

/**
 * The lab with a gateway machine on the targets' segment: a host with one NIC on a free port of
 * the switch (or hub) the target is cabled to, with the highest free address of that subnet.
 */
export function addGateway(lab: ResolvedLab, specs: BridgeSpec[]): GatewayPlan | { error: string } {
  const byId = new Map(lab.machines.map((m) => [m.id, m]));
  const targets = new Map<string, number>();
  let segment: { sw: ResolvedMachine; port: string; subnet: { addr: number; prefix: number } } | null = null;
  for (const s of specs) {
    const m = byId.get(s.target);
    if (!m) return { error: `bridge: no machine "${s.target}" in the lab` };
    const nic = m.nics.find((n) => n.ip);
    if (!nic?.ip) return { error: `bridge: ${s.target} has no IPv4 address` };
    const link = lab.links.find((l) => (l.a.machine === m.id && l.a.nic === nic.name) || (l.b.machine === m.id && l.b.nic === nic.name));
    const other = link && (link.a.machine === m.id ? link.b : link.a);
    const sw = other && byId.get(other.machine);
    if (!sw || (sw.kind !== 'switch' && sw.kind !== 'hub')) return { error: `bridge: ${s.target}:${nic.name} is not cabled to a switch or hub; the gateway joins through one` };
    const used = new Set(lab.links.flatMap((l) => [l.a, l.b]).filter((e) => e.machine === sw.id).map((e) => e.nic));
    const free = sw.nics.find((n) => !used.has(n.name));
    if (!free) return { error: `bridge: ${sw.id} has no free port for the gateway` };
    if (segment && segment.sw.id !== sw.id) return { error: 'bridge: all bridged services must be on one segment' };
    segment ??= { sw, port: free.name, subnet: nic.ip };
    targets.set(s.target, nic.ip.addr);
  }
  if (!segment) return { error: 'bridge: nothing to bridge' };
  const { addr, prefix } = segment.subnet;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (addr & mask) >>> 0;
  const taken = new Set(lab.machines.flatMap((m) => m.nics.flatMap((n) => (n.ip ? [n.ip.addr] : []))));
  let gatewayAddr = 0;
  for (let a = ((net | ~mask) >>> 0) - 1; a > net; a--) {
    if (!taken.has(a >>> 0)) {
      gatewayAddr = a >>> 0;
      break;
    }
  }
  if (!gatewayAddr) return { error: 'bridge: no free address on the segment for the gateway' };
  let gateway = 'bridge';
  for (let i = 2; byId.has(gateway); i++) gateway = `bridge${i}`;
  const macs = new Set(lab.machines.flatMap((m) => m.nics.map((n) => n.mac)));
  let mac = 0x02_42_62_72_00_01;
  while (macs.has(mac)) mac++;
  const machine: ResolvedMachine = { id: gateway, kind: 'host', nics: [{ name: 'eth0', mac, ip: { addr: gatewayAddr, prefix } }] };
  const link = { a: { machine: gateway, nic: 'eth0' }, b: { machine: segment.sw.id, nic: segment.port }, latencyNs: 100_000, bandwidthBps: 1e9, loss: 0, mtu: 1500, up: true };
  return { lab: { ...lab, machines: [...lab.machines, machine], links: [...lab.links, link] }, gateway, gatewayAddr, targets };
}

/** One real connection's end inside the gateway: a pipe the relay process reads and writes. */
/** Bytes a real client may have waiting for the simulation before its socket is paused. */
const HIGH_WATER = 1 << 20;

class RealSocketPipe implements programKit.FileObject {
  readonly kind = 'file';
  readonly waitq = new WaitQueue();
  private chunks: Uint8Array[] = [];
  private queued = 0;
  private ended = false;

  constructor(
    readonly label: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (d: Buffer) => {
      this.chunks.push(new Uint8Array(d));
      this.queued += d.length;
      // Backpressure: a real client faster than the simulated network waits in its own kernel.
      if (this.queued > HIGH_WATER) socket.pause();
      this.waitq.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.waitq.wake();
    });
    socket.on('error', () => {
      this.ended = true;
      this.waitq.wake();
    });
  }

  read(max: number): Uint8Array | programKit.Again {
    const c = this.chunks[0];
    if (!c) return this.ended ? new Uint8Array(0) : programKit.AGAIN;
    const out = c.length <= max ? c : c.subarray(0, max);
    if (c.length <= max) this.chunks.shift();
    else this.chunks[0] = c.subarray(max);
    this.queued -= out.length;
    if (this.queued <= HIGH_WATER / 2 && this.socket.isPaused()) this.socket.resume();
    return out;
  }

  write(data: Uint8Array | string): number {
    if (!this.socket.destroyed) this.socket.write(typeof data === 'string' ? data : Buffer.from(data));
    return data.length;
  }

  poll(): number {
    return (this.chunks.length || this.ended ? POLLIN : 0) | POLLOUT;
  }

  release(): void {
    this.socket.end();
  }
}

/** The gateway's relay: fd 0/1 is the real connection, the simulated socket goes to the target. */
function relay(addr: number, port: number, log: (text: string) => void) {
  return function* (): Sys<number> {
    const fd = yield* sys.socket('stream', 'tcp');
    if (isErr(fd)) return 1;
    const c = yield* sys.connect(fd, addr, port);
    if (isErr(c)) {
      log(`${formatIpv4(addr)}:${port}: ${c.message}; closing the real connection`);
      yield* sys.close(fd);
      return 1;
    }
    let realOpen = true;
    for (;;) {
      const ready = yield* sys.poll(realOpen ? [{ fd: 0, events: POLLIN }, { fd, events: POLLIN }] : [{ fd, events: POLLIN }], null);
      if (isErr(ready)) continue;
      for (const r of ready) {
        if (r.fd === 0) {
          const d = yield* sys.read(0, 65536);
          if (isErr(d) || d.length === 0) {
            realOpen = false;
            yield* sys.shutdown(fd, 'wr');
          } else yield* writeAll(fd, typeof d === 'string' ? new TextEncoder().encode(d) : d);
        } else {
          const d = yield* sys.recv(fd, 65536);
          if (isErr(d) || d.length === 0) {
            yield* sys.close(fd);
            return 0;
          }
          yield* sys.write(1, d);
        }
      }
    }
  };
}

export class Bridge {
  private constructor(
    private readonly server: Server,
    readonly spec: BridgeSpec,
    /** The port actually listened on (spec.listenPort, or the kernel's choice for 0). */
    readonly port: number,
  ) {}

  /** Listen on 127.0.0.1 and relay each connection through `gateway` to the target. */
  static start(world: World, plan: GatewayPlan, spec: BridgeSpec, log: (text: string) => void = () => {}): Promise<Bridge> {
    const machine = world.machine(plan.gateway);
    const addr = plan.targets.get(spec.target);
    if (!machine || addr === undefined) return Promise.reject(new Error(`bridge: ${spec.target} is not bridged in this plan`));
    let n = 0;
    const server = createServer((socket) => {
      const pipe = new RealSocketPipe(`bridge:[${socket.remoteAddress}:${socket.remotePort}]`, socket);
      const of = machine.kernel.open(pipe);
      log(`connection ${++n} from ${socket.remoteAddress}:${socket.remotePort} -> ${spec.target}:${spec.targetPort}`);
      machine.kernel.startProgram(['bridge-relay', `${formatIpv4(addr)}:${spec.targetPort}`], relay(addr, spec.targetPort, log), undefined, [of, of, of]);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(spec.listenPort, '127.0.0.1', () => {
        server.off('error', reject);
        const a = server.address();
        resolve(new Bridge(server, spec, typeof a === 'object' && a ? a.port : spec.listenPort));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Run the world against the wall clock (1 virtual ns per real ns) until stopped. */
export function runRealtime(world: World, tickMs = 5): { stop(): void } {
  const t0 = performance.now() * 1e6 - world.now;
  const timer = setInterval(() => world.sched.runUntil(Math.max(world.now, Math.round(performance.now() * 1e6 - t0))), tickMs);
  return { stop: () => clearInterval(timer) };
}

/** The gateway as the lab document shows it (on the canvas, next to its switch); not saved. */
export function gatewayDoc(plan: GatewayPlan, doc: LabDoc): MachineDoc[] {
  const m = plan.lab.machines.find((x) => x.id === plan.gateway)!;
  const link = plan.lab.links.at(-1)!;
  const sw = doc.machines.find((x) => x.id === link.b.machine)?.position ?? { x: 0, y: 0 };
  const ip = m.nics[0]!.ip!;
  return [{ id: plan.gateway, kind: 'host', nics: [{ name: 'eth0', ip: `${formatIpv4(ip.addr)}/${ip.prefix}` }], position: { x: sw.x + 160, y: sw.y } }];
}

export function gatewayLinkDoc(plan: GatewayPlan): LinkDoc {
  const l = plan.lab.links.at(-1)!;
  return { a: `${l.a.machine}:${l.a.nic}`, b: `${l.b.machine}:${l.b.nic}` };
}
