// The headless runner: `packet-lab run lab.json` prints the transcript of every scripted command,
// optionally keeping the trace (SQLite) and writing pcapng/pcap. Exit 0 on success, 2 on bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { formatLabError, parseLab } from '../../shared/lab';
import { nullSink } from '../../shared/trace';
import { formatSeconds, formatTranscript, runHeadless } from '../service';
import { TraceStore } from '../trace';
import { parseArgs, USAGE } from './args';

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

export function main(argv: string[], io: CliIo): number {
  const args = parseArgs(argv);
  if ('error' in args) {
    io.err(`packet-lab: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === 'help') {
    io.out(USAGE);
    return 0;
  }
  let text: string;
  try {
    text = readFileSync(args.lab, 'utf8');
  } catch (e) {
    io.err(`packet-lab: cannot read ${args.lab}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const parsed = parseLab(text);
  if (!parsed.ok) {
    io.err(`packet-lab: ${args.lab} is not a valid lab file:\n`);
    for (const e of parsed.errors) io.err(`  ${formatLabError(e)}\n`);
    return 2;
  }
  const wantsTrace = args.db !== undefined || args.pcapng !== undefined || args.pcap !== undefined;
  // Wall time is metadata only; 0 keeps exports byte-identical across runs.
  const store = wantsTrace ? TraceStore.open(args.db ?? ':memory:', { lab: parsed.lab.name, seed: parsed.lab.seed, startedWallMs: 0 }) : null;
  if (store && args.db) store.reset({ lab: parsed.lab.name, seed: parsed.lab.seed, startedWallMs: 0, keepPrevious: true });
  try {
    const result = runHeadless(parsed.lab, store ?? nullSink, args.untilNs);
    io.out(formatTranscript(result));
    if (store) {
      store.flush();
      if (args.pcapng) writeFileSync(args.pcapng, store.exportPcapng());
      if (args.pcap) writeFileSync(args.pcap, store.exportPcap());
      const frames = store.countFrames();
      const points = store.countFrames({ allCapturePoints: true });
      io.err(`packet-lab: ${frames} frames (${points} captures at all NICs) in ${formatSeconds(result.endedAtNs)} of lab time\n`);
    }
  } finally {
    store?.close();
  }
  return 0;
}
