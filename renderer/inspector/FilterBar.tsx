// The display filter bar above the packet list (Wireshark's): typed text is checked as you type
// (green when valid, red with the reason and its place when not); Enter applies a valid filter,
// Esc or the clear button removes it. Nothing is applied while the text is invalid.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { parseFilter } from '../../shared/filter/parser';

export function FilterBar(props: { applied: string; onApply(filter: string): void; children?: ReactNode }) {
  const [text, setText] = useState(props.applied);
  // A filter applied from elsewhere (Follow TCP Stream, Conversations) shows in the bar.
  useEffect(() => setText(props.applied), [props.applied]);
  const parsed = useMemo(() => parseFilter(text), [text]);
  const blank = text.trim() === '';
  const state = blank ? '' : parsed.ok ? 'valid' : 'invalid';
  const pending = text.trim() !== props.applied;
  const apply = () => {
    if (parsed.ok) props.onApply(text.trim());
  };
  return (
    <div className="filter-bar" data-testid="filter-bar">
      <input
        className={`filter-input ${state}`}
        data-testid="filter-input"
        value={text}
        placeholder="Apply a display filter … (e.g. tcp.flags.syn == 1, ip.addr == 10.0.0.10, lab.drop_reason)"
        spellCheck={false}
        aria-label="Display filter"
        aria-invalid={state === 'invalid'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
          else if (e.key === 'Escape') {
            setText('');
            props.onApply('');
          }
        }}
      />
      <button type="button" className="btn btn-small" data-testid="filter-apply" disabled={!parsed.ok || !pending} onClick={apply} title="Apply the filter (Enter)">
        Apply
      </button>
      {props.applied && (
        <button
          type="button"
          className="btn btn-small"
          data-testid="filter-clear"
          title="Show every packet (Esc)"
          onClick={() => {
            setText('');
            props.onApply('');
          }}
        >
          Clear
        </button>
      )}
      {props.children}
      {!parsed.ok && (
        <div className="filter-error" role="alert" data-testid="filter-error">
          <code>
            {text.slice(0, parsed.error.at)}
            <mark>{text.slice(parsed.error.at, Math.max(parsed.error.end, parsed.error.at + 1)) || ' '}</mark>
            {text.slice(Math.max(parsed.error.end, parsed.error.at + 1))}
          </code>
          <span>
            at character {parsed.error.at + 1}: {parsed.error.message}
          </span>
        </div>
      )}
    </div>
  );
}
