// `packet-lab export trace.sqlite [--filter F] --pcapng out.pcapng ...`: the latest capture of a
// trace file, whole or as a display filter selects it, as capture files or the packet list as text.
// The trace is opened read-only: exporting never changes it. Exit 0, or 2 naming what was wrong.
import { closeSync } from 'node:fs';
import { openRegularFile } from '../service/capture-file';
import { FilterView, listCsv, listJson, listRows, type TraceStore } from '../trace';
import { openTraceView } from '../trace/trace-import';
import type { ExportArgs } from './args';
import type { CliIo } from './main';
import { OutputError, refuseTraceAsOutput, writeOutput } from './output';

export function exportMain(args: ExportArgs, io: CliIo): number {
  // A folder or a FIFO named as the trace is refused here, not handed to SQLite (which would block on a FIFO).
  const file = openRegularFile(args.db);
  if (!file.ok) {
    io.err(`packet-lab: ${file.error}\n`);
    return 2;
  }
  closeSync(file.fd);
  const refusal = refuseTraceAsOutput(args.db, outputs(args), `the trace being exported (${args.db})`);
  if (refusal) {
    io.err(refusal);
    return 2;
  }
  // Opened as the app views a trace: read-only, an older trace from an upgraded copy, checked first.
  const opened = openTraceView(args.db);
  if (!opened.ok) {
    const what = { upgrade: 'could not make an upgraded copy of this older trace:', open: 'is not a Packet Lab trace:', check: 'is damaged:' }[opened.stage];
    io.err(`packet-lab: ${args.db} ${what} ${opened.error}\n`);
    return 2;
  }
  const { store } = opened.view;
  try {
    let view: FilterView | null = null;
    if (args.filter !== undefined && args.filter.trim() !== '') {
      const v = FilterView.create(args.filter);
      if (!(v instanceof FilterView)) {
        io.err(`packet-lab: --filter, at character ${v.at + 1}: ${v.message}\n  ${args.filter}\n  ${' '.repeat(v.at)}^\n`);
        return 2;
      }
      view = v;
    }
    let only: readonly number[] | undefined;
    try {
      // One snapshot for the filter and every output: a trace the app is still writing cannot change in between.
      store.snapshot(() => {
        only = view?.advanceTo(store).matches;
        for (const [option, path, data] of outputs(args)) if (path !== undefined) writeOutput(`${option} ${path}`, path, (write) => data(store, only, write));
      });
    } catch (e) {
      // An output that cannot be written names itself; anything else went wrong reading the trace.
      io.err(`packet-lab: ${e instanceof OutputError ? e.message : `reading ${args.db}: ${e instanceof Error ? e.message : String(e)}`}\n`);
      return 2;
    }
    const total = store.countFrames();
    io.err(`packet-lab: ${only ? `${only.length} of ${total}` : total} frames written\n`);
    return 0;
  } finally {
    opened.view.close();
  }
}

/**
 * Each output option, its path (undefined when not asked for) and how its bytes are made. Capture
 * files stream to disk in pieces: a trace of millions of frames never sits in memory.
 */
function outputs(args: ExportArgs): [string, string | undefined, (store: TraceStore, only: readonly number[] | undefined, write: (data: Uint8Array | string) => void) => void][] {
  return [
    ['--pcapng', args.pcapng, (store, only, write) => store.streamPcapng(only ? { only } : {}, write)],
    ['--pcap', args.pcap, (store, only, write) => store.streamPcap(only ? { only } : {}, write)],
    ['--csv', args.csv, (store, only, write) => write(listCsv(listRows(store, only)))],
    ['--json', args.json, (store, only, write) => write(listJson(listRows(store, only)))],
  ];
}
