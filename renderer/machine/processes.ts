// The process table's model: processes as a fork tree, and open-file descriptions held by more
// than one fd (fork, dup, SCM_RIGHTS) with a colour each. Pure; see processes.test.ts.
import type { FdRow, ProcessRow } from '../../shared/api';

export interface ProcessLine {
  row: ProcessRow;
  /** Depth in the fork tree (0 for processes whose parent is not on this machine's list). */
  depth: number;
}

/** Processes in fork-tree order (parents before children, siblings by pid), like `ps -H`. */
export function processForest(rows: readonly ProcessRow[]): ProcessLine[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const kids = new Map<number, ProcessRow[]>();
  const roots: ProcessRow[] = [];
  for (const r of rows) {
    if (r.ppid !== r.pid && byPid.has(r.ppid)) {
      const list = kids.get(r.ppid) ?? [];
      list.push(r);
      kids.set(r.ppid, list);
    } else {
      roots.push(r);
    }
  }
  const out: ProcessLine[] = [];
  const seen = new Set<number>();
  const walk = (r: ProcessRow, depth: number) => {
    if (seen.has(r.pid)) return;
    seen.add(r.pid);
    out.push({ row: r, depth });
    for (const c of (kids.get(r.pid) ?? []).sort((a, b) => a.pid - b.pid)) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.pid - b.pid)) walk(r, 0);
  // A ppid cycle (not possible in a real kernel) would leave rows unvisited: list them anyway.
  for (const r of [...rows].sort((a, b) => a.pid - b.pid)) walk(r, 0);
  return out;
}

export interface DescriptionHolder {
  pid: number;
  name: string;
  fd: number;
}

export interface SharedDescription {
  id: number;
  holders: DescriptionHolder[];
  /** Index into the palette (0..PALETTE_SIZE-1), assigned in ascending description id. */
  colour: number;
  /** "socket:[10001]" */
  label: string;
  /** The description is a socket (else a terminal or another file). */
  socket: boolean;
  /** "shared by pid 412 fd 4, pid 413 fd 4" */
  legend: string;
}

export const PALETTE_SIZE = 8;

/** Open-file descriptions that more than one fd refers to, on this machine. */
export function sharedDescriptions(rows: readonly ProcessRow[]): Map<number, SharedDescription> {
  const holders = new Map<number, { label: string; list: DescriptionHolder[] }>();
  for (const p of rows) {
    for (const f of p.fds) {
      const h = holders.get(f.description) ?? { label: f.label, list: [] };
      h.list.push({ pid: p.pid, name: p.name, fd: f.fd });
      holders.set(f.description, h);
    }
  }
  // Sockets take the palette first: a forked server's shared listener matters more than the
  // terminal every child inherits from its shell.
  const shared = [...holders.entries()]
    .filter(([, h]) => h.list.length > 1)
    .sort(([a, ha], [b, hb]) => Number(isSocketLabel(hb.label)) - Number(isSocketLabel(ha.label)) || a - b);
  const out = new Map<number, SharedDescription>();
  shared.forEach(([id, h], i) => {
    const list = h.list.sort((a, b) => a.pid - b.pid || a.fd - b.fd);
    out.set(id, {
      id,
      holders: list,
      colour: i % PALETTE_SIZE,
      label: h.label,
      socket: isSocketLabel(h.label),
      legend: `shared by ${holdersText(list)}`,
    });
  });
  return out;
}

/** "pid 412 fd 4, pid 413 fd 4"; several fds of one process as "pid 100 fds 0,1,2". */
export function holdersText(list: readonly DescriptionHolder[]): string {
  const byPid = new Map<number, number[]>();
  for (const h of list) byPid.set(h.pid, [...(byPid.get(h.pid) ?? []), h.fd]);
  return [...byPid.entries()].map(([pid, fds]) => (fds.length === 1 ? `pid ${pid} fd ${fds[0]}` : `pid ${pid} fds ${fds.join(',')}`)).join(', ');
}

export function isSocketLabel(label: string): boolean {
  return label.startsWith('socket:');
}

/** Fds in numeric order. */
export function sortedFds(fds: readonly FdRow[]): FdRow[] {
  return [...fds].sort((a, b) => a.fd - b.fd);
}

/** `ps` STAT with what it waits on: "S accept", "R", "Z". */
export function processStateText(row: Pick<ProcessRow, 'state' | 'wchan'>): string {
  return row.state === 'S' && row.wchan ? `S ${row.wchan}` : row.state;
}

export function processStateTitle(row: Pick<ProcessRow, 'state' | 'wchan'>): string {
  switch (row.state) {
    case 'R':
      return 'R: running or runnable';
    case 'S':
      return row.wchan ? `S: sleeping in ${row.wchan}()` : 'S: sleeping';
    case 'Z':
      return 'Z: zombie (exited, not yet reaped by its parent)';
  }
}

/** The command line: argv joined, or the name when argv is empty. */
export function commandLine(row: Pick<ProcessRow, 'name' | 'argv'>): string {
  return row.argv.length > 0 ? row.argv.join(' ') : row.name;
}

/**
 * Whether a process starts expanded: when it holds a socket (what the table is there to show);
 * a plain shell with only its terminal fds starts collapsed.
 */
export function startsExpanded(row: ProcessRow): boolean {
  return row.fds.some((f) => isSocketLabel(f.label));
}
