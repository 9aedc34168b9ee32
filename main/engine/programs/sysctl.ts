// sysctl (procps-ng 4.x): read and write kernel parameters by their dotted names.
//   sysctl NAME...            net.ipv4.tcp_syncookies = 1
//   sysctl -n NAME            1
//   sysctl -w NAME=VALUE      (or just NAME=VALUE) prints the new setting
//   sysctl -a                 every parameter the lab's kernel has, sorted
// Names may use '/' instead of '.'. Errors are procps's ("cannot stat /proc/sys/...", "setting key").
// -a asks the kernel for every parameter of the lab's sysctl table (shared/kernel/sysctl.ts).
import { SYSCTLS } from '../../../shared/kernel/sysctl';
import { isErr, sys, type Sys } from '../process';
import { getopt } from './getopt';
import { err, out } from './stdio';

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -h, --help           display this help and exit
  -V, --version        output version information and exit

For more details see sysctl(8).
`;

/** "net/ipv4/tcp_syncookies" and "net.ipv4.tcp_syncookies" are the same key; print with dots. */
const dotted = (name: string) => name.replace(/\//g, '.');
const procPath = (name: string) => `/proc/sys/${dotted(name).replace(/\./g, '/')}`;

export function* sysctl(argv: string[]): Sys<number> {
  const g = getopt('sysctl', argv, 'bneNwqpfaAXr:hV', {
    all: { key: 'a', arg: 'none' }, binary: { key: 'b', arg: 'none' }, ignore: { key: 'e', arg: 'none' }, names: { key: 'N', arg: 'none' },
    values: { key: 'n', arg: 'none' }, load: { key: 'p', arg: 'none' }, quiet: { key: 'q', arg: 'none' }, write: { key: 'w', arg: 'none' },
    system: { key: 'S', arg: 'none' }, pattern: { key: 'r', arg: 'required' }, help: { key: 'h', arg: 'none' }, version: { key: 'V', arg: 'none' },
  });
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 1;
  }
  let values = false;
  let names = false;
  let write = false;
  let quiet = false;
  let ignore = false;
  let binary = false;
  let all = false;
  let pattern: RegExp | null = null;
  for (const { key, value } of g.opts) {
    if (key === 'n') values = true;
    else if (key === 'b') values = binary = true;
    else if (key === 'N') names = true;
    else if (key === 'w') write = true;
    else if (key === 'q') quiet = true;
    else if (key === 'e') ignore = true;
    else if (key === 'a' || key === 'A' || key === 'X') all = true;
    else if (key === 'r') {
      try {
        pattern = new RegExp(value!);
      } catch {
        yield* err(`sysctl: failed to compile regex: ${value}\n`);
        return 1;
      }
    } else if (key === 'p' || key === 'f' || key === 'S') {
      const file = g.args[0] ?? '/etc/sysctl.conf';
      yield* err(`sysctl: cannot open "${file}": No such file or directory\n`);
      return 255;
    } else if (key === 'h') {
      yield* out(USAGE);
      return 0;
    } else if (key === 'V') {
      yield* out('sysctl from procps-ng 4.0.4\n');
      return 0;
    }
  }
  const show = (name: string, v: string) => (names ? `${name}\n` : values ? (binary ? v : `${v}\n`) : `${name} = ${v}\n`);
  if (all) {
    let text = '';
    for (const name of Object.keys(SYSCTLS).sort()) {
      if (pattern && !pattern.test(name)) continue;
      const v = yield* sys.sysctl(name);
      if (!isErr(v)) text += show(name, v.replace(/\n$/, ''));
    }
    yield* out(text);
    return 0;
  }
  if (g.args.length === 0) {
    yield* err("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const arg of g.args) {
    const eq = arg.indexOf('=');
    if (eq >= 0 || write) {
      if (eq <= 0) {
        yield* err(`sysctl: "${arg}" must be of the form name=value\n`);
        status = 255;
        continue;
      }
      const name = dotted(arg.slice(0, eq).trim());
      const value = arg.slice(eq + 1).trim();
      const r = yield* sys.sysctl(name, value);
      if (isErr(r)) {
        if (r.name === 'ENOENT') {
          if (!ignore) {
            yield* err(`sysctl: cannot stat ${procPath(name)}: No such file or directory\n`);
            status = 1;
          }
        } else if (r.name === 'EACCES') {
          yield* err(`sysctl: permission denied on key "${name}"\n`);
          status = 1;
        } else {
          yield* err(`sysctl: setting key "${name}": ${r.message}\n`);
          status = 1;
        }
        continue;
      }
      if (!quiet) yield* out(show(name, value));
      continue;
    }
    const name = dotted(arg);
    const r = yield* sys.sysctl(name);
    if (isErr(r)) {
      if (r.name === 'ENOENT' && ignore) continue;
      yield* err(r.name === 'ENOENT' ? `sysctl: cannot stat ${procPath(name)}: No such file or directory\n` : `sysctl: reading key "${name}": ${r.message}\n`);
      status = 1;
      continue;
    }
    yield* out(show(name, r.replace(/\n$/, '')));
  }
  return status;
}
