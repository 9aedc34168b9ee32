// Labs for the TCP benchmarks, built directly as resolved labs (the engine has no port-count limit;
// the lab file format caps switches at 64 ports for people, not for benchmarks).
import type { ResolvedLab, ResolvedMachine } from '../shared/lab';
import type { TraceSink } from '../shared/trace';
import { World } from '../main/engine';
import { isErr, sys, type Accepted, type Program, type Sys } from '../main/engine/process';

export const ip = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** Host i of a star lab: 10.1.0.0/16 + (i + 1), unique for up to 65,534 hosts. */
export const starAddr = (i: number) => (ip(10, 1, 0, 0) + i + 1) >>> 0;

export function host(id: string, index: number, addr: number, prefix = 16): ResolvedMachine {
  return { id, kind: 'host', nics: [{ name: 'eth0', mac: 0x020000000000 + index * 256 + 1, ip: { addr, prefix } }] };
}

export function pointToPoint(rateBps: number, latencyNs: number): ResolvedLab {
  return {
    name: 'bulk',
    seed: 1,
    machines: [host('a', 1, ip(10, 0, 0, 1)), host('b', 2, ip(10, 0, 0, 2))],
    links: [{ a: { machine: 'a', nic: 'eth0' }, b: { machine: 'b', nic: 'eth0' }, latencyNs, bandwidthBps: rateBps, loss: 0, mtu: 1500, up: true }],
    script: [],
  };
}

/** n hosts on one learning switch (ns-3 star --topo=bridge: 100 Mbps CSMA-like links). */
export function star(n: number, rateBps = 100e6, latencyNs = 1000): ResolvedLab {
  const machines: ResolvedMachine[] = [];
  const links: ResolvedLab['links'] = [];
  for (let i = 0; i < n; i++) {
    machines.push(host(`h${i}`, i + 1, starAddr(i)));
    links.push({ a: { machine: `h${i}`, nic: 'eth0' }, b: { machine: 'sw', nic: `p${i + 1}` }, latencyNs, bandwidthBps: rateBps, loss: 0, mtu: 1500, up: true });
  }
  machines.push({ id: 'sw', kind: 'switch', nics: Array.from({ length: n }, (_, i) => ({ name: `p${i + 1}`, mac: 0x0200ff000000 + i })) });
  return { name: 'star', seed: 1, machines, links, script: [] };
}

// The programs' own buffers, one for every program in the process: a sink throws what it reads away
// and a sender sends zeros, so 1,000 hosts need not hold 1,000 copies (ns-3's PacketSink and
// BulkSendApplication hold none). The kernel still copies every byte into and out of its queues.

/** One buffer for every read of every connection, as a C sink does (read(fd, buf, sizeof buf)). */
const SINK_BUF = new Uint8Array(128 * 1024);
/** What every sender sends from: zeros. */
const SEND_CHUNK = new Uint8Array(64 * 1024);

/** Accept connections forever and read everything (a PacketSink). */
export const sinkServer = (port: number, onDone?: (bytes: number) => void): Program =>
  function* (): Sys<number> {
    const l = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.bind(l, 0, port);
    yield* sys.listen(l, 4096);
    for (;;) {
      const a = yield* sys.accept(l);
      if (isErr(a)) return 1;
      yield* sys.fork(function* () {
        let got = 0;
        for (;;) {
          const n = yield* sys.recvInto((a as Accepted).fd, SINK_BUF);
          if (isErr(n) || n === 0) break;
          got += n;
        }
        onDone?.(got);
        return 0;
      });
      yield* sys.close((a as Accepted).fd);
    }
  };

/**
 * The bulk lab, set up and not yet run: a 1 Gbps, 50 us point-to-point link, a sink on b port 9, and
 * a to 10.0.0.2:9 sending `bytes` bytes. received(): the bytes the sink read on a connection that ended.
 */
export function bulkLab(sink: TraceSink, bytes: number): { world: World; received(): number } {
  const world = new World(pointToPoint(1e9, 50_000), sink);
  let received = 0;
  world.machine('b')!.kernel.startProgram(['sink'], sinkServer(9, (n) => (received = n)));
  world.machine('a')!.kernel.startProgram(['bulk'], bulkSender(ip(10, 0, 0, 2), 9, bytes));
  return { world, received: () => received };
}

/** Send `bytes` bytes to addr:port, then close (a BulkSend). */
export const bulkSender = (addr: number, port: number, bytes: number, onConnected?: () => void): Program =>
  function* (): Sys<number> {
    const fd = (yield* sys.socket('stream', 'tcp')) as number;
    const r = yield* sys.connect(fd, addr, port);
    if (isErr(r)) return 1;
    onConnected?.();
    for (let left = bytes; left > 0; ) {
      const n = yield* sys.send(fd, SEND_CHUNK.subarray(0, Math.min(left, SEND_CHUNK.length)));
      if (isErr(n)) return 1;
      left -= n;
    }
    yield* sys.close(fd);
    return 0;
  };
