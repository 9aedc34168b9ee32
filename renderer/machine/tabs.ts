// Console tab bookkeeping (pure; see tabs.test.ts).

export interface ConsoleTab {
  /** Stable React key for the terminal (survives reconnects). */
  key: string;
  machine: string;
  consoleId: string;
  /** 1 for the first session on a machine, 2 for the next... */
  ordinal: number;
}

/** "host1", then "host1 (2)". */
export function tabTitle(tab: ConsoleTab): string {
  return tab.ordinal === 1 ? tab.machine : `${tab.machine} (${tab.ordinal})`;
}

/** Test-id suffix: "host1" for the first session on a machine, "host1#2" for the next. */
export function tabTestId(tab: ConsoleTab): string {
  return tab.ordinal === 1 ? tab.machine : `${tab.machine}#${tab.ordinal}`;
}

/** The lowest ordinal not used by an open tab on `machine`. */
export function nextOrdinal(tabs: ConsoleTab[], machine: string): number {
  const used = new Set(tabs.filter((t) => t.machine === machine).map((t) => t.ordinal));
  let n = 1;
  while (used.has(n)) n++;
  return n;
}

/** The tab to activate after closing `key`: its right neighbour, else its left, else none. */
export function neighbourAfterClose(tabs: ConsoleTab[], key: string): string | null {
  const i = tabs.findIndex((t) => t.key === key);
  if (i < 0) return null;
  const rest = tabs.filter((t) => t.key !== key);
  return rest[Math.min(i, rest.length - 1)]?.key ?? null;
}
