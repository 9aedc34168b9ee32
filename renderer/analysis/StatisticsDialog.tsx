// Conversations and Endpoints (Wireshark's Statistics menu): Ethernet, IPv4, TCP and UDP tabs,
// sortable columns, and per row: show it in the packet list, or (TCP) follow it / draw its flow.
import { useMemo, useState } from 'react';
import { CONV_KINDS, type ConvKind } from '../../shared/analysis/conversations';
import type { LabApi, LabStatus, TrafficStats } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { Modal } from '../layout/Modal';
import { useStatusRefresh, useTraceStatus } from '../machine/use-status-refresh';
import { sortRows, statsColumns, statsRows, type StatsView } from './stats-table';

const KIND_NAMES: Record<ConvKind, string> = { eth: 'Ethernet', ip: 'IPv4', tcp: 'TCP', udp: 'UDP' };

export interface StatisticsDialogProps {
  api: LabApi;
  status: LabStatus | null;
  /** Changes when the trace starts over (another lab, an import), which the frame counts alone may not show. */
  epoch: number;
  initialView: StatsView;
  onFilter(filter: string): void;
  onFollowStream(stream: number): void;
  onFlowGraph(stream: number): void;
  onClose(): void;
}

export function StatisticsDialog(props: StatisticsDialogProps) {
  const { api, epoch } = props;
  const [view, setView] = useState<StatsView>(props.initialView);
  const [kind, setKind] = useState<ConvKind>('tcp');
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const [stats, setStats] = useState<TrafficStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  const traceStatus = useTraceStatus(props.status);
  // Re-read as frames arrive, at most 4 times a second (the backend only scans the new frames).
  useStatusRefresh(
    (live) => () =>
      api.trafficStats().then(
        (s) => {
          if (!live()) return;
          setStats(s);
          setError(null);
        },
        (e: unknown) => void (live() && setError(cleanErrorMessage(e))),
      ),
    traceStatus,
    [api, epoch],
  );

  const columns = statsColumns(view, kind);
  const rows = useMemo(() => {
    const r = stats ? statsRows(stats, view, kind) : [];
    return sort ? sortRows(r, sort.column, sort.descending) : r;
  }, [stats, view, kind, sort]);

  return (
    <Modal title={view === 'conversations' ? 'Conversations' : 'Endpoints'} testId="stats-dialog" className="stats-dialog" onClose={props.onClose}>
      <div className="stats-bar" role="tablist" aria-label="Table">
        {(['conversations', 'endpoints'] as const).map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'tab active' : 'tab'} data-testid={`stats-view-${v}`} onClick={() => { setView(v); setSort(null); }}>
            {v === 'conversations' ? 'Conversations' : 'Endpoints'}
          </button>
        ))}
        <span className="spacer" />
        {CONV_KINDS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} className={kind === k ? 'tab active' : 'tab'} data-testid={`stats-kind-${k}`} onClick={() => { setKind(k); setSort(null); }}>
            {KIND_NAMES[k]} · {stats ? (view === 'conversations' ? stats.conversations[k].length : stats.endpoints[k].length) : '…'}
          </button>
        ))}
      </div>
      {error && <div className="mp-error pad">{error}</div>}
      <table className="kv-table stats-table" data-testid="stats-table">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th
                key={c.title}
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort((s) => ({ column: i, descending: s?.column === i ? !s.descending : c.numeric }))}
                title="Sort"
              >
                {c.title}
                {sort?.column === i ? (sort.descending ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {r.cells.map((v, i) => (
                <td key={i} className={columns[i]!.numeric ? 'num' : 'mono'}>
                  {v}
                </td>
              ))}
              <td className="stats-actions">
                <button type="button" className="btn btn-small" title={r.filter} onClick={() => props.onFilter(r.filter)}>
                  Filter
                </button>
                {r.stream !== undefined && (
                  <>
                    <button type="button" className="btn btn-small" onClick={() => props.onFollowStream(r.stream!)}>
                      Follow
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => props.onFlowGraph(r.stream!)}>
                      Flow
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {stats && rows.length === 0 && (
            <tr>
              <td colSpan={columns.length + 1} className="muted">
                No {KIND_NAMES[kind]} {view} yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </Modal>
  );
}
