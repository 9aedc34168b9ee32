// `packet-lab bridge lab.json server:80=127.0.0.1:8080 ...`: the lab in real time with its services
// reachable from this computer's loopback (main/service/bridge.ts). Runs until SIGINT/SIGTERM, then
// writes the trace; exit 2 for bad input (file, specs, ports in use).
import { readFileSync, writeFileSync } from 'node:fs';
import { formatLabError, parseLab } from '../../shared/lab';
import { formatIpv4 } from '../../shared/wire';
import { ScriptRunner, World } from '../engine';
import { addGateway, Bridge, NODE_PROGRAMS, parseBridgeSpec, reason, runRealtime, type BridgeSpec } from '../service';
import { TraceStore } from '../trace';
import type { BridgeArgs } from './args';
import type { CliIo } from './main';
import { refuseTraceAsOutput } from './output';

export async function bridgeMain(args: BridgeArgs, io: CliIo, stopSignal: Promise<void>): Promise<number> {
  const specs: BridgeSpec[] = [];
  for (const s of args.specs) {
    const p = parseBridgeSpec(s);
    if ('error' in p) {
      io.err(`packet-lab: ${p.error}\n`);
      return 2;
    }
    specs.push(p);
  }
  let text: string;
  try {
    text = readFileSync(args.lab, 'utf8');
  } catch (e) {
    io.err(`packet-lab: cannot read ${args.lab}: ${reason(e)}\n`);
    return 2;
  }
  const parsed = parseLab(text);
  if (!parsed.ok) {
    io.err(`packet-lab: ${args.lab} is not a valid lab file:\n`);
    for (const e of parsed.errors) io.err(`  ${formatLabError(e)}\n`);
    return 2;
  }
  const plan = addGateway(parsed.lab, specs);
  if ('error' in plan) {
    io.err(`packet-lab: ${plan.error}\n`);
    return 2;
  }
  const refusal = refuseTraceAsOutput(args.db, [['--pcapng', args.pcapng]]);
  if (refusal) {
    io.err(refusal);
    return 2;
  }
  const store = args.db !== undefined || args.pcapng !== undefined ? TraceStore.open(args.db ?? ':memory:', { lab: parsed.lab.name, seed: parsed.lab.seed }) : null;
  const world = new World(plan.lab, store ?? { frame() {}, kernel() {} }, NODE_PROGRAMS);
  new ScriptRunner(world, plan.lab.script);
  const clock = runRealtime(world);
  const bridges: Bridge[] = [];
  try {
    for (const s of specs) {
      const b = await Bridge.start(world, plan, s, (text) => io.out(`bridge: ${text}\n`));
      bridges.push(b);
      io.out(`bridge: 127.0.0.1:${b.port} -> ${s.target}:${s.targetPort} (${formatIpv4(plan.targets.get(s.target)!)}) through gateway ${plan.gateway} (${formatIpv4(plan.gatewayAddr)})\n`);
    }
    io.out('The lab runs in real time. Ctrl-C stops it.\n');
    await stopSignal;
    return 0;
  } catch (e) {
    io.err(`packet-lab: bridge: ${(e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'a local port is already in use' : (e as Error).message}\n`);
    return 2;
  } finally {
    clock.stop();
    for (const b of bridges) await b.close();
    if (store) {
      store.flush();
      if (args.pcapng) writeFileSync(args.pcapng, store.exportPcapng());
      store.close();
    }
  }
}
