// lsof (4.99, Linux dialect): open files of processes, one line per (process, fd). The lab's
// processes have sockets and their terminal; the columns and their widths are lsof's print_file():
// every column as wide as its widest entry (COMMAND capped at 9 characters), FD = number + access
// mode ('u' read/write) + lock, DEVICE = the socket inode for IPv4 sockets, SIZE/OFF = 0t0,
// NODE = TCP/UDP, NAME = local->remote (STATE).
//
// Selections: -i [46][proto][@addr][:port[,port|-port]], -U (unix sockets), -p PIDs, -c COMMAND,
// -s TCP:STATE; ORed unless -a. -n/-P keep hosts/ports numeric (hosts always are: the lab has no
// reverse DNS); -t prints only PIDs. Unix sockets show the kernel address lsof prints when
// kptr_restrict hides it (0x0000000000000000).
import type { ProcessRow, SocketRow } from '../../../shared/api/kernel-view';
import { formatIpv4, parseIpv4 } from '../../../shared/wire';
import { type Sys } from '../process';
import { processRows } from './ps';
import { serviceName, servicePort } from './services';
import { socketRows } from './ss';
import { err, out } from './stdio';

const USAGE = `lsof 4.99.0
 usage: [-?abhKlnNoOPRtUvVX] [+|-c c] [+|-d s] [+D D] [+|-E] [+|-e s] [+|-f[gG]]
 [-F [f]] [-g [s]] [-i [i]] [-k k] [-K k] [+|-L [l]] [+m [m]] [+|-M] [-o [o]]
 [-p s] [+|-r [t]] [-s [p:s]] [-S [t]] [-T [t]] [-u s] [+|-w] [-x [fl]] [--] [names]
Use the \`\`-h'' option to get more help information.
`;

interface InetSpec {
  v6: boolean;
  proto: 'tcp' | 'udp' | null;
  addr: number | null;
  ports: [number, number][] | null;
}

function parseInet(spec: string): InetSpec | string {
  const m = /^([46])?([A-Za-z]+)?(?:@([^:]+))?(?::(.+))?$/.exec(spec);
  if (!m) return `unsupported Internet address spec: -i ${spec}`;
  const proto = m[2]?.toLowerCase() ?? null;
  if (proto !== null && proto !== 'tcp' && proto !== 'udp') return `unknown protocol name (${m[2]}) in: -i ${spec}`;
  let addr: number | null = null;
  if (m[3] !== undefined) {
    addr = parseIpv4(m[3].replace(/^\[|\]$/g, ''));
    if (addr === null) return `unknown host name (${m[3]}) in: -i ${spec}`;
  }
  let ports: [number, number][] | null = null;
  if (m[4] !== undefined) {
    ports = [];
    for (const part of m[4].split(',')) {
      const r = /^(\w[\w-]*?)(?:-(\d+))?$/.exec(part);
      const lo = r ? (/^\d+$/.test(r[1]!) ? Number(r[1]) : (servicePort(r[1]!, proto ?? 'tcp') ?? null)) : null;
      if (lo === null) return `unknown service ${part} in: -i ${spec}`;
      ports.push([lo, r![2] ? Number(r![2]) : lo]);
    }
  }
  return { v6: m[1] === '6', proto: proto as InetSpec['proto'], addr, ports };
}

interface File {
  proc: ProcessRow;
  fd: number;
  type: string;
  device: string;
  node: string;
  name: string;
  sock?: SocketRow;
}

export function* lsof(argv: string[]): Sys<number> {
  const inet: InetSpec[] = [];
  let anyInet = false;
  let unix = false;
  let and = false;
  let terse = false;
  let numericPorts = false;
  const pids: number[] = [];
  const cmds: string[] = [];
  const states: { proto: string; names: string[]; exclude: boolean }[] = [];
  const a = argv.slice(1);
  const fail = function* (msg: string): Sys<number> {
    yield* err(`lsof: ${msg}\n${USAGE}`);
    return 1;
  };
  for (let i = 0; i < a.length; i++) {
    const w = a[i]!;
    if (w === '--') break;
    if (!w.startsWith('-') || w === '-') return yield* fail(`status error on ${w}: No such file or directory`);
    const letter = w[1]!;
    const attached = w.slice(2);
    const next = () => (attached ? attached : a[i + 1] !== undefined && !a[i + 1]!.startsWith('-') ? a[++i]! : null);
    if (letter === 'i') {
      anyInet = true;
      const s = next() ?? '';
      if (s) {
        const p = parseInet(s);
        if (typeof p === 'string') return yield* fail(p);
        inet.push(p);
      }
    } else if (letter === 'p' || letter === 'c' || letter === 's') {
      const v = next();
      if (v === null) return yield* fail(`-${letter} not followed by a ${letter === 'p' ? 'PID' : letter === 'c' ? 'command' : 'protocol:state'} specification`);
      if (letter === 'p') {
        for (const x of v.split(',')) {
          if (!/^\^?\d+$/.test(x)) return yield* fail(`illegal process ID: ${x}`);
          if (!x.startsWith('^')) pids.push(Number(x));
        }
      } else if (letter === 'c') cmds.push(v);
      else {
        const m = /^(TCP|UDP):(\^)?(.+)$/i.exec(v);
        if (!m) return yield* fail(`no protocol name in state specification: ${v}`);
        states.push({ proto: m[1]!.toLowerCase(), names: m[3]!.toUpperCase().split(','), exclude: !!m[2] });
      }
    } else {
      for (const c of w.slice(1)) {
        if (c === 'n') continue;
        else if (c === 'P') numericPorts = true;
        else if (c === 'a') and = true;
        else if (c === 't') terse = true;
        else if (c === 'U') unix = true;
        else if (c === 'l' || c === 'w' || c === 'b' || c === 'V') continue;
        else if (c === 'h' || c === '?') {
          yield* err(USAGE);
          return 0;
        } else return yield* fail(`illegal option character: ${c}`);
      }
    }
  }

  const procs = yield* processRows();
  const socks = yield* socketRows();
  const byInode = new Map(socks.filter((s) => s.inode).map((s) => [s.inode, s]));
  const port = (p: number, proto: string) => (p === 0 ? '*' : numericPorts ? String(p) : (serviceName(p, proto) ?? String(p)));
  const host = (x: number) => (x === 0 ? '*' : formatIpv4(x));
  const files: File[] = [];
  for (const proc of procs) {
    for (const f of [...proc.fds].sort((x, y) => x.fd - y.fd)) {
      const sm = /^socket:\[(\d+)\]$/.exec(f.label);
      const base = { proc, fd: f.fd };
      if (sm) {
        const s = byInode.get(Number(sm[1]));
        if (!s) continue;
        if (s.proto === 'unix') {
          const st = s.state === 'LISTEN' ? 'LISTEN' : s.state === 'ESTABLISHED' ? 'CONNECTED' : 'UNCONNECTED';
          files.push({ ...base, type: 'unix', device: '0x0000000000000000', node: String(s.inode), name: `type=${s.state === 'UNCONN' ? 'DGRAM' : 'STREAM'} (${st})`, sock: s });
          continue;
        }
        if (s.proto !== 'tcp' && s.proto !== 'udp') continue;
        let name = `${host(s.localAddr)}:${port(s.localPort, s.proto)}`;
        if (s.peerAddr || s.peerPort) name += `->${host(s.peerAddr)}:${port(s.peerPort, s.proto)}`;
        if (s.proto === 'tcp') name += ` (${s.state})`;
        files.push({ ...base, type: 'IPv4', device: String(s.inode), node: s.proto.toUpperCase(), name, sock: s });
      } else if (/^\/dev\/pts\/\d+$/.test(f.label)) {
        const n = Number(f.label.slice(9));
        files.push({ ...base, type: 'CHR', device: `136,${n}`, node: String(n + 3), name: f.label });
      }
    }
  }

  const isInet = (f: File) => f.type === 'IPv4';
  const inetMatch = (f: File) => {
    if (!isInet(f)) return false;
    const s = f.sock!;
    if (inet.length && !inet.some((sp) => !sp.v6 && (sp.proto === null || sp.proto === s.proto) && (sp.addr === null || sp.addr === s.localAddr || sp.addr === s.peerAddr) && (sp.ports === null || sp.ports.some(([lo, hi]) => (s.localPort >= lo && s.localPort <= hi) || (s.peerPort >= lo && s.peerPort <= hi)))))
      return false;
    for (const st of states) if (st.proto === s.proto && st.names.includes(s.state) === st.exclude) return false;
    return true;
  };
  const tests: ((f: File) => boolean)[] = [];
  if (anyInet || states.length) tests.push(inetMatch);
  if (unix) tests.push((f) => f.type === 'unix');
  if (pids.length) tests.push((f) => pids.includes(f.proc.pid));
  if (cmds.length) tests.push((f) => cmds.some((c) => f.proc.name.startsWith(c)));
  const shown = files.filter((f) => (tests.length === 0 ? true : and ? tests.every((t) => t(f)) : tests.some((t) => t(f))));
  if (shown.length === 0) return 1;
  if (terse) {
    yield* out([...new Set(shown.map((f) => f.proc.pid))].map((p) => `${p}\n`).join(''));
    return 0;
  }
  const cmd = (f: File) => f.proc.name.slice(0, 9);
  const fdText = (f: File) => `${f.fd}u `;
  const w = (vals: string[], min: number) => Math.max(min, ...vals.map((v) => v.length));
  const C = w(shown.map(cmd), 7);
  const P = w(shown.map((f) => String(f.proc.pid)), 3);
  const U = w(['root'], 4);
  // FD: a number right-aligned in 4 (lsof: "strlen(\"TYPE\") == 4, try to match width"), then mode and lock.
  const F = w(shown.map(fdText), 6);
  const T = w(shown.map((f) => f.type), 4);
  const D = w(shown.map((f) => f.device), 6);
  const S = 8;
  const N = w(shown.map((f) => f.node), 4);
  let text = `${'COMMAND'.padEnd(C)} ${'PID'.padStart(P)} ${'USER'.padStart(U)} ${'FD'.padStart(F - 2)}   ${'TYPE'.padStart(T)} ${'DEVICE'.padStart(D)} ${'SIZE/OFF'.padStart(S)} ${'NODE'.padStart(N)} NAME\n`;
  for (const f of shown) {
    text += `${cmd(f).padEnd(C)} ${String(f.proc.pid).padStart(P)} ${'root'.padStart(U)} ${String(f.fd).padStart(F - 2)}u  ${f.type.padStart(T)} ${f.device.padStart(D)} ${'0t0'.padStart(S)} ${f.node.padStart(N)} ${f.name}\n`;
  }
  yield* out(text);
  return 0;
}
