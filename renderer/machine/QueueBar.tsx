// One listen queue (SYN or accept) as a fill bar against its limit: a slot per entry when the
// backlog is small (the +1 slot Linux allows beyond the backlog drawn dashed), else a plain bar.
import type { QueueGauge } from './sockets';

export function QueueBar({ gauge }: { gauge: QueueGauge }) {
  const { which, length, capacity, backlog, full, slots } = gauge;
  return (
    <div
      className={`queue-bar queue-${which}${full ? ' full' : ''}`}
      data-testid={`queue-bar-${which}`}
      data-length={length}
      data-backlog={backlog}
      data-capacity={capacity}
      data-full={full}
      title={gauge.title}
      role="meter"
      aria-label={gauge.label}
      aria-valuenow={length}
      aria-valuemin={0}
      aria-valuemax={capacity}
    >
      {slots ? (
        <span className="queue-slots" aria-hidden="true">
          {slots.map((s, i) => (
            <span key={i} className={`queue-slot ${s}`} />
          ))}
        </span>
      ) : (
        <span className="queue-track" aria-hidden="true">
          <span className="queue-fill" style={{ width: `${gauge.fill * 100}%` }} />
          <span className="queue-tick" style={{ left: `${(backlog / capacity) * 100}%` }} />
        </span>
      )}
      <span className="queue-label">
        {which === 'syn' ? 'SYN queue' : 'accept queue'} <b>{length}</b> / backlog {backlog} <span className="muted">(holds {capacity})</span>
        {full && <span className="queue-full-tag">full</span>}
      </span>
    </div>
  );
}
