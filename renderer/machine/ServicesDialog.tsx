// The Services dialog (right-click a machine -> Services…): every service of the catalogue with its
// state (pid, port), a port field (the well-known port unless changed) and Start/Stop, which run
// `service NAME start [PORT]` / `service NAME stop` as root inside the machine. What the command
// printed shows under the row: on failure that is its reason ("port 21 in use by ftpd pid 105").
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabApi, LabStatus, ServiceStatus } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { Modal } from '../layout/Modal';
import { callFailedMessage, commandLine, commandMessage, parsePortField, portFieldText, serviceStateText, type ServiceMessage } from './services';
import { BridgePanel } from './BridgePanel';
import { useServices } from './use-services';

export interface ServicesDialogProps {
  api: LabApi;
  machine: string;
  status: LabStatus | null;
  epoch: number;
  onClose(): void;
}

export function ServicesDialog(props: ServicesDialogProps) {
  const { api, machine, status, epoch, onClose } = props;
  const [snap, replaceServices] = useServices(api, machine, status, epoch);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [messages, setMessages] = useState<Record<string, ServiceMessage>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  // Another machine or a new trace: forget what was typed and said.
  useEffect(() => {
    setTyped({});
    setMessages({});
  }, [machine, epoch]);

  const act = useCallback(
    async (s: ServiceStatus, action: 'start' | 'stop') => {
      let port: number | undefined;
      if (action === 'start') {
        const choice = parsePortField(portFieldText(s, typed[s.name]), s);
        if (!choice.ok) {
          setMessages((m) => ({ ...m, [s.name]: callFailedMessage(commandLine(s.name, 'start'), choice.error) }));
          return;
        }
        port = choice.port;
      }
      const command = commandLine(s.name, action, port);
      setBusy(s.name);
      try {
        const r = action === 'start' ? await (port === undefined ? api.startService(machine, s.name) : api.startService(machine, s.name, port)) : await api.stopService(machine, s.name);
        if (!live.current) return;
        replaceServices(r.services);
        setMessages((m) => ({ ...m, [s.name]: commandMessage(r) }));
      } catch (err) {
        if (live.current) setMessages((m) => ({ ...m, [s.name]: callFailedMessage(command, cleanErrorMessage(err)) }));
      } finally {
        if (live.current) setBusy(null);
      }
    },
    [api, machine, typed, replaceServices],
  );

  const services = snap?.services ?? null;
  return (
    <Modal
      title={
        <>
          Services on <span className="mono">{machine}</span>
        </>
      }
      testId="services-dialog"
      className="services-dialog"
      closeTestId="services-close"
      data={{ 'data-machine': machine }}
      onClose={onClose}
    >
      <p className="muted dialog-intro">
        Start and Stop run <code>service NAME start [PORT]</code> and <code>service NAME stop</code> as root on {machine}, as you would in its console. Daemons
        log to the machine&apos;s Log tab.
      </p>
      {snap?.error && (
        <div className="mp-error" data-testid="services-error">
          Could not read {machine}&apos;s services: {snap.error}
        </div>
      )}
      {!services ? (
        !snap?.error && <div className="kv-empty muted">Reading {machine}&apos;s services…</div>
      ) : (
        <table className="kv-table services-table">
          <thead>
            <tr>
              <th>Service</th>
              <th>State</th>
              <th className="c-port">Port</th>
              <th className="c-actions" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {services.map((s) => {
              const running = s.state === 'running';
              const msg = messages[s.name];
              const rowBusy = busy === s.name;
              const portText = portFieldText(s, typed[s.name]);
              const port = parsePortField(portText, s);
              return (
                <ServiceRows
                  key={s.name}
                  s={s}
                  running={running}
                  busy={rowBusy}
                  anyBusy={busy !== null}
                  portText={portText}
                  startTitle={port.ok ? commandLine(s.name, 'start', port.port) : port.error}
                  message={msg}
                  onPort={(text) => setTyped((t) => ({ ...t, [s.name]: text }))}
                  onStart={() => void act(s, 'start')}
                  onStop={() => void act(s, 'stop')}
                  onDismiss={() =>
                    setMessages((m) => {
                      const next = { ...m };
                      delete next[s.name];
                      return next;
                    })
                  }
                />
              );
            })}
          </tbody>
        </table>
      )}
      {services && <BridgePanel api={api} machine={machine} services={services} />}
      <p className="dialog-note" data-testid="services-ssh-note">
        <strong>Note:</strong> SSH key exchange (and its padding) uses real randomness, so a trace with SSH traffic differs between runs of the same
        lab. Everything else is the same for the same lab file and seed.
      </p>
    </Modal>
  );
}

function ServiceRows(props: {
  s: ServiceStatus;
  running: boolean;
  busy: boolean;
  anyBusy: boolean;
  portText: string;
  startTitle: string;
  message: ServiceMessage | undefined;
  onPort(text: string): void;
  onStart(): void;
  onStop(): void;
  onDismiss(): void;
}) {
  const { s, running, busy, anyBusy, portText, startTitle, message } = props;
  return (
    <>
      <tr className={`service-row${running ? ' running' : ''}`} data-testid="service-row" data-service={s.name} data-state={s.state}>
        <td className="c-service">
          <b>{s.name}</b> <span className="muted">{s.description}</span>
        </td>
        <td className="c-svc-state" data-testid={`service-status-${s.name}`}>
          <span className={`state-pill svc-pill ${running ? 'st-listen' : 'st-close'}`}>{serviceStateText(s)}</span>
        </td>
        <td className="c-port">
          <input
            className="port-input mono"
            type="text"
            inputMode="numeric"
            aria-label={`${s.name} port (well-known: ${s.defaultPort}/${s.proto})`}
            title={`Well-known port: ${s.defaultPort}/${s.proto}`}
            data-testid={`service-port-${s.name}`}
            value={portText}
            disabled={running || busy}
            onChange={(e) => props.onPort(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !running && !anyBusy) props.onStart();
            }}
          />
          <span className="muted port-proto">/{s.proto}</span>
        </td>
        <td className="c-actions">
          <button type="button" className="btn btn-small" data-testid={`service-start-${s.name}`} title={startTitle} disabled={running || anyBusy} onClick={props.onStart}>
            {busy && !running ? 'Starting…' : 'Start'}
          </button>
          <button type="button" className="btn btn-small" data-testid={`service-stop-${s.name}`} title={`service ${s.name} stop`} disabled={!running || anyBusy} onClick={props.onStop}>
            {busy && running ? 'Stopping…' : 'Stop'}
          </button>
        </td>
      </tr>
      {message && (
        <tr className={`service-message ${message.kind}`} data-testid={`service-message-${s.name}`} data-kind={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          <td colSpan={4}>
            <div className="service-message-body">
              <span className="mono service-command"># {message.command}</span>
              <pre className="mono">{message.text}</pre>
              <button type="button" className="btn-icon-text" aria-label="Dismiss" onClick={props.onDismiss}>
                ×
              </button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
