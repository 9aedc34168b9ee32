// Details + bytes of the selected frame, stacked with a splitter. Expansion is remembered across
// frames by field name, as Wireshark does.
import { memo, useCallback, useEffect, useState } from 'react';
import type { Delivery, LabApi, LabStatus, SentBy } from '../../shared/api';
import { Split } from '../layout/Split';
import { formatSeconds } from '../util/format';
import { DeliverySection } from './DeliverySection';
import { DetailTree } from './DetailTree';
import { clampRange } from './hex';
import { HexPane } from './HexPane';
import { ancestorKeys, deepestNodeAt, nodeAt, type NodePath } from './tree';
import { useFrameDetail } from './use-frame-detail';

export interface FrameInspectorProps {
  api: LabApi;
  selectedNo: number | null;
  status: LabStatus | null;
  /** The delivery's socket was clicked: show it in its machine's socket table. */
  onShowSocket(d: Delivery): void;
  /** The sending process was clicked: show it in its machine's process table. */
  onShowProcess(machine: string, pid: number): void;
}

export const FrameInspector = memo(function FrameInspector(props: FrameInspectorProps) {
  const frame = useFrameDetail(props.api, props.selectedNo);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [selPath, setSelPath] = useState<NodePath | null>(null);

  useEffect(() => setSelPath(null), [props.selectedNo]);

  const tree = frame?.detail?.tree ?? [];
  const bytes = frame?.bytes ?? EMPTY;
  const node = selPath ? nodeAt(tree, selPath) : undefined;
  const range = clampRange(node?.range, bytes.length);

  const onToggle = useCallback((key: string, open: boolean) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);

  const onByteClick = useCallback(
    (offset: number) => {
      const path = deepestNodeAt(tree, offset);
      if (!path) return;
      const keys = ancestorKeys(tree, path);
      setExpanded((prev) => (keys.every((k) => prev.has(k)) ? prev : new Set([...prev, ...keys])));
      setSelPath(path);
    },
    [tree],
  );

  const row = frame?.detail?.row;
  return (
    <Split direction="column" initial={0.66} storageKey="inspector-details" minFirst={90} minSecond={60} label="Resize details and bytes">
      <section className="pane" aria-label="Packet details">
        <div className="pane-title">
          {row ? (
            <>
              Frame {row.no}: {row.length} bytes · {row.machine}:{row.nic} {row.dir} · {formatSeconds(row.timeNs)} s
            </>
          ) : (
            'Details'
          )}
        </div>
        <div className="details-body">
          {frame?.error ? (
            <div className="pad muted details-msg">{frame.error}</div>
          ) : props.selectedNo === null ? (
            <div className="pad muted details-msg">Select a packet to see its fields.</div>
          ) : (
            <DetailTree tree={tree} expanded={expanded} selected={selPath} onSelect={setSelPath} onToggle={onToggle} />
          )}
          {props.selectedNo !== null && frame?.detail?.sentBy && <SentByLine sentBy={frame.detail.sentBy} onShowProcess={props.onShowProcess} />}
          {props.selectedNo !== null && <DeliverySection api={props.api} selectedNo={props.selectedNo} status={props.status} onShowSocket={props.onShowSocket} />}
        </div>
      </section>
      <section className="pane" aria-label="Packet bytes">
        <div className="pane-title">
          Bytes{range ? ` · ${range[0]}–${range[1] - 1} (${range[1] - range[0]} byte${range[1] - range[0] === 1 ? '' : 's'})` : ''}
        </div>
        <HexPane bytes={bytes} range={range} onByteClick={onByteClick} />
      </section>
    </Split>
  );
});

const EMPTY = new Uint8Array(0);

/** The syscall that put the frame on the wire, and a way to its process. */
function SentByLine({ sentBy, onShowProcess }: { sentBy: SentBy; onShowProcess(machine: string, pid: number): void }) {
  return (
    <div className="sent-by" data-testid="sent-by">
      <span className="fact-name">Sent by</span> <code>{sentBy.call}</code> in{' '}
      <button type="button" className="link-button" data-testid="sent-by-process" title={`Show ${sentBy.process} in ${sentBy.machine}'s process table`} onClick={() => onShowProcess(sentBy.machine, sentBy.pid)}>
        {sentBy.process} (pid {sentBy.pid})
      </button>{' '}
      on <b>{sentBy.machine}</b> <span className="muted">at {formatSeconds(sentBy.atNs)} s</span>
    </div>
  );
}
