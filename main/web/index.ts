// `npm run web`: the lab in a browser tab. Prints the URL (with its access token) and serves until
// interrupted. Options: --lab FILE (default examples/default.lab.json), --port N (default: free
// port), --db FILE (trace file; default: one in a temporary folder, removed on exit), --paused,
// --data DIR (app data: the autosaved working lab; default $XDG_STATE_HOME/packet-lab or
// ~/.local/state/packet-lab), --trace FILE (view a Packet Lab trace of any size, or a pcap/pcapng
// up to CAPTURE_FILE_MAX_BYTES, in the inspector at start: the page's Capture button uploads, which
// carry at most IMPORT_MAX_BYTES).
// The trace is a file either way so that its writer thread keeps SQLite off the service's thread.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyHeapPolicy, Autosave, LabService, readDefaultLab } from '../service';
import { projectRoot } from '../service/default-lab';
import { TraceStore } from '../trace';
import { startWebHost } from './server';
import { optionOf, portOf } from './args';

const option = (name: string): string | undefined => optionOf(process.argv, name);

async function run(): Promise<void> {
  applyHeapPolicy();
  // Every option is read and checked before anything is created.
  const labFile = option('--lab');
  const db = option('--db');
  const traceFile = option('--trace');
  const port = portOf(option('--port'));
  const dataDir = option('--data') ?? join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'packet-lab');
  const text = labFile ? readFileSync(labFile, 'utf8') : readDefaultLab();
  const tempDir = db === undefined ? mkdtempSync(join(tmpdir(), 'packet-lab-web-')) : null;
  let store: TraceStore | undefined;
  let autosave: Autosave | undefined;
  let service: LabService | undefined;
  const close = (how: 'end' | 'release') => {
    service?.dispose();
    store?.close();
    autosave?.[how]();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    store = TraceStore.open(db ?? join(tempDir!, 'trace.sqlite'));
    autosave = new Autosave(dataDir);
    if (autosave.off) process.stderr.write(`packet-lab web: autosave is off: ${autosave.off}\n`);
    service = new LabService(text, { store, autoTick: true, running: !process.argv.includes('--paused'), autosave });
    if (traceFile !== undefined) {
      const opened = service.openFile(resolve(traceFile));
      if (!opened.ok) throw new Error(`--trace ${traceFile}: ${opened.error}`);
      const r = opened.report;
      process.stdout.write(`Opened ${traceFile}: ${r.packets} frames ${r.format === 'trace' ? `of "${r.lab ?? 'a lab'}"` : `(${r.format})`}.\n`);
    }
    host = await startWebHost({ service, rendererDir: resolve(projectRoot(), 'out', 'renderer'), port });
  } catch (e) {
    // Never served: nothing of this start is left behind; a lab left by a crash stays to be offered at the next start.
    close('release');
    throw e;
  }
  process.stdout.write(`Packet Lab (browser mode) is serving on 127.0.0.1 only.\nOpen: ${host.url}\n`);
  const stop = () => {
    close('end');
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run().catch((e: Error) => {
  process.stderr.write(`packet-lab web: ${e.message}\n`);
  process.exit(2);
});
