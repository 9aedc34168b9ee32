// Messages under the toolbar: lost connection, a failed action, and a lab file's errors.
import type { Recovery } from '../../shared/api/contract';
import { formatLabError } from '../../shared/lab/types';
import type { ConnectionState } from '../api';
import { Icon } from './Icon';
import type { LabErrorsReport } from './use-lab';

export function ConnectionBanner(props: { connection: ConnectionState; missingToken: boolean; onRetry(): void }) {
  const { connection, missingToken } = props;
  if (connection.kind === 'open') return null;
  if (connection.kind === 'connecting' && connection.attempt <= 1 && !missingToken) return null;
  return (
    <div className="banner banner-warn" data-testid="connection-banner" role="alert">
      <span>
        {connection.kind === 'closed' ? 'Not connected to the lab host' : 'Reconnecting to the lab host…'}
        {connection.kind === 'closed' && connection.code ? ` (close code ${connection.code}${connection.reason ? `: ${connection.reason}` : ''})` : ''}
        {connection.kind === 'closed' ? ` — retrying in ${Math.ceil(connection.retryInMs / 1000)} s.` : ''}
        {missingToken && ' The page URL has no ?token= parameter: open the address `npm run web` printed.'}
      </span>
      {connection.kind === 'closed' && (
        <button type="button" className="btn btn-small" onClick={props.onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}

/** The previous session did not end cleanly: its autosaved lab can be opened again. */
export function RecoveryBanner(props: { recovery: Recovery | null; onChoose(choice: 'recover' | 'discard'): void }) {
  const r = props.recovery;
  if (!r) return null;
  const when = new Date(r.savedAtMs).toLocaleString();
  return (
    <div className="banner banner-warn" data-testid="recovery-banner" role="alert">
      <span>
        Packet Lab did not shut down cleanly last time. The lab <strong>{r.labName}</strong>, autosaved {when}, can be recovered.
      </span>
      <button type="button" className="btn btn-small btn-primary" data-testid="recovery-recover" onClick={() => props.onChoose('recover')}>
        Recover
      </button>
      <button type="button" className="btn btn-small" data-testid="recovery-discard" onClick={() => props.onChoose('discard')}>
        Discard
      </button>
    </div>
  );
}

export function ActionError(props: { message: string | null; onDismiss(): void }) {
  if (!props.message) return null;
  return (
    <div className="banner banner-error" data-testid="error-banner" role="alert">
      <span>{props.message}</span>
      <button type="button" className="btn btn-icon" aria-label="Dismiss" data-testid="error-dismiss" onClick={props.onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}

export function LabErrorsPanel(props: { report: LabErrorsReport | null; onDismiss(): void }) {
  const { report } = props;
  if (!report) return null;
  const n = report.errors.length;
  return (
    <section className="lab-errors" data-testid="lab-errors" role="alert" aria-label="Lab file errors">
      <div className="lab-errors-head">
        <strong>
          {report.fileName} was not opened: {n} problem{n === 1 ? '' : 's'}
        </strong>
        <button type="button" className="btn btn-icon" aria-label="Dismiss" data-testid="lab-errors-dismiss" onClick={props.onDismiss}>
          <Icon name="close" />
        </button>
      </div>
      <ul>
        {report.errors.map((e, i) => (
          <li key={i} data-testid="lab-error">
            {e.path && <code>{e.path}</code>}
            <span>{e.path ? `: ${e.message}` : formatLabError(e)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the lab just opened from the gallery teaches (its description), until dismissed. */
export function AboutLab(props: { text: string | null; onDismiss(): void }) {
  if (!props.text) return null;
  return (
    <div className="banner banner-info" data-testid="about-lab" role="note">
      <span>{props.text}</span>
      <button type="button" className="btn btn-icon" aria-label="Dismiss" onClick={props.onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}
