// The Machine panel's data: getMachineState for the shown machine, fetched when the machine (or
// the trace) changes and again on each status event (use-status-refresh.ts).
import { useState } from 'react';
import type { LabApi, LabStatus, MachineState } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { useStatusRefresh } from './use-status-refresh';

export interface MachineSnapshot {
  machine: string;
  state: MachineState | null;
  error: string | null;
}

export function useMachineState(api: LabApi, machine: string | null, status: LabStatus | null, epoch: number): MachineSnapshot | null {
  const [snap, setSnap] = useState<MachineSnapshot | null>(null);
  useStatusRefresh(
    machine === null
      ? null
      : (live) => () =>
          api.getMachineState(machine).then(
            (state) => {
              if (live()) setSnap({ machine, state, error: null });
            },
            (err: unknown) => {
              if (live()) setSnap((prev) => ({ machine, state: prev?.machine === machine ? prev.state : null, error: cleanErrorMessage(err) }));
            },
          ),
    status,
    [api, machine, epoch],
  );
  return snap && snap.machine === machine ? snap : null;
}
