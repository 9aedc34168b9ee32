// Command-line arguments of `packet-lab` (npm run lab -- ...). Errors name the offending argument.
import { parseDuration } from '../../shared/lab';

export interface RunArgs {
  command: 'run';
  lab: string;
  untilNs?: number;
  db?: string;
  pcapng?: string;
  pcap?: string;
}

export interface BridgeArgs {
  command: 'bridge';
  lab: string;
  /** "server:80=127.0.0.1:8080" each (main/service/bridge.ts). */
  specs: string[];
  db?: string;
  pcapng?: string;
}

export interface ExportArgs {
  command: 'export';
  /** A trace database written by `run --db` or the app (its latest capture is exported). */
  db: string;
  filter?: string;
  pcapng?: string;
  pcap?: string;
  csv?: string;
  json?: string;
}

export type CliArgs = RunArgs | BridgeArgs | ExportArgs | { command: 'help' };

export const USAGE = `Usage:
  packet-lab run <lab.json> [--until DURATION] [--db trace.sqlite] [--pcapng out.pcapng] [--pcap out.pcap]
  packet-lab bridge <lab.json> MACHINE:PORT=127.0.0.1:PORT... [--db trace.sqlite] [--pcapng out.pcapng]
  packet-lab export <trace.sqlite> [--filter FILTER] [--pcapng out.pcapng] [--pcap out.pcap] [--csv out.csv] [--json out.json]
  packet-lab help

run      Run a lab headless, as fast as possible, and print what every scripted command printed.
         Without --until it stops when every scripted command has finished (at most 600s of lab time).
--until  Stop at this lab time instead (e.g. 10s, 1500ms).
--db     Keep the trace in this SQLite file.
--pcapng Write every capture point (one interface per NIC, named machine:nic) as pcapng.
--pcap   Write each frame once as classic pcap (nanosecond timestamps).
bridge   Run a lab in real time and expose its services on this computer's loopback, e.g.
         server:80=127.0.0.1:8080 lets a real browser, curl or ssh reach server's port 80 through a
         gateway machine added to the lab (127.0.0.1 only). Stop with Ctrl-C; the trace and
         --pcapng are written then.
export   Write the latest capture of a trace file (from --db or the app) as capture files or as the
         packet list in CSV/JSON. --filter takes a display filter (Wireshark's syntax, e.g.
         'tcp.port == 21'): only the frames it selects are written, each once.
`;

export function parseArgs(argv: string[]): CliArgs | { error: string } {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'bridge') return parseBridgeArgs(rest);
  if (command === 'export') return parseExportArgs(rest);
  if (command !== 'run') return { error: `unknown command "${command}"` };
  const out: Partial<RunArgs> = { command: 'run' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--until' || a === '--db' || a === '--pcapng' || a === '--pcap') {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) return { error: `${a} needs a value` };
      if (a === '--until') {
        const ns = parseDuration(v);
        if (ns === null) return { error: `--until: "${v}" is not a duration (like "10s", "1500ms")` };
        out.untilNs = ns;
      } else out[a.slice(2) as 'db' | 'pcapng' | 'pcap'] = v;
    } else if (a.startsWith('-')) return { error: `unknown option "${a}"` };
    else if (out.lab === undefined) out.lab = a;
    else return { error: `unexpected argument "${a}" (one lab file at a time)` };
  }
  if (out.lab === undefined) return { error: 'run needs a lab file' };
  return out as RunArgs;
}

function parseBridgeArgs(rest: string[]): BridgeArgs | { error: string } {
  const out: BridgeArgs = { command: 'bridge', lab: '', specs: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--db' || a === '--pcapng') {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) return { error: `${a} needs a value` };
      out[a === '--db' ? 'db' : 'pcapng'] = v;
    } else if (a.startsWith('-')) return { error: `unknown option "${a}"` };
    else if (!out.lab) out.lab = a;
    else out.specs.push(a);
  }
  if (!out.lab) return { error: 'bridge needs a lab file' };
  if (out.specs.length === 0) return { error: 'bridge needs at least one MACHINE:PORT=127.0.0.1:PORT' };
  return out;
}

const EXPORT_OPTIONS = ['--filter', '--pcapng', '--pcap', '--csv', '--json'] as const;

function parseExportArgs(rest: string[]): ExportArgs | { error: string } {
  const out: Partial<ExportArgs> = { command: 'export' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if ((EXPORT_OPTIONS as readonly string[]).includes(a)) {
      const v = rest[++i];
      if (v === undefined || (a !== '--filter' && v.startsWith('--'))) return { error: `${a} needs a value` };
      out[a.slice(2) as 'filter' | 'pcapng' | 'pcap' | 'csv' | 'json'] = v;
    } else if (a.startsWith('-')) return { error: `unknown option "${a}"` };
    else if (out.db === undefined) out.db = a;
    else return { error: `unexpected argument "${a}" (one trace file at a time)` };
  }
  if (out.db === undefined) return { error: 'export needs a trace file (trace.sqlite)' };
  if (!out.pcapng && !out.pcap && !out.csv && !out.json) return { error: 'export needs at least one of --pcapng, --pcap, --csv, --json' };
  return out as ExportArgs;
}
