// A dot showing the transport state; details in its tooltip.
import type { ConnectionState } from '../api';

export function connectionText(c: ConnectionState): string {
  switch (c.kind) {
    case 'open':
      return 'Connected';
    case 'connecting':
      return c.attempt > 1 ? `Reconnecting (attempt ${c.attempt})…` : 'Connecting…';
    case 'closed':
      return `Disconnected${c.code ? ` (${c.code}${c.reason ? `: ${c.reason}` : ''})` : ''}`;
  }
}

export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  const text = connectionText(connection);
  return (
    <span className={`conn conn-${connection.kind}`} data-testid="connection" data-state={connection.kind} title={text} role="status" aria-label={text}>
      <span className="conn-dot" aria-hidden="true" />
    </span>
  );
}
