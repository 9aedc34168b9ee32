// The toolbar's Recent button: the lab files opened or saved lately (renderer/files/recent.ts),
// newest first; choosing one opens it as it was then.
import { useEffect, useRef, useState } from 'react';
import type { RecentLab } from '../files/recent';

export function RecentMenu(props: { recent: RecentLab[]; disabled: boolean; onOpen(entry: RecentLab): void }) {
  // Where the menu opens (page coordinates): fixed, so the toolbar's overflow does not clip it.
  const [open, setOpen] = useState<{ left: number; top: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(null);
    };
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(null);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown, true);
    };
  }, [open]);

  return (
    <div className="recent" ref={ref}>
      <button
        type="button"
        className="btn"
        data-testid="btn-recent"
        disabled={props.disabled || props.recent.length === 0}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setOpen((v) => (v ? null : { left: r.left, top: r.bottom + 4 }));
        }}
        title={props.recent.length === 0 ? 'No lab files opened or saved yet' : 'Open a lab file opened or saved lately'}
      >
        Recent ▾
      </button>
      {open && (
        <div className="context-menu recent-menu" role="menu" data-testid="recent-menu" style={open}>
          {props.recent.map((r) => (
            <button
              key={r.fileName}
              type="button"
              role="menuitem"
              data-testid="recent-item"
              title={`${r.fileName}, as it was ${new Date(r.atMs).toLocaleString()}`}
              onClick={() => {
                setOpen(null);
                props.onOpen(r);
              }}
            >
              <span>{r.fileName}</span>
              <span className="muted"> — {r.labName}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
