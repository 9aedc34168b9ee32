// A dialog centred over a dimmed window: Escape or a click outside closes it, and it takes focus.
import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from '../app/Icon';

export interface ModalProps {
  title: ReactNode;
  /** For tests and styles: the dialog's data-testid and an extra class. */
  testId: string;
  className?: string;
  onClose(): void;
  /** Buttons in the title bar, before Close. */
  actions?: ReactNode;
  /** The Close button's data-testid (default `${testId}-close`). */
  closeTestId?: string;
  /** data-* attributes of the dialog element (e.g. { 'data-machine': 'server' }). */
  data?: Record<`data-${string}`, string>;
  children: ReactNode;
}

export function Modal(props: ModalProps) {
  const { onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  // The latest onClose, so a parent's new closure each render neither re-focuses the dialog (which
  // would pull focus off a control inside it while the lab runs) nor re-adds the key listener.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const titleId = `${props.testId}-title`;
  return (
    <div
      className="dialog-backdrop"
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className={`dialog ${props.className ?? ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={props.testId} {...props.data} tabIndex={-1} ref={ref}>
        <div className="dialog-head">
          <h2 id={titleId}>{props.title}</h2>
          <div className="dialog-actions">
            {props.actions}
            <button type="button" className="btn btn-icon" aria-label="Close" data-testid={props.closeTestId ?? `${props.testId}-close`} onClick={onClose}>
              <Icon name="close" />
            </button>
          </div>
        </div>
        <div className="dialog-body">{props.children}</div>
      </div>
    </div>
  );
}
