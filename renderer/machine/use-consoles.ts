// Console sessions: open (or focus), close, and reopen after another lab replaces this one.
// (A reset keeps sessions: the host gives each a fresh shell and prints a banner.)
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabApi } from '../../shared/api/contract';
import type { LabDoc } from '../../shared/lab/types';
import type { ConsoleRouter } from './console-router';
import { neighbourAfterClose, nextOrdinal, type ConsoleTab } from './tabs';

export interface Consoles {
  tabs: ConsoleTab[];
  active: string | null;
  setActive(key: string): void;
  open(machine: string, newSession: boolean): void;
  close(key: string): void;
}

let keySeq = 0;

export function useConsoles(
  api: LabApi,
  router: ConsoleRouter,
  doc: LabDoc | null,
  labEpoch: number,
  onError: (context: string, err: unknown) => void,
): Consoles {
  const [tabs, setTabs] = useState<ConsoleTab[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;
  const opening = useRef(new Set<string>());
  const docRef = useRef(doc);
  docRef.current = doc;

  const open = useCallback(
    (machine: string, newSession: boolean) => {
      const existing = tabsRef.current.find((t) => t.machine === machine);
      if (existing && !newSession) {
        setActive(existing.key);
        return;
      }
      if (opening.current.has(machine)) return;
      opening.current.add(machine);
      api.openConsole(machine).then(
        ({ consoleId }) => {
          opening.current.delete(machine);
          const tab: ConsoleTab = { key: `c${++keySeq}`, machine, consoleId, ordinal: nextOrdinal(tabsRef.current, machine) };
          setTabs((prev) => [...prev, tab]);
          setActive(tab.key);
        },
        (err) => {
          opening.current.delete(machine);
          onError(`Opening a console on ${machine} failed`, err);
        },
      );
    },
    [api, onError],
  );

  const close = useCallback(
    (key: string) => {
      const tab = tabsRef.current.find((t) => t.key === key);
      if (!tab) return;
      setActive((cur) => (cur === key ? neighbourAfterClose(tabsRef.current, key) : cur));
      setTabs((prev) => prev.filter((t) => t.key !== key));
      router.forget(tab.consoleId);
      api.closeConsole(tab.consoleId).catch(() => {
        // Already gone on the host (lab reset, shell exited): nothing to undo.
      });
    },
    [api, router],
  );

  // Another lab was opened: the host closed every session. Reopen one per tab whose machine
  // exists in the new lab. If replacements come in quick succession, only the latest reopen of a
  // tab is kept; earlier ones are closed when they resolve.
  const firstEpoch = useRef(labEpoch);
  const reopenGen = useRef(new Map<string, number>());
  const closedIds = useRef(new Set<string>());
  useEffect(() => {
    if (labEpoch === firstEpoch.current) return;
    const closeOnce = (id: string) => {
      if (closedIds.current.has(id)) return;
      closedIds.current.add(id);
      router.forget(id);
      api.closeConsole(id).catch(() => {});
    };
    for (const tab of tabsRef.current) {
      closeOnce(tab.consoleId);
      const alive = docRef.current?.machines.some((m) => m.id === tab.machine);
      if (!alive) {
        setTabs((prev) => prev.filter((t) => t.key !== tab.key));
        continue;
      }
      const gen = (reopenGen.current.get(tab.key) ?? 0) + 1;
      reopenGen.current.set(tab.key, gen);
      api.openConsole(tab.machine).then(
        ({ consoleId }) => {
          const stillOpen = tabsRef.current.some((t) => t.key === tab.key);
          if (reopenGen.current.get(tab.key) !== gen || !stillOpen) closeOnce(consoleId);
          else setTabs((prev) => prev.map((t) => (t.key === tab.key ? { ...t, consoleId } : t)));
        },
        (err) => onError(`Reopening the console on ${tab.machine} failed`, err),
      );
    }
  }, [labEpoch, api, router, onError]);

  // Nothing chosen yet (or the chosen tab was closed with no neighbour): show the newest tab.
  const activeKey = active ?? tabs.at(-1)?.key ?? null;

  return { tabs, active: activeKey, setActive, open, close };
}
