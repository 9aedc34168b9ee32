// The flow graph (Wireshark's Statistics -> Flow Graph): one TCP stream, what the display filter
// shows, or every frame, as a sequence diagram. Clicking an arrow selects its frame; the diagram
// saves as SVG or PNG.
import { useEffect, useMemo, useState } from 'react';
import { FLOW_MAX_ITEMS, type FlowGraph, type FlowQuery, type LabApi } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { Modal } from '../layout/Modal';
import { downloadBlob } from '../util/download';
import { flowSvg } from './flow-svg';

export type FlowScope = { kind: 'stream'; stream: number } | { kind: 'displayed' } | { kind: 'all' };

export interface FlowGraphDialogProps {
  api: LabApi;
  scope: FlowScope;
  /** The packet list's display filter ('' for none): the 'displayed' scope's frames. */
  filter: string;
  selectedNo: number | null;
  onScope(scope: FlowScope): void;
  onSelectFrame(no: number): void;
  onClose(): void;
}

function query(scope: FlowScope, filter: string): FlowQuery {
  if (scope.kind === 'stream') return { stream: scope.stream };
  if (scope.kind === 'displayed' && filter.trim() !== '') return { filter };
  return {};
}

export function FlowGraphDialog(props: FlowGraphDialogProps) {
  const { api, scope, filter } = props;
  const [graph, setGraph] = useState<FlowGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query(scope, filter));

  useEffect(() => {
    let live = true;
    setGraph(null);
    setError(null);
    api.flowGraph(JSON.parse(key) as FlowQuery).then(
      (g) => live && setGraph(g),
      (e: unknown) => live && setError(cleanErrorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, key]);

  const drawn = useMemo(() => (graph ? flowSvg(graph, props.selectedNo) : null), [graph, props.selectedNo]);
  const name = scope.kind === 'stream' ? `flow-tcp-stream-${scope.stream}` : scope.kind === 'displayed' ? 'flow-displayed' : 'flow-all';

  const savePng = () => {
    if (!drawn) return;
    const img = new Image();
    const url = URL.createObjectURL(new Blob([drawn.svg], { type: 'image/svg+xml' }));
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = drawn.width * 2;
      canvas.height = drawn.height * 2;
      const ctx = canvas.getContext('2d')!;
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? downloadBlob(b, `${name}.png`, 'image/png') : setError('The flow graph could not be drawn as PNG (the canvas gave no image); Save SVG still works.')), 'image/png');
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      setError('The flow graph could not be drawn as PNG (the browser could not load its SVG); Save SVG still works.');
    };
    img.src = url;
  };

  const title = scope.kind === 'stream' ? `Flow graph: tcp.stream eq ${scope.stream}` : scope.kind === 'displayed' ? 'Flow graph: displayed frames' : 'Flow graph: all frames';
  return (
    <Modal
      title={title}
      testId="flow-dialog"
      className="flow-dialog"
      onClose={props.onClose}
      actions={
        <>
          <button type="button" className="btn" data-testid="flow-save-svg" disabled={!drawn} onClick={() => drawn && downloadBlob(drawn.svg, `${name}.svg`, 'image/svg+xml')}>
            Save SVG
          </button>
          <button type="button" className="btn" data-testid="flow-save-png" disabled={!drawn} onClick={savePng}>
            Save PNG
          </button>
        </>
      }
    >
      <div className="flow-bar">
        <label>
          Frames{' '}
          <select
            data-testid="flow-scope"
            value={scope.kind}
            onChange={(e) => {
              const k = e.target.value;
              if (k === 'all' || k === 'displayed') props.onScope({ kind: k });
            }}
          >
            {scope.kind === 'stream' && <option value="stream">TCP stream {scope.stream}</option>}
            <option value="displayed" disabled={filter.trim() === ''}>
              Displayed{filter.trim() ? ` (${filter}), each frame once` : ' (no filter applied)'}
            </option>
            <option value="all">All frames</option>
          </select>
        </label>
        {graph && (
          <span className="muted" data-testid="flow-count">
            {graph.items.length < graph.total ? `the first ${graph.items.length} of ${graph.total} frames (at most ${FLOW_MAX_ITEMS})` : `${graph.total} frames`}
          </span>
        )}
      </div>
      {error && <div className="mp-error pad">{error}</div>}
      {!graph && !error && <div className="pad muted">Drawing…</div>}
      {drawn && (
        <div
          className="flow-canvas"
          data-testid="flow-svg"
          onClick={(e) => {
            const row = (e.target as Element).closest('g.flow-row');
            const no = Number(row?.getAttribute('data-no'));
            if (no > 0) props.onSelectFrame(no);
          }}
          // The markup is ours (flow-svg.ts escapes every text it draws).
          dangerouslySetInnerHTML={{ __html: drawn.svg }}
        />
      )}
    </Modal>
  );
}
