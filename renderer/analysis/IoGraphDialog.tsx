// The I/O graph (Wireshark's Statistics -> I/O Graph): frames or bytes per interval over lab time,
// every frame as a line and the display filter's frames as bars; saves as SVG.
import { useMemo, useState } from 'react';
import { IO_INTERVALS_NS } from '../../shared/analysis/io-graph';
import type { IoGraph, LabApi, LabStatus } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { Modal } from '../layout/Modal';
import { useStatusRefresh, useTraceStatus } from '../machine/use-status-refresh';
import { downloadBlob } from '../util/download';
import { intervalName, ioSvg, type IoUnit } from './io-svg';

/** `epoch`: changes when the trace starts over (another lab, an import), which the frame counts alone may not show. */
export function IoGraphDialog(props: { api: LabApi; status: LabStatus | null; epoch: number; filter: string; onClose(): void }) {
  const { api, filter, epoch } = props;
  const [intervalNs, setIntervalNs] = useState<number>(1e9);
  const [unit, setUnit] = useState<IoUnit>('frames');
  const [graph, setGraph] = useState<IoGraph | null>(null);
  const [error, setError] = useState<string | null>(null);

  const traceStatus = useTraceStatus(props.status);
  // Drawn again as frames arrive, at most 4 times a second, and when the interval or filter changes.
  useStatusRefresh(
    (live) => () =>
      api.ioGraph({ intervalNs, ...(filter ? { filter } : {}) }).then(
        (g) => {
          if (!live()) return;
          setGraph(g);
          setError(null);
        },
        (e: unknown) => {
          if (!live()) return;
          setGraph(null);
          setError(cleanErrorMessage(e));
        },
      ),
    traceStatus,
    [api, intervalNs, filter, epoch],
  );

  const drawn = useMemo(() => (graph ? ioSvg(graph, unit, filter) : null), [graph, unit, filter]);
  return (
    <Modal
      title="I/O graph"
      testId="io-dialog"
      className="io-dialog"
      onClose={props.onClose}
      actions={
        <button type="button" className="btn" data-testid="io-save-svg" disabled={!drawn} onClick={() => drawn && downloadBlob(drawn.svg, 'io-graph.svg', 'image/svg+xml')}>
          Save SVG
        </button>
      }
    >
      <div className="flow-bar">
        <label>
          Interval{' '}
          <select data-testid="io-interval" value={intervalNs} onChange={(e) => setIntervalNs(Number(e.target.value))}>
            {IO_INTERVALS_NS.map((n) => (
              <option key={n} value={n}>
                {intervalName(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Y axis{' '}
          <select data-testid="io-unit" value={unit} onChange={(e) => setUnit(e.target.value as IoUnit)}>
            <option value="frames">Frames</option>
            <option value="bytes">Bytes</option>
          </select>
        </label>
        <span className="muted">{filter ? `Bars: the display filter (${filter}). Each frame counts once, at the point where it was first seen.` : 'Each frame counts once. Apply a display filter to see its frames as bars.'}</span>
      </div>
      {error && <div className="mp-error pad">{error}</div>}
      {drawn && <div className="flow-canvas" data-testid="io-svg" dangerouslySetInnerHTML={{ __html: drawn.svg }} />}
    </Modal>
  );
}
