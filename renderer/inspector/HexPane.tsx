// The bytes pane: offset, 16 bytes of hex, ASCII. The selected tree node's range is highlighted
// (class "hex-selected"; each highlighted byte in the hex column also has data-testid="hex-selected").
// Clicking a byte selects the deepest tree node that covers it.
import { memo, useEffect, useMemo, useRef } from 'react';
import { hexLines, inRange, lineOf, type ByteRange } from './hex';

export interface HexPaneProps {
  bytes: Uint8Array;
  range: ByteRange | null;
  onByteClick(offset: number): void;
}

export const HexPane = memo(function HexPane({ bytes, range, onByteClick }: HexPaneProps) {
  const lines = useMemo(() => hexLines(bytes), [bytes]);
  const ref = useRef<HTMLDivElement>(null);
  const firstLine = range ? lineOf(range[0]) : null;

  useEffect(() => {
    if (firstLine === null) return;
    ref.current?.querySelector(`[data-line="${firstLine}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [firstLine, bytes]);

  return (
    <div className="hex-pane" data-testid="hex-pane" ref={ref} aria-label="Packet bytes" role="region">
      {lines.map((l, li) => (
        <div className="hex-line" key={l.offset} data-line={li}>
          <span className="hex-offset">{l.offsetText}</span>
          <span className="hex-bytes">
            {l.hex.map((h, i) => {
              const off = l.offset + i;
              const sel = inRange(off, range);
              return (
                <span
                  key={i}
                  className={`${sel ? 'hex-selected ' : ''}${i === 7 ? 'hex-gap' : ''}`}
                  data-testid={sel ? 'hex-selected' : undefined}
                  data-offset={off}
                  onClick={() => onByteClick(off)}
                >
                  {h}
                </span>
              );
            })}
          </span>
          <span className="hex-ascii">
            {l.ascii.map((c, i) => {
              const off = l.offset + i;
              return (
                <span key={i} className={inRange(off, range) ? 'hex-selected' : undefined} onClick={() => onByteClick(off)}>
                  {c}
                </span>
              );
            })}
          </span>
        </div>
      ))}
    </div>
  );
});
