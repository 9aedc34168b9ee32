// The node context menu (right-click / long-press on a machine): consoles and services; a switch or
// hub has neither (no shell, no processes).
import { useEffect, useRef } from 'react';
import type { MachineKind } from '../../shared/lab/types';
import { hasConsole } from './elements';

export interface MenuState {
  machine: string;
  kind: MachineKind;
  /** Rendered position inside the canvas container. */
  x: number;
  y: number;
}

export function ContextMenu(props: {
  menu: MenuState;
  onClose(): void;
  onOpenConsole(machine: string, newSession: boolean): void;
  onOpenServices(machine: string): void;
}) {
  const { menu, onClose, onOpenConsole, onOpenServices } = props;
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown, true);
    };
  }, [onClose]);

  const consoles = hasConsole(menu.kind);
  return (
    <div className="context-menu" role="menu" ref={ref} style={{ left: menu.x + 8, top: menu.y + 8 }} data-testid="node-menu">
      <div className="context-menu-title">
        {menu.machine} <span className="muted">({menu.kind})</span>
      </div>
      <button type="button" role="menuitem" disabled={!consoles} data-testid="menu-open-console" onClick={() => onOpenConsole(menu.machine, false)}>
        Open console
      </button>
      <button type="button" role="menuitem" disabled={!consoles} data-testid="menu-new-console" onClick={() => onOpenConsole(menu.machine, true)}>
        New console session
      </button>
      <button type="button" role="menuitem" disabled={!consoles} data-testid="menu-services" onClick={() => onOpenServices(menu.machine)}>
        Services…
      </button>
    </div>
  );
}
