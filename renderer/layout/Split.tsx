// Two panes with a draggable divider (pointer or arrow keys). Sizes are remembered per storageKey.
import { useRef, useState, type ReactNode } from 'react';
import { clampFraction, loadFraction, saveFraction } from './split';

export interface SplitProps {
  /** 'row': panes side by side; 'column': stacked. */
  direction: 'row' | 'column';
  initial: number;
  storageKey?: string;
  minFirst?: number;
  minSecond?: number;
  className?: string;
  label?: string;
  children: [ReactNode, ReactNode];
}

export function Split(props: SplitProps) {
  const { direction, storageKey, minFirst = 120, minSecond = 120 } = props;
  const [fraction, setFraction] = useState(() => loadFraction(storageKey, props.initial));
  const ref = useRef<HTMLDivElement>(null);
  const row = direction === 'row';

  const moveTo = (clientX: number, clientY: number) => {
    const el = ref.current;
    if (!el) return;
    const box = el.getBoundingClientRect();
    const f = row
      ? clampFraction(clientX - box.left, box.width, minFirst, minSecond)
      : clampFraction(clientY - box.top, box.height, minFirst, minSecond);
    setFraction(f);
    return f;
  };

  return (
    <div ref={ref} className={`split split-${direction} ${props.className ?? ''}`}>
      <div className="split-pane" style={{ flexBasis: `${fraction * 100}%` }}>
        {props.children[0]}
      </div>
      <div
        className="split-divider"
        role="separator"
        aria-orientation={row ? 'vertical' : 'horizontal'}
        aria-label={props.label ?? 'Resize panes'}
        aria-valuenow={Math.round(fraction * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
        tabIndex={0}
        onPointerDown={(e) => {
          e.preventDefault();
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (e.currentTarget.hasPointerCapture(e.pointerId)) moveTo(e.clientX, e.clientY);
        }}
        onPointerUp={(e) => {
          if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
          e.currentTarget.releasePointerCapture(e.pointerId);
          const f = moveTo(e.clientX, e.clientY);
          if (f !== undefined) saveFraction(storageKey, f);
        }}
        onKeyDown={(e) => {
          const back = row ? 'ArrowLeft' : 'ArrowUp';
          const fwd = row ? 'ArrowRight' : 'ArrowDown';
          if (e.key !== back && e.key !== fwd) return;
          e.preventDefault();
          const f = Math.min(0.9, Math.max(0.1, fraction + (e.key === fwd ? 0.02 : -0.02)));
          setFraction(f);
          saveFraction(storageKey, f);
        }}
      />
      <div className="split-pane split-pane-rest">{props.children[1]}</div>
    </div>
  );
}
