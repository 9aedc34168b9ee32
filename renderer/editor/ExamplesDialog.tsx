// File -> Examples: the gallery of ready labs, each with what it teaches. Opening one replaces the
// current lab (like opening a file) and shows its description.
import { memo, useMemo } from 'react';
import { Modal } from '../layout/Modal';
import { examples, type Example } from './examples';

export interface ExamplesDialogProps {
  onOpen(example: Example): void;
  onClose(): void;
}

export const ExamplesDialog = memo(function ExamplesDialog({ onOpen, onClose }: ExamplesDialogProps) {
  const list = useMemo(() => examples(), []);
  return (
    <Modal title="Example labs" testId="examples-dialog" className="examples-dialog" onClose={onClose}>
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
    </Modal>
  );
});
