// The Machine panel's data: getMachineState for the shown machine, fetched when the machine (or
// the trace) changes and again on each status event, at most 4 times a second. No timers of its
// own: when the lab is paused and nothing changes, nothing is fetched.
import { useEffect, useRef, useState } from 'react';
import type { LabApi, LabStatus, MachineState } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { browserClock, RefreshGate } from '../util/refresh-gate';

export const MACHINE_REFRESH_MS = 250;

export interface MachineSnapshot {
  machine: string;
  state: MachineState | null;
  error: string | null;
}

export function useMachineState(api: LabApi, machine: string | null, status: LabStatus | null, epoch: number): MachineSnapshot | null {
  const [snap, setSnap] = useState<MachineSnapshot | null>(null);
  const gate = useRef<RefreshGate | null>(null);
  const seenStatus = useRef<LabStatus | null>(null);
  const statusNow = useRef(status);
  statusNow.current = status;

  useEffect(() => {
    if (machine === null) {
      gate.current = null;
      return;
    }
    let live = true;
    const g = new RefreshGate(
      () =>
        api.getMachineState(machine).then(
          (state) => {
            if (live) setSnap({ machine, state, error: null });
          },
          (err: unknown) => {
            if (live) setSnap((prev) => ({ machine, state: prev?.machine === machine ? prev.state : null, error: cleanErrorMessage(err) }));
          },
        ),
      MACHINE_REFRESH_MS,
      browserClock,
    );
    gate.current = g;
    seenStatus.current = statusNow.current;
    g.request(true);
    return () => {
      live = false;
      g.dispose();
      if (gate.current === g) gate.current = null;
    };
  }, [api, machine, epoch]);

  useEffect(() => {
    if (status === seenStatus.current) return;
    seenStatus.current = status;
    gate.current?.request();
  }, [status]);

  return snap && snap.machine === machine ? snap : null;
}
