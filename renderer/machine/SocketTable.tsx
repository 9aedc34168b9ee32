// The socket table (`ss -tuanpo` as a tree): each listener with its queues and, under it, the
// request socks and children that share its local port (told apart by their peers).
import { memo, useEffect, useRef } from 'react';
import type { MachineState } from '../../shared/api';
import { formatIpv4 } from '../../shared/wire';
import { localEndpoint, ownersText, peerEndpoint, ssState, timerText } from './kernel-format';
import { QueueBar } from './QueueBar';
import type { SocketLine } from './sockets';

export interface SocketTableProps {
  state: MachineState;
  lines: SocketLine[];
  /** Key of the highlighted line (from a delivery, a port or a click). */
  highlight: string | null;
  /** Bumped on each new highlight request: scrolls the line into view again. */
  highlightSeq: number;
  onSelect(key: string): void;
}

const STAGE_TAG = {
  syn: { text: 'in SYN queue', title: 'A request sock: SYN received, SYN-ACK sent, waiting for the final ACK. It is not a file: no process can hold it.' },
  accept: { text: 'queued, not accepted', title: 'In the accept queue: a full socket, but no process has accept()ed it yet, so no fd refers to it.' },
  accepted: null,
} as const;

export const SocketTable = memo(function SocketTable(props: SocketTableProps) {
  const { state, lines, highlight, highlightSeq, onSelect } = props;
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!highlight) return;
    const row = [...(ref.current?.querySelectorAll<HTMLElement>('[data-testid="socket-row"]') ?? [])].find((el) => el.dataset.key === highlight);
    row?.scrollIntoView({ block: 'nearest' });
  }, [highlight, highlightSeq, lines]);

  if (lines.length === 0) {
    return (
      <div className="kv-empty muted" data-testid="socket-table">
        No sockets on {state.machine}. Start a program that opens one in a console (for example <code>ping 10.0.0.10</code>).
      </div>
    );
  }

  return (
    <div className="kv-scroll" ref={ref}>
      <table className="kv-table socket-table" data-testid="socket-table">
        <thead>
          <tr>
            <th className="c-proto">Proto</th>
            <th className="c-state">State</th>
            <th className="c-num" title="LISTEN: accept-queue length. Others: bytes received, not yet read.">
              Recv-Q
            </th>
            <th className="c-num" title="LISTEN: backlog. Others: bytes sent, not yet acknowledged.">
              Send-Q
            </th>
            <th className="c-addr">Local</th>
            <th className="c-addr">Peer</th>
            <th className="c-owners">Owners</th>
            <th className="c-timer">Timer</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <SocketRowView key={l.key} line={l} nowNs={state.timeNs} highlighted={l.key === highlight} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
    </div>
  );
});

function SocketRowView({ line, nowNs, highlighted, onSelect }: { line: SocketLine; nowNs: number; highlighted: boolean; onSelect(key: string): void }) {
  const { row, depth, stage, listener } = line;
  const tw = row.kind === 'timewait';
  const cls = ['sock-row', `d${depth}`, tw ? 'tw' : '', row.kind === 'request' ? 'req' : '', listener ? 'listener' : '', row.queued ? 'queued' : '', highlighted ? 'highlight' : '']
    .filter(Boolean)
    .join(' ');
  const tag = stage ? STAGE_TAG[stage] : null;
  const rows = [
    <tr
      key="row"
      className={cls}
      data-testid="socket-row"
      data-key={line.key}
      data-inode={row.inode}
      data-state={row.state}
      data-kind={row.kind}
      data-queued={row.queued ? 'true' : undefined}
      aria-selected={highlighted}
      onClick={() => onSelect(line.key)}
    >
      <td className="c-proto">{row.proto}</td>
      <td className="c-state" title={row.state}>
        <span className={`state-pill st-${row.state.toLowerCase()}`}>{ssState(row.state)}</span>
      </td>
      <td className="c-num">{row.recvQ}</td>
      <td className="c-num">{row.sendQ}</td>
      <td className="c-addr">
        {depth === 1 ? (
          <span className="child-local" title={`Same local port as its listener (${localEndpoint(row)}): the peer tells the connections apart.`}>
            <span className="tree-branch" aria-hidden="true">
              {line.lastChild ? '└' : '├'}
            </span>
            <span className="addr-dim">{formatIpv4(row.localAddr >>> 0)}:</span>
            <span className="port-shared">{row.localPort}</span>
          </span>
        ) : listener ? (
          <span>
            {formatIpv4(row.localAddr >>> 0)}:<span className="port-shared">{row.localPort}</span>
          </span>
        ) : (
          localEndpoint(row)
        )}
      </td>
      <td className={depth === 1 ? 'c-addr peer-distinct' : 'c-addr'}>{peerEndpoint(row)}</td>
      <td className="c-owners" title={ownersText(row.owners)}>
        {row.owners.length > 0 ? (
          ownersText(row.owners)
        ) : tag ? (
          <span className={`stage-tag stage-${stage}`} title={tag.title}>
            {tag.text}
          </span>
        ) : (
          <span className="muted" title={row.kind === 'socket' ? 'No process holds it (not accept()ed yet, or closed)' : 'Kernel-only entry: no file, no fd'}>
            —
          </span>
        )}
      </td>
      <td className="c-timer">{timerText(row.timer, nowNs)}</td>
    </tr>,
  ];
  if (listener) {
    rows.push(
      <tr key="queues" className={`queue-row${highlighted ? ' highlight' : ''}`}>
        <td />
        <td colSpan={7}>
          <div className="queue-bars">
            <QueueBar gauge={listener.syn} />
            <QueueBar gauge={listener.accept} />
          </div>
        </td>
      </tr>,
    );
  }
  return <>{rows}</>;
}
