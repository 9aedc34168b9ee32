// The top toolbar: file actions, run control, speed, virtual clock, lab name, capture export.
import { memo, useState } from 'react';
import { CAPTURE_ACCEPT, type ExportFormat, type LabStatus, type Speed, type StepUnit } from '../../shared/api/contract';
import { Icon } from '../app/Icon';
import { SPEED_OPTIONS, speedLabel, speedToValue, valueToSpeed } from './speed';
import { formatClock } from '../util/format';
import { ConnectionBadge } from './ConnectionBadge';
import { OpenFileButton } from './OpenFileButton';
import { RecentMenu } from './RecentMenu';
import type { RecentLab } from '../files/recent';
import type { ConnectionState } from '../api';

export interface ToolbarProps {
  status: LabStatus | null;
  connection: ConnectionState;
  /** The lab has edits that are not in a saved file. */
  dirty: boolean;
  onNew(): void;
  onExamples(): void;
  onOpenFile(file: File): void;
  /** A pcap/pcapng file to open in the inspector. */
  onImportCapture(file: File): void;
  /** The desktop: Capture opens main's file dialog instead of the page's file picker. */
  onPickCapture?: () => void;
  onSave(): void;
  onSaveAs(): void;
  recent: RecentLab[];
  onOpenRecent(entry: RecentLab): void;
  onToggleRun(): void;
  onStep(unit: StepUnit): void;
  onReset(): void;
  onSpeed(speed: Speed): void;
  /** Export the trace; with a filter or capture point, what the packet list shows. */
  onExport(format: ExportFormat, displayedOnly: boolean): void;
  /** The packet list shows a filter's or a capture point's selection (then export can take just that). */
  narrowed: string;
}

export const Toolbar = memo(function Toolbar(props: ToolbarProps) {
  const { status, connection } = props;
  const ready = status !== null && connection.kind === 'open';
  const running = status?.running ?? false;
  const speedValue = status ? speedToValue(status.speed) : '1';
  const [displayedOnly, setDisplayedOnly] = useState(true);
  const displayed = props.narrowed !== '' && displayedOnly;
  const scope = displayed ? `what the packet list shows (${props.narrowed})` : 'the whole capture';
  const options: string[] = [...SPEED_OPTIONS];
  if (!options.includes(speedValue)) options.splice(options.length - 1, 0, speedValue);

  return (
    <header className="toolbar" data-testid="toolbar" role="toolbar" aria-label="Lab controls">
      <span className="brand" aria-hidden="true">
        Packet Lab
      </span>
      <div className="tool-group">
        <button type="button" className="btn" data-testid="btn-new" disabled={connection.kind !== 'open'} onClick={props.onNew} title="Start an empty lab to build with the palette">
          New
        </button>
        <button type="button" className="btn" data-testid="btn-examples" disabled={connection.kind !== 'open'} onClick={props.onExamples} title="Open a ready lab that teaches one topic">
          Examples
        </button>
        <OpenFileButton
          label="Open"
          title="Open a lab file (*.lab.json)"
          accept=".json,application/json"
          testId="btn-open"
          inputTestId="file-open-input"
          inputLabel="Lab file"
          disabled={connection.kind !== 'open'}
          onFile={props.onOpenFile}
        />
        <OpenFileButton
          label="Capture"
          title="Open a capture in the packet list: pcap or pcapng (tcpdump, Wireshark), or a Packet Lab trace (.sqlite, with its kernel records)"
          accept={CAPTURE_ACCEPT}
          testId="btn-import"
          inputTestId="capture-open-input"
          inputLabel="Capture file"
          disabled={connection.kind !== 'open'}
          onFile={props.onImportCapture}
          onPick={props.onPickCapture}
        />
        <RecentMenu recent={props.recent} disabled={connection.kind !== 'open'} onOpen={props.onOpenRecent} />
        <button type="button" className="btn" data-testid="btn-save" disabled={!ready} onClick={props.onSave} title="Save the lab (positions included) to its file (Ctrl+S)">
          <Icon name="save" />
          Save
        </button>
        <button type="button" className="btn" data-testid="btn-save-as" disabled={!ready} onClick={props.onSaveAs} title="Save the lab under another file name (Ctrl+Shift+S)">
          Save as…
        </button>
      </div>
      <div className="tool-group">
        <button
          type="button"
          className={running ? 'btn btn-primary is-running' : 'btn btn-primary'}
          data-testid="btn-run"
          disabled={!ready}
          aria-pressed={running}
          onClick={props.onToggleRun}
          title={running ? 'Pause virtual time' : 'Run virtual time'}
        >
          <Icon name={running ? 'pause' : 'run'} filled={!running} />
          {running ? 'Pause' : 'Run'}
        </button>
        <button type="button" className="btn" data-testid="btn-step" disabled={!ready || running} onClick={() => props.onStep('frame')} title="Run on until the next frame is sent, received or dropped somewhere (it is drawn on its link)">
          <Icon name="step" />
          Step
        </button>
        <button type="button" className="btn btn-small" data-testid="btn-step-event" disabled={!ready || running} onClick={() => props.onStep('event')} title="Process only the next event (a timer, a process waking up, a frame arriving...)">
          +1 event
        </button>
        <button type="button" className="btn" data-testid="btn-reset" disabled={!ready} onClick={props.onReset} title="Restart the lab at time 0 with an empty trace">
          <Icon name="reset" />
          Reset
        </button>
        <label className="speed">
          <span className="visually-hidden">Speed</span>
          <select data-testid="speed-select" title="Real time x factor. Slow (0.01x and below): frames are drawn on the links and idle time is skipped" disabled={!ready} value={speedValue} onChange={(e) => props.onSpeed(valueToSpeed(e.target.value))}>
            {options.map((v) => (
              <option key={v} value={v}>
                {speedLabel(v)}
              </option>
            ))}
          </select>
        </label>
        <output className="clock" data-testid="clock" aria-label="Virtual time" aria-live="off">
          {formatClock(status?.timeNs ?? 0)}
        </output>
      </div>
      <div className="lab-name" data-testid="lab-name" title={props.dirty ? `${status?.labName ?? ''}: changed since it was opened or saved` : status?.labName}>
        {status?.labName ?? ''}
        {props.dirty && (
          <span className="dirty-mark" data-testid="dirty-mark" aria-label="unsaved changes">
            {' '}•
          </span>
        )}
      </div>
      <div className="tool-group" role="group" aria-label="Export capture">
        <button type="button" className="btn" data-testid="btn-export-pcapng" disabled={!ready} onClick={() => props.onExport('pcapng', displayed)} title={`Export ${scope} as pcapng (one interface per NIC, the kernel's notes as packet comments)`}>
          <Icon name="download" />
          pcapng
        </button>
        <button type="button" className="btn" data-testid="btn-export-pcap" disabled={!ready} onClick={() => props.onExport('pcap', displayed)} title={`Export ${scope} as classic pcap`}>
          <Icon name="download" />
          pcap
        </button>
        <select
          className="export-list"
          data-testid="export-list"
          disabled={!ready}
          value=""
          aria-label="Export the packet list"
          title={`Export the packet list of ${scope} as text`}
          onChange={(e) => {
            const f = e.target.value;
            if (f === 'csv' || f === 'json') props.onExport(f, displayed);
          }}
        >
          <option value="">list…</option>
          <option value="csv">CSV</option>
          <option value="json">JSON</option>
        </select>
        {props.narrowed && (
          <label className="export-displayed" title="Export only what the packet list shows (its display filter and capture point)">
            <input type="checkbox" data-testid="export-displayed" checked={displayedOnly} onChange={(e) => setDisplayedOnly(e.target.checked)} />
            displayed only
          </label>
        )}
        <ConnectionBadge connection={connection} />
      </div>
    </header>
  );
});
