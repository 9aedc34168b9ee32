// The Machine panel: the kernel's view of the selected machine, in four tabs: its sockets (with
// listen queues), its processes (with fd tables and shared open-file descriptions), its ports, and
// its log (what its daemons logged).
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LabApi, LabStatus, SocketRow } from '../../shared/api';
import type { MachineKind } from '../../shared/lab/types';
import { formatClock } from '../util/format';
import { readStored, writeStored } from '../util/storage';
import { MachineLog } from './MachineLog';
import { PortMap } from './PortMap';
import { ProcessTable } from './ProcessTable';
import { SocketTable } from './SocketTable';
import { SwitchView } from './SwitchView';
import { findSocketLine, socketLines, type SocketRef } from './sockets';
import { useMachineLog } from './use-machine-log';
import { useMachineState } from './use-machine-state';
import { portUses } from './ports';

export type MachineTab = 'sockets' | 'processes' | 'ports' | 'log';

/**
 * A request to show one socket (from a delivery record) or one process (the one whose syscall sent
 * a frame): select its machine and highlight it.
 */
export type SocketFocus = {
  machine: string;
  /** Bumped on every request, so clicking the same socket again scrolls to it again. */
  seq: number;
} & ({ ref: SocketRef; proto?: SocketRow['proto'] } | { pid: number });

export interface MachinePanelProps {
  api: LabApi;
  machine: string | null;
  kind: MachineKind | null;
  status: LabStatus | null;
  epoch: number;
  focus: SocketFocus | null;
  /** Open the Services dialog of a machine. */
  onOpenServices?(machine: string): void;
}

const TABS: { id: MachineTab; label: string }[] = [
  { id: 'sockets', label: 'Sockets' },
  { id: 'processes', label: 'Processes' },
  { id: 'ports', label: 'Ports' },
  { id: 'log', label: 'Log' },
];

const TAB_KEY = 'machine-panel:tab';

function loadTab(): MachineTab {
  const v = readStored(TAB_KEY);
  return v === 'processes' || v === 'ports' || v === 'log' ? v : 'sockets';
}

export const MachinePanel = memo(function MachinePanel(props: MachinePanelProps) {
  const { api, machine, kind, status, epoch, focus, onOpenServices } = props;
  const hasKernel = machine !== null && kind !== 'switch' && kind !== 'hub';
  const snap = useMachineState(api, hasKernel ? machine : null, status, epoch);
  const state = snap?.state ?? null;
  const [tab, setTabRaw] = useState<MachineTab>(loadTab);
  const log = useMachineLog(api, hasKernel ? machine : null, tab === 'log', status, epoch);
  const openServices = useMemo(() => (onOpenServices && machine !== null && hasKernel ? () => onOpenServices(machine) : undefined), [onOpenServices, machine, hasKernel]);
  const [highlight, setHighlight] = useState<{ key: string; seq: number } | null>(null);
  const [pidHighlight, setPidHighlight] = useState<{ pid: number; seq: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const seq = useRef(0);
  const handledFocus = useRef(0);

  const setTab = useCallback((t: MachineTab) => {
    setTabRaw(t);
    writeStored(TAB_KEY, t);
  }, []);

  const lines = useMemo(() => (state ? socketLines(state.sockets) : []), [state]);

  const highlightKey = useCallback(
    (key: string) => {
      setTab('sockets');
      setNotice(null);
      setHighlight({ key, seq: ++seq.current });
    },
    [setTab],
  );

  // A socket from a delivery record: once this machine's state is here, find and highlight it.
  useEffect(() => {
    if (!focus || focus.seq === handledFocus.current || !state || state.machine !== focus.machine || focus.machine !== machine) return;
    handledFocus.current = focus.seq;
    if ('pid' in focus) {
      setTab('processes');
      const alive = state.processes.some((p) => p.pid === focus.pid);
      setPidHighlight(alive ? { pid: focus.pid, seq: ++seq.current } : null);
      setNotice(alive ? null : `Process ${focus.pid} is no longer on ${focus.machine}: it has exited since that frame.`);
      return;
    }
    const line = findSocketLine(lines, focus.ref, focus.proto);
    setTab('sockets');
    if (line) {
      setNotice(null);
      setHighlight({ key: line.key, seq: ++seq.current });
    } else {
      setHighlight(null);
      setNotice(`That socket (${focus.ref.local} ↔ ${focus.ref.peer}) is no longer in ${focus.machine}'s tables: it has closed since that frame.`);
    }
  }, [focus, state, lines, machine, setTab]);

  // Another machine: forget the highlight.
  useEffect(() => {
    setHighlight(null);
    setPidHighlight(null);
    setNotice(null);
  }, [machine]);

  const onShowPort = useCallback(
    (port: number) => {
      const line = lines.find((l) => l.row.localPort === port && l.listener) ?? lines.find((l) => l.row.localPort === port);
      if (line) highlightKey(line.key);
    },
    [lines, highlightKey],
  );
  const onShowSocket = useCallback((inode: number) => highlightKey(`i${inode}`), [highlightKey]);

  // The log is fetched only while its tab is open: its count shows once it has been read.
  const logCount = log && log.view.fetched > 0 ? log.view.fetched : null;
  const counts: Record<MachineTab, number | null> = state
    ? { sockets: state.sockets.length, processes: state.processes.length, ports: portUses(state.sockets, state.ephemeral).length, log: logCount }
    : { sockets: null, processes: null, ports: null, log: logCount };

  return (
    <section className="machine-panel" aria-label="Machine" data-testid="machine-panel" data-machine={machine ?? undefined}>
      <div className="mp-head">
        <span className="mp-title" title={machine ? `${machine}${kind ? ` (${kind})` : ''}` : undefined}>
          {machine ?? 'Machine'}
        </span>
        {(machine === null || hasKernel) && (
        <div className="mp-tabs" role="tablist" aria-label="Machine views">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`machine-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="machine-tabpanel"
              className={tab === t.id ? 'mp-tab active' : 'mp-tab'}
              data-testid={`machine-tab-${t.id}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
              {counts[t.id] !== null && <span className="mp-count">{counts[t.id]}</span>}
            </button>
          ))}
        </div>
        )}
        <span className="mp-time mono" title="When this snapshot of the machine's kernel was taken (virtual time)">
          {state ? formatClock(state.timeNs) : ''}
        </span>
      </div>
      <div className="mp-body" role="tabpanel" id="machine-tabpanel" aria-labelledby={`machine-tab-${tab}`}>
        {snap?.error && <div className="mp-error">Could not read {machine}'s kernel state: {snap.error}</div>}
        {tab === 'log' && log?.error && <div className="mp-error">Could not read {machine}'s log: {log.error}</div>}
        {notice && (
          <div className="mp-notice" data-testid="machine-notice">
            {notice}
            <button type="button" className="btn-icon-text" aria-label="Dismiss" onClick={() => setNotice(null)}>
              ×
            </button>
          </div>
        )}
        {machine === null ? (
          <div className="kv-empty muted">Select a machine on the canvas or in the Machines list to see its sockets, processes, ports and log.</div>
        ) : !hasKernel ? (
          <SwitchView api={api} machine={machine} status={status} epoch={epoch} />
        ) : tab === 'log' ? (
          log ? <MachineLog view={log.view} onOpenServices={openServices} /> : null
        ) : !state ? (
          !snap?.error && <div className="kv-empty muted">Reading {machine}'s kernel state…</div>
        ) : tab === 'sockets' ? (
          <SocketTable state={state} lines={lines} highlight={highlight?.key ?? null} highlightSeq={highlight?.seq ?? 0} onSelect={(key) => setHighlight({ key, seq: highlight?.seq ?? 0 })} />
        ) : tab === 'processes' ? (
          <ProcessTable state={state} onShowSocket={onShowSocket} highlight={pidHighlight} />
        ) : (
          <PortMap state={state} onShowPort={onShowPort} />
        )}
      </div>
    </section>
  );
});
