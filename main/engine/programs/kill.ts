// kill, as bash's builtin does it (the kill people type): kill [-s SIG | -n NUM | -SIG] pid...,
// kill -l [SIG]. Signal names in any case, with or without SIG. Messages are bash's:
// "kill: (123) - No such process", "kill: FOO: invalid signal specification".
// The lab kernel delivers SIGHUP, SIGINT, SIGKILL and SIGTERM; the other Linux signals are known by
// name (kill -l lists them all) but refused with a message saying so. Signal 0 only checks that
// the process exists, as kill(2) does.
import { isErr, sys, type Signal, type Sys } from '../process';
import { processRows } from './ps';
import { err, out } from './stdio';

/** Linux x86-64 signal numbers and names (the order of `kill -l`). */
const NAMES: Record<number, string> = {
  1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 5: 'TRAP', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL', 10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE',
  14: 'ALRM', 15: 'TERM', 16: 'STKFLT', 17: 'CHLD', 18: 'CONT', 19: 'STOP', 20: 'TSTP', 21: 'TTIN', 22: 'TTOU', 23: 'URG', 24: 'XCPU', 25: 'XFSZ',
  26: 'VTALRM', 27: 'PROF', 28: 'WINCH', 29: 'IO', 30: 'PWR', 31: 'SYS',
};
for (let n = 34; n <= 64; n++) NAMES[n] = n === 34 ? 'RTMIN' : n === 64 ? 'RTMAX' : n <= 49 ? `RTMIN+${n - 34}` : `RTMAX-${64 - n}`;

const SUPPORTED: Record<number, Signal> = { 1: 'SIGHUP', 2: 'SIGINT', 9: 'SIGKILL', 15: 'SIGTERM' };
const USAGE = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';

/** bash decode_signal(): a number, or a name in any case with or without the SIG prefix. */
function decode(spec: string): number | null {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n === 0 || NAMES[n] ? n : null;
  }
  const up = spec.toUpperCase().replace(/^SIG/, '');
  if (up === 'IOT') return 6;
  if (up === 'POLL') return 29;
  if (up === 'CLD') return 17;
  for (const [n, name] of Object.entries(NAMES)) if (name === up) return Number(n);
  return null;
}

function signalList(): string {
  let text = '';
  let column = 0;
  for (let n = 1; n <= 64; n++) {
    if (!NAMES[n]) continue;
    text += `${String(n).padStart(2)}) SIG${NAMES[n]}`;
    if (++column < 5) text += '\t';
    else {
      text += '\n';
      column = 0;
    }
  }
  return column ? text + '\n' : text;
}

export function* kill(argv: string[]): Sys<number> {
  const a = argv.slice(1);
  if (a.length === 0) {
    yield* err(USAGE);
    return 2;
  }
  let sig = 15;
  let i = 0;
  if (a[0] === '-l' || a[0] === '-L' || a[0] === '--list') {
    if (a.length === 1) {
      yield* out(signalList());
      return 0;
    }
    let status = 0;
    for (const x of a.slice(1)) {
      if (/^\d+$/.test(x)) {
        const n = Number(x) > 128 ? Number(x) - 128 : Number(x);
        if (NAMES[n]) yield* out(`${NAMES[n]}\n`);
        else {
          yield* err(`kill: ${x}: invalid signal specification\n`);
          status = 1;
        }
      } else {
        const n = decode(x);
        if (n === null || n === 0) {
          yield* err(`kill: ${x}: invalid signal specification\n`);
          status = 1;
        } else yield* out(`${n}\n`);
      }
    }
    return status;
  }
  if (a[0] === '-s' || a[0] === '-n') {
    const spec = a[1];
    if (spec === undefined) {
      yield* err(`kill: ${a[0]}: option requires an argument\n${USAGE}`);
      return 2;
    }
    const n = decode(spec);
    if (n === null || (a[0] === '-n' && !/^\d+$/.test(spec))) {
      yield* err(`kill: ${spec}: invalid signal specification\n`);
      return 1;
    }
    sig = n;
    i = 2;
  } else if (a[0] === '--') i = 1;
  else if (a[0]!.startsWith('-')) {
    const spec = a[0]!.slice(1);
    const n = decode(spec);
    if (n === null) {
      yield* err(`kill: ${spec}: invalid signal specification\n`);
      return 1;
    }
    sig = n;
    i = 1;
    if (a[1] === '--') i = 2;
  }
  const pids = a.slice(i);
  if (pids.length === 0) {
    yield* err(USAGE);
    return 2;
  }
  const signal = SUPPORTED[sig];
  let status = 0;
  for (const p of pids) {
    if (p.startsWith('%')) {
      yield* err(`kill: ${p}: no such job\n`);
      status = 1;
      continue;
    }
    if (!/^-?\d+$/.test(p)) {
      yield* err(`kill: ${p}: arguments must be process or job IDs\n`);
      status = 1;
      continue;
    }
    const pid = Number(p);
    if (sig === 0) {
      const exists = (yield* processRows()).some((x) => x.pid === pid && x.state !== 'Z');
      if (!exists) {
        yield* err(`kill: (${pid}) - No such process\n`);
        status = 1;
      }
      continue;
    }
    if (!signal) {
      yield* err(`kill: SIG${NAMES[sig]}: the lab kernel does not deliver this signal (it knows SIGHUP, SIGINT, SIGKILL, SIGTERM)\n`);
      status = 1;
      continue;
    }
    const r = yield* sys.kill(pid, signal);
    if (isErr(r)) {
      yield* err(`kill: (${pid}) - ${r.message}\n`);
      status = 1;
    }
  }
  return status;
}
