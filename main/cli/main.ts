// The headless runner: `packet-lab run lab.json` prints the transcript of every scripted command,
// optionally keeping the trace (SQLite) and writing pcapng/pcap. Exit 0 on success, 2 on bad input.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { formatLabError, parseLab } from '../../shared/lab';
import { nullSink } from '../../shared/trace';
import { formatSeconds, formatTranscript, reason, runHeadless } from '../service';
import { TraceStore } from '../trace';
import { parseArgs, USAGE } from './args';
import { exportMain } from './export';
import { OutputError, refuseTraceAsOutput, writeOutput } from './output';

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
  if (args.command === 'bridge') {
    io.err('packet-lab: bridge runs until stopped; start it from the command line (npm run lab -- bridge ...)\n');
    return 2;
  }
  if (args.command === 'export') return exportMain(args, io);
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
  const wantsTrace = args.db !== undefined || args.pcapng !== undefined || args.pcap !== undefined;
  const meta = { lab: parsed.lab.name, seed: parsed.lab.seed, startedWallMs: 0 };
  let store: TraceStore | null = null;
  // Streamed to disk as they are produced, like `export`.
  const outputs = [
    ['--pcapng', args.pcapng, (trace: TraceStore, write: (b: Uint8Array) => void) => trace.streamPcapng({}, write)],
    ['--pcap', args.pcap, (trace: TraceStore, write: (b: Uint8Array) => void) => trace.streamPcap({}, write)],
  ] as const;
  if (wantsTrace) {
    const refusal = refuseTraceAsOutput(args.db, outputs);
    if (refusal) {
      io.err(refusal);
      return 2;
    }
    // A db file that already holds a trace gets a new capture (the old ones are kept); a fresh one
    // uses the capture open() just created.
    const existing = args.db !== undefined && isNonEmptyFile(args.db);
    try {
      // Wall time is metadata only; 0 keeps exports byte-identical across runs.
      store = TraceStore.open(args.db ?? ':memory:', meta);
      if (existing) store.reset({ ...meta, keepPrevious: true });
    } catch (e) {
      store?.close();
      io.err(`packet-lab: ${args.db !== undefined ? `--db ${args.db}` : 'trace store'}: ${reason(e)}\n`);
      return 2;
    }
  }
  try {
    const result = runHeadless(parsed.lab, store ?? nullSink, args.untilNs);
    io.out(formatTranscript(result));
    if (store) {
      const trace = store;
      trace.flush();
      for (const [option, path, data] of outputs) {
        if (path === undefined) continue;
        try {
          writeOutput(`${option} ${path}`, path, (write) => data(trace, write));
        } catch (e) {
          io.err(`packet-lab: ${e instanceof OutputError ? e.message : `${option} ${path}: reading the trace: ${(e as Error).message}`}\n`);
          return 2;
        }
      }
      const frames = trace.countFrames();
      const points = trace.countFrames({ allCapturePoints: true });
      io.err(`packet-lab: ${frames} frames (${points} captures at all NICs) in ${formatSeconds(result.endedAtNs)} of lab time\n`);
    }
  } finally {
    store?.close();
  }
  return 0;
}

/** SQLite treats a missing or empty file as a new database. */
function isNonEmptyFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).size > 0;
  } catch {
    return false;
  }
}
