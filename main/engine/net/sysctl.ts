// One machine's sysctl values (the specs and defaults are shared/kernel/sysctl.ts). `sysctl -w`
// and the lab file's "sysctl" field go through parseSysctl, so they accept the same values.
import { parseSysctl, SYSCTLS } from '../../../shared/kernel/sysctl';

export class Sysctl {
  private readonly values = new Map<string, number | [number, number]>();

  constructor(initial: Record<string, string> = {}) {
    for (const [name, spec] of Object.entries(SYSCTLS)) this.values.set(name, Array.isArray(spec.default) ? [...spec.default] as [number, number] : spec.default);
    for (const [name, v] of Object.entries(initial)) {
      const err = this.set(name, v);
      if (err) throw new Error(`sysctl ${name}: ${err.message} (the lab file was validated; this is a bug)`);
    }
  }

  /** The value as `sysctl` prints it (a range as "32768\t60999"). */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    return Array.isArray(v) ? `${v[0]}\t${v[1]}` : String(v);
  }

  int(name: string): number {
    const v = this.values.get(name);
    if (typeof v !== 'number') throw new Error(`sysctl ${name} is not an integer sysctl`);
    return v;
  }

  range(name: string): [number, number] {
    const v = this.values.get(name);
    if (!Array.isArray(v)) throw new Error(`sysctl ${name} is not a range sysctl`);
    return v;
  }

  /** Set from text; an errno and the message `sysctl` prints, or null. */
  set(name: string, text: string): { errno: 'ENOENT' | 'EINVAL'; message: string } | null {
    if (!this.values.has(name)) return { errno: 'ENOENT', message: `cannot stat /proc/sys/${name.replace(/\./g, '/')}: No such file or directory` };
    const r = parseSysctl(name, text);
    if ('error' in r) return { errno: 'EINVAL', message: `setting key "${name}": Invalid argument` };
    this.values.set(name, r.value);
    return null;
  }
}
