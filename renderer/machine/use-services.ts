// The Services dialog's data: listServices for its machine, fetched when it opens and again on each
// status event (use-status-refresh.ts), so a service started or stopped from a console, or a daemon
// that died, shows here too. A start or stop hands its fresh list in through `replace`.
import { useCallback, useState } from 'react';
import type { LabApi, LabStatus, ServiceStatus } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { useStatusRefresh } from './use-status-refresh';

export interface ServicesSnapshot {
  machine: string;
  services: ServiceStatus[] | null;
  error: string | null;
}

export function useServices(api: LabApi, machine: string, status: LabStatus | null, epoch: number): [ServicesSnapshot | null, (services: ServiceStatus[]) => void] {
  const [snap, setSnap] = useState<ServicesSnapshot | null>(null);
  useStatusRefresh(
    (live) => () =>
      api.listServices(machine).then(
        (services) => {
          if (live()) setSnap({ machine, services, error: null });
        },
        (err: unknown) => {
          if (live()) setSnap((prev) => ({ machine, services: prev?.machine === machine ? prev.services : null, error: cleanErrorMessage(err) }));
        },
      ),
    status,
    [api, machine, epoch],
  );
  const replace = useCallback((services: ServiceStatus[]) => setSnap({ machine, services, error: null }), [machine]);
  return [snap && snap.machine === machine ? snap : null, replace];
}
