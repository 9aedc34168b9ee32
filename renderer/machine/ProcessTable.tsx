// The process table (`ps -H` with each process's /proc/<pid>/fd underneath). Open-file
// descriptions held by more than one fd (fork, dup, fd passing) get a colour badge and a legend.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { MachineState } from '../../shared/api';
import { formatSeconds } from '../util/format';
import { commandLine, processForest, processStateText, processStateTitle, sharedDescriptions, sortedFds, startsExpanded, type SharedDescription } from './processes';

export interface ProcessTableProps {
  state: MachineState;
  /** Show the socket behind an fd in the socket table. */
  onShowSocket(inode: number): void;
  /** A process to point at (the sender of a frame): marked and scrolled into view. */
  highlight?: { pid: number; seq: number } | null;
}

export const ProcessTable = memo(function ProcessTable({ state, onShowSocket, highlight }: ProcessTableProps) {
  const tableRef = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (highlight) tableRef.current?.querySelector(`tr[data-pid="${highlight.pid}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [highlight]);
  const lines = useMemo(() => processForest(state.processes), [state.processes]);
  const shared = useMemo(() => sharedDescriptions(state.processes), [state.processes]);
  const [toggled, setToggled] = useState<ReadonlyMap<number, boolean>>(() => new Map());

  if (lines.length === 0) {
    return (
      <div className="kv-empty muted" data-testid="process-table">
        No processes on {state.machine}.
      </div>
    );
  }

  const toggle = (pid: number, open: boolean) => setToggled((prev) => new Map(prev).set(pid, open));
  const sharedSockets = [...shared.values()].filter((s) => s.socket);
  const sharedOther = [...shared.values()].filter((s) => !s.socket);

  return (
    <div className="kv-scroll">
      <table className="kv-table process-table" data-testid="process-table" ref={tableRef}>
        <thead>
          <tr>
            <th className="c-pid">PID</th>
            <th className="c-pid">PPID</th>
            <th className="c-cmd">Command</th>
            <th className="c-pstate">State</th>
            <th className="c-started">Started</th>
          </tr>
        </thead>
        <tbody>
          {lines.map(({ row, depth }) => {
            const open = toggled.get(row.pid) ?? startsExpanded(row);
            const out = [
              <tr
                key={`p${row.pid}`}
                className={`proc-row${open ? ' open' : ''}${row.state === 'Z' ? ' zombie' : ''}${highlight?.pid === row.pid ? ' highlight' : ''}`}
                data-testid="process-row"
                data-pid={row.pid}
                aria-expanded={row.fds.length > 0 ? open : undefined}
                onClick={() => toggle(row.pid, !open)}
              >
                <td className="c-pid">
                  <span className={row.fds.length > 0 ? (open ? 'twisty open' : 'twisty') : 'twisty none'} aria-hidden="true" />
                  {row.pid}
                </td>
                <td className="c-pid">{row.ppid}</td>
                <td className="c-cmd" title={commandLine(row)}>
                  <span style={{ paddingLeft: depth * 14 }}>
                    {depth > 0 && <span className="tree-branch" aria-hidden="true">└ </span>}
                    <b>{row.name}</b>
                    {row.argv.length > 1 && <span className="argv"> {row.argv.slice(1).join(' ')}</span>}
                  </span>
                </td>
                <td className="c-pstate" title={processStateTitle(row)}>
                  <span className={`pstate ps-${row.state}`}>{processStateText(row)}</span>
                </td>
                <td className="c-started">{formatSeconds(row.startedNs)} s</td>
              </tr>,
            ];
            if (open) {
              for (const f of sortedFds(row.fds)) {
                const sd = shared.get(f.description);
                out.push(
                  <tr key={`p${row.pid}fd${f.fd}`} className="fd-row" data-testid="fd-row" data-fd={f.fd} data-description={f.description} data-pid={row.pid}>
                    <td className="c-pid" />
                    <td className="c-fd">
                      fd {f.fd}
                    </td>
                    <td colSpan={3} className="c-fdlabel">
                      <span className="fd-arrow" aria-hidden="true">
                        →{' '}
                      </span>
                      {f.inode !== undefined && f.label.startsWith('socket:') ? (
                        <button type="button" className="link-btn mono" title="Show this socket in the Sockets tab" onClick={() => onShowSocket(f.inode!)}>
                          {f.label}
                        </button>
                      ) : (
                        <span className="mono">{f.label}</span>
                      )}
                      {sd ? <DescBadge sd={sd} /> : <span className="desc-id muted" title={`Open-file description ${f.description}, this fd only`}>#{f.description}</span>}
                      {sd?.socket && <span className="desc-legend">{sd.legend}</span>}
                    </td>
                  </tr>,
                );
              }
            }
            return out;
          })}
        </tbody>
      </table>
      {shared.size > 0 && (
        <div className="desc-legend-box" data-testid="shared-legend">
          <div className="desc-legend-title">Shared open-file descriptions</div>
          {[...sharedSockets, ...sharedOther].map((sd) => (
            <div key={sd.id} className="desc-legend-line">
              <DescBadge sd={sd} /> <span className="mono">{sd.label}</span> <span className="muted">{sd.legend}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

function DescBadge({ sd }: { sd: SharedDescription }) {
  return (
    <span
      className={`desc-badge desc-c${sd.colour}${sd.socket ? '' : ' soft'}`}
      data-testid="desc-badge"
      title={`Open-file description ${sd.id} (${sd.label}), ${sd.legend}: one file, one offset and one reference count; the socket closes when the last fd goes.`}
    >
      #{sd.id}
    </span>
  );
}
