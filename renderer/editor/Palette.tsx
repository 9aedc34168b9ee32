// The palette: machine kinds dragged onto the canvas (or clicked: placed in the middle of the view),
// the link tool, undo/redo and auto-address. The canvas reads the kind from the drag's data.
import { memo } from 'react';
import { MACHINE_KINDS } from '../../shared/lab/limits';
import type { MachineKind } from '../../shared/lab/types';
import { iconFor } from '../canvas/icons';

/** The drag's data type: a machine kind from the palette. */
export const KIND_MIME = 'application/x-packet-lab-kind';

export interface PaletteProps {
  linking: boolean;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  disabled: boolean;
  onAdd(kind: MachineKind): void;
  onToggleLink(): void;
  onUndo(): void;
  onRedo(): void;
  onAutoAddress(): void;
  snap: boolean;
  onToggleSnap(): void;
  onAutoLayout(): void;
}

export const Palette = memo(function Palette(p: PaletteProps) {
  return (
    <div className="palette" role="toolbar" aria-label="Build">
      {MACHINE_KINDS.map((kind) => (
        <button
          key={kind}
          type="button"
          className="palette-item"
          data-testid={`palette-${kind}`}
          draggable={!p.disabled}
          disabled={p.disabled}
          title={`Drag a ${kind} onto the canvas (or click to place one)`}
          onDragStart={(e) => {
            e.dataTransfer.setData(KIND_MIME, kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => p.onAdd(kind)}
        >
          <img src={iconFor(kind)} alt="" width={22} height={22} draggable={false} />
          <span>{kind}</span>
        </button>
      ))}
      <span className="palette-sep" />
      <button type="button" className={`btn btn-small${p.linking ? ' btn-on' : ''}`} data-testid="tool-link" aria-pressed={p.linking} disabled={p.disabled} onClick={p.onToggleLink} title="Link: click one machine, then another (Esc to stop)">
        Link
      </button>
      <button type="button" className="btn btn-small" data-testid="tool-autoaddress" disabled={p.disabled} onClick={p.onAutoAddress} title="Give every L2 segment a /24 and hosts a gateway toward the router">
        Auto-address
      </button>
      <button type="button" className="btn btn-small" data-testid="tool-layout" disabled={p.disabled} onClick={p.onAutoLayout} title="Arrange the machines as a tree from the routers and switches (one undoable step)">
        Layout
      </button>
      <button type="button" className={`btn btn-small${p.snap ? ' btn-on' : ''}`} data-testid="tool-snap" aria-pressed={p.snap} disabled={p.disabled} onClick={p.onToggleSnap} title="Snap machines to the 20-unit grid when dropped or moved">
        Snap
      </button>
      <button type="button" className="btn btn-small" data-testid="tool-undo" disabled={p.disabled || !p.canUndo} onClick={p.onUndo} title={p.undoLabel ? `Undo ${p.undoLabel} (Ctrl+Z)` : 'Undo (Ctrl+Z)'}>
        Undo
      </button>
      <button type="button" className="btn btn-small" data-testid="tool-redo" disabled={p.disabled || !p.canRedo} onClick={p.onRedo} title={p.redoLabel ? `Redo ${p.redoLabel} (Ctrl+Shift+Z)` : 'Redo (Ctrl+Shift+Z)'}>
        Redo
      </button>
    </div>
  );
});
