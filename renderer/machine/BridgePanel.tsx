// The bridge, in the Services dialog: expose a running TCP service on this computer's 127.0.0.1 so
// real programs (curl, a browser, ssh) reach it through the simulated network. The first bridge adds
// a gateway machine to the running lab and switches it to real time; Reset removes both.
import { useCallback, useEffect, useState } from 'react';
import type { BridgeStatus, LabApi, ServiceStatus } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { bridgeable, defaultLocalPort } from './services';

export function BridgePanel(props: { api: LabApi; machine: string; services: readonly ServiceStatus[] }) {
  const { api, machine, services } = props;
  const candidates = bridgeable(services);
  const [bridges, setBridges] = useState<BridgeStatus[]>([]);
  const [choice, setChoice] = useState<string>('');
  const [localText, setLocalText] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.listBridges().then((b) => live && setBridges(b), () => {});
    return () => {
      live = false;
    };
  }, [api, machine]);

  const selected = candidates.find((s) => s.name === choice) ?? candidates[0];
  const localPort = localText.trim() === '' && selected ? defaultLocalPort(selected.port!) : Number(localText);

  const start = useCallback(async () => {
    if (!selected) return;
    if (!Number.isInteger(localPort) || localPort < 1 || localPort > 65535) {
      setError(`"${localText}" is not a local port (1-65535)`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setBridges(await api.startBridge(machine, selected.port!, localPort));
    } catch (err) {
      setError(cleanErrorMessage(err));
    } finally {
      setBusy(false);
    }
  }, [api, machine, selected, localPort, localText]);

  const stop = useCallback(
    async (port: number) => {
      try {
        setBridges(await api.stopBridge(port));
      } catch (err) {
        setError(cleanErrorMessage(err));
      }
    },
    [api],
  );

  const mine = bridges.filter((b) => b.machine === machine);
  return (
    <section className="bridge-panel" data-testid="bridge-panel">
      <h3>Reach a service from this computer</h3>
      <p className="muted">
        Real programs connect to <code>127.0.0.1</code> and a gateway machine joins {machine}&apos;s switch to carry each connection through the lab
        (traced like any frame). A bridged lab runs in real time.
      </p>
      {candidates.length === 0 ? (
        <p className="muted">Start a TCP service above to bridge it.</p>
      ) : (
        <div className="bridge-form">
          <select aria-label="Service to bridge" data-testid="bridge-service" value={selected?.name ?? ''} onChange={(e) => setChoice(e.target.value)}>
            {candidates.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} ({s.port}/tcp)
              </option>
            ))}
          </select>
          <span className="mono">→ 127.0.0.1:</span>
          <input className="port-input mono" aria-label="Local port" data-testid="bridge-local-port" value={localText === '' && selected ? String(defaultLocalPort(selected.port!)) : localText} onChange={(e) => setLocalText(e.target.value)} />
          <button type="button" className="btn btn-small" data-testid="bridge-start" disabled={busy} onClick={() => void start()}>
            {busy ? 'Bridging…' : 'Bridge'}
          </button>
        </div>
      )}
      {error && (
        <div className="mp-error" role="alert" data-testid="bridge-error">
          {error}
        </div>
      )}
      {mine.map((b) => (
        <div key={b.localPort} className="bridge-row" data-testid="bridge-row">
          <span className="mono">
            127.0.0.1:{b.localPort} → {b.machine}:{b.port}
          </span>{' '}
          <span className="muted">via {b.gateway} ({b.gatewayAddress}) · try</span> <code className="bridge-hint">{b.hint}</code>{' '}
          <button type="button" className="btn btn-small" onClick={() => void stop(b.localPort)}>
            Stop
          </button>
        </div>
      ))}
    </section>
  );
}
