// The Machine panel for a switch or hub: its ports (what each is cabled to, frames in and out, a
// port blocked because its link closes a loop) and, for a switch, the MAC table it has learned.
import { memo, useState } from 'react';
import type { LabApi, LabStatus, SwitchState } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { useStatusRefresh } from './use-status-refresh';

export interface SwitchViewProps {
  api: LabApi;
  machine: string;
  status: LabStatus | null;
  epoch: number;
}

export const SwitchView = memo(function SwitchView({ api, machine, status, epoch }: SwitchViewProps) {
  const [snap, setSnap] = useState<{ machine: string; state: SwitchState | null; error: string | null } | null>(null);
  useStatusRefresh(
    (live) => () =>
      api.getSwitchState(machine).then(
        (state) => {
          if (live()) setSnap({ machine, state, error: null });
        },
        (err: unknown) => {
          if (live()) setSnap({ machine, state: null, error: cleanErrorMessage(err) });
        },
      ),
    status,
    [api, machine, epoch],
  );
  const s = snap?.machine === machine ? snap : null;
  if (s?.error) return <div className="mp-error">Could not read {machine}: {s.error}</div>;
  if (!s?.state) return <div className="kv-empty muted">Reading {machine}…</div>;
  const st = s.state;
  return (
    <div className="switch-view" data-testid="switch-view">
      <p className="muted switch-note">
        {st.kind === 'switch'
          ? `A learning switch: it learns which port each source MAC is behind and sends a frame only there; broadcasts and unknown destinations go out of every port. Entries age out after ${st.ageingSeconds} s.`
          : 'A hub repeats every frame out of every other port: any machine on it sees everyone’s traffic.'}
      </p>
      {st.kind === 'switch' && (
        <table className="kv-table" data-testid="mac-table">
          <caption>MAC table ({st.macTable.length})</caption>
          <thead>
            <tr>
              <th>MAC address</th>
              <th>Port</th>
              <th>Age (s)</th>
            </tr>
          </thead>
          <tbody>
            {st.macTable.length === 0 ? (
              <tr>
                <td colSpan={3} className="muted">
                  Nothing learned yet: no frame has arrived.
                </td>
              </tr>
            ) : (
              st.macTable.map((m) => (
                <tr key={m.mac}>
                  <td className="mono">{m.mac}</td>
                  <td className="mono">{m.port}</td>
                  <td className="mono">{m.ageSeconds}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      )}
      <table className="kv-table" data-testid="switch-ports">
        <caption>Ports</caption>
        <thead>
          <tr>
            <th>Port</th>
            <th>Cabled to</th>
            <th>Frames in</th>
            <th>Frames out</th>
          </tr>
        </thead>
        <tbody>
          {st.ports.map((p) => (
            <tr key={p.name} className={p.blocked ? 'port-blocked' : undefined} title={p.blocked ?? undefined}>
              <td className="mono">{p.name}</td>
              <td className="mono">{p.linkedTo ?? <span className="muted">—</span>}{p.blocked && <span className="port-blocked-tag"> blocked (loop)</span>}</td>
              <td className="mono">{p.rxFrames}</td>
              <td className="mono">{p.txFrames}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
