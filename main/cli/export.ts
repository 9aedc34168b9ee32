// `packet-lab export trace.sqlite [--filter F] --pcapng out.pcapng ...`: the latest capture of a
// trace file, whole or as a display filter selects it, as capture files or the packet list as text.
// The trace is opened read-only: exporting never changes it. Exit 0, or 2 naming what was wrong.
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { FilterView, listCsv, listJson, listRows, TraceStore } from '../trace';
import type { ExportArgs } from './args';
import type { CliIo } from './main';

export function exportMain(args: ExportArgs, io: CliIo): number {
  if (!existsSync(args.db)) {
    io.err(`packet-lab: ${args.db}: no such file\n`);
    return 2;
  }
  let store: TraceStore;
  try {
    store = TraceStore.open(args.db, { readOnly: true });
  } catch (e) {
    io.err(`packet-lab: ${args.db} is not a Packet Lab trace: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    let only: readonly number[] | undefined;
    if (args.filter !== undefined && args.filter.trim() !== '') {
      const view = FilterView.create(args.filter);
      if (!(view instanceof FilterView)) {
        io.err(`packet-lab: --filter, at character ${view.at + 1}: ${view.message}\n  ${args.filter}\n  ${' '.repeat(view.at)}^\n`);
        return 2;
      }
      only = view.advanceTo(store).matches;
    }
    // Capture files stream to disk in pieces: a trace of millions of frames never sits in memory.
    const outputs: [string, string | undefined, (write: (data: Uint8Array | string) => void) => void][] = [
      ['--pcapng', args.pcapng, (write) => store.streamPcapng(only ? { only } : {}, write)],
      ['--pcap', args.pcap, (write) => store.streamPcap(only ? { only } : {}, write)],
      ['--csv', args.csv, (write) => write(listCsv(listRows(store, only)))],
      ['--json', args.json, (write) => write(listJson(listRows(store, only)))],
    ];
    // One snapshot for every output: a trace the app is still writing cannot change in between.
    const failed = store.snapshot(() => {
      for (const [option, path, data] of outputs) {
        if (path === undefined) continue;
        try {
          const fd = openSync(path, 'w');
          try {
            data((d) => {
              // writeSync may write less than asked: go on until every byte is out.
              const bytes = typeof d === 'string' ? Buffer.from(d) : d;
              for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
            });
          } finally {
            closeSync(fd);
          }
        } catch (e) {
          return `${option} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        }
      }
      return null;
    });
    if (failed) {
      io.err(`packet-lab: ${failed}\n`);
      return 2;
    }
    const total = store.countFrames();
    io.err(`packet-lab: ${only ? `${only.length} of ${total}` : total} frames written\n`);
    return 0;
  } finally {
    store.close();
  }
}
