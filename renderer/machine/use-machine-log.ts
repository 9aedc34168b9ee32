// The Log tab's data: the machine's log lines, fetched the way the Machine panel fetches its state
// (on a new machine or trace, then on each status event, at most 4 times a second), but only the
// lines after those already shown, and only while the tab is open.
import { useEffect, useRef, useState } from 'react';
import { MAX_LOG_LIMIT, type LabApi, type LabStatus } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { appendLog, emptyLog, type LogView } from './machine-log';
import { useStatusRefresh } from './use-status-refresh';

/** Pages fetched in one go before yielding to the next status event. */
const PAGES_PER_FETCH = 5;

export interface MachineLogSnapshot {
  view: LogView;
  error: string | null;
}

export function useMachineLog(api: LabApi, machine: string | null, active: boolean, status: LabStatus | null, epoch: number): MachineLogSnapshot | null {
  const [snap, setSnap] = useState<MachineLogSnapshot | null>(null);
  /** The lines so far (kept across closing and opening the tab), the source of snap.view. */
  const viewRef = useRef<LogView | null>(null);

  // A new machine or a new trace: start over from the first line.
  useEffect(() => {
    viewRef.current = machine === null ? null : emptyLog(machine);
    setSnap(viewRef.current ? { view: viewRef.current, error: null } : null);
  }, [machine, epoch]);

  useStatusRefresh(
    machine === null || !active
      ? null
      : (live) => async () => {
          try {
            for (let page = 0; page < PAGES_PER_FETCH; page++) {
              const current = viewRef.current?.machine === machine ? viewRef.current : emptyLog(machine);
              const more = await api.machineLog(machine, { offset: current.fetched, limit: MAX_LOG_LIMIT });
              if (!live()) return;
              const next = appendLog(current, more);
              viewRef.current = next;
              setSnap((prev) => (prev && prev.view === next && prev.error === null ? prev : { view: next, error: null }));
              if (more.length < MAX_LOG_LIMIT) return;
            }
          } catch (err) {
            if (live()) setSnap({ view: viewRef.current?.machine === machine ? viewRef.current : emptyLog(machine), error: cleanErrorMessage(err) });
          }
        },
    status,
    [api, machine, active, epoch],
  );

  return snap && snap.view.machine === machine ? snap : null;
}
