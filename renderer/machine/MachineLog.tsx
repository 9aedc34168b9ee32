// The Log tab: what the machine's daemons logged through syslog (connections, logins, commands,
// errors), oldest first, with the lab time of each line. Follows new lines while scrolled to the end.
import { memo, useLayoutEffect, useRef } from 'react';
import { formatSeconds } from '../util/format';
import { droppedLines, splitLogText, type LogView } from './machine-log';

export interface MachineLogProps {
  view: LogView;
  /** Open the machine's Services dialog (to start something that will log). */
  onOpenServices?(): void;
}

/** Within this many pixels of the end counts as "at the end" (keep following). */
const FOLLOW_SLACK_PX = 24;

export const MachineLog = memo(function MachineLog({ view, onOpenServices }: MachineLogProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [view]);

  if (view.lines.length === 0) {
    return (
      <div className="kv-empty muted" data-testid="machine-log">
        Nothing logged on {view.machine} yet. Daemons log connections, logins, commands and errors here once they run
        {onOpenServices ? (
          <>
            {' '}(start one from{' '}
            <button type="button" className="link-button" data-testid="log-open-services" onClick={onOpenServices}>
              Services…
            </button>
            ).
          </>
        ) : (
          '.'
        )}
      </div>
    );
  }

  const dropped = droppedLines(view);
  return (
    <div
      className="kv-scroll"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK_PX;
      }}
    >
      {dropped > 0 && (
        <div className="log-dropped muted">
          {dropped} older line{dropped === 1 ? '' : 's'} not shown (the trace keeps them all).
        </div>
      )}
      <table className="kv-table log-table" data-testid="machine-log">
        <thead>
          <tr>
            <th className="c-time">Time (s)</th>
            <th className="c-tag">Program</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((l, i) => {
            const p = splitLogText(l.text);
            return (
              <tr key={dropped + i} className="log-row" data-testid="log-line" title={l.text}>
                <td className="c-time mono">{formatSeconds(l.timeNs)}</td>
                <td className="c-tag mono">{p.tag !== undefined ? `${p.tag}[${p.pid}]` : ''}</td>
                <td className="c-msg mono">{p.message}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
