// A toolbar button that asks for one file (a hidden file input behind it) and hands it over, or,
// given onPick, leaves the asking to someone else (the desktop's native dialog).
import { useRef } from 'react';
import { Icon } from '../app/Icon';

export interface OpenFileButtonProps {
  label: string;
  title: string;
  /** The file picker's filter (the input's `accept`). */
  accept: string;
  /** data-testid of the button and of its input. */
  testId: string;
  inputTestId: string;
  /** The input's accessible name. */
  inputLabel: string;
  disabled: boolean;
  onFile(file: File): void;
  /** Asks for the file itself: the button calls this and has no file input. */
  onPick?: () => void;
}

export function OpenFileButton(props: OpenFileButtonProps) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="btn" data-testid={props.testId} disabled={props.disabled} onClick={props.onPick ?? (() => ref.current?.click())} title={props.title}>
        <Icon name="open" />
        {props.label}
      </button>
      {!props.onPick && (
        <input
          ref={ref}
          type="file"
          accept={props.accept}
          className="visually-hidden"
          tabIndex={-1}
          data-testid={props.inputTestId}
          aria-label={props.inputLabel}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file can be chosen again
            if (file) props.onFile(file);
          }}
        />
      )}
    </>
  );
}
