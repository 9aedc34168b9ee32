// File -> Examples: the gallery of ready labs, each with what it teaches. Opening one replaces the
// current lab (like opening a file) and shows its description.
import { memo, useEffect, useMemo } from 'react';
import { examples, type Example } from './examples';

export interface ExamplesDialogProps {
  onOpen(example: Example): void;
  onClose(): void;
}

export const ExamplesDialog = memo(function ExamplesDialog({ onOpen, onClose }: ExamplesDialogProps) {
  const list = useMemo(() => examples(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="dialog examples-dialog" role="dialog" aria-modal="true" aria-label="Example labs" data-testid="examples-dialog" onClick={(e) => e.stopPropagation()}>
        <header className="dialog-head">
          <h2>Example labs</h2>
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close
          </button>
        </header>
        <ul className="examples-list">
          {list.map((ex) => (
            <li key={ex.file}>
              <button type="button" className="example-card" data-testid={`example-${ex.file.replace(/\.lab\.json$/, '')}`} onClick={() => onOpen(ex)}>
                <strong>{ex.name}</strong>
                <span>{ex.description}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
});
