// The topology view: a cytoscape adapter. The lab document (from the backend) is the source of
// truth; this component diffs it into cy, and turns cy gestures into API calls (moveMachine),
// console requests and the Services dialog (the context menu).
import cytoscape, { type Core, type EventObject } from 'cytoscape';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LabDoc } from '../../shared/lab/types';
import { cyStyle } from './cy-style';
import { diffElements, hasConsole, toElements, type EdgeSpec, type NodeSpec } from './elements';
import { ContextMenu, type MenuState } from './ContextMenu';

declare global {
  interface Window {
    /**
     * Read-only diagnostic handle on the cytoscape instance, for e2e tests (node rendered
     * positions) and the devtools console. Not an API: nothing in the app reads it.
     */
    __cy?: Core;
  }
}

export interface TopologyCanvasProps {
  doc: LabDoc | null;
  selected: string | null;
  onSelect(machine: string | null): void;
  onMove(machine: string, x: number, y: number): void;
  onOpenConsole(machine: string, newSession: boolean): void;
  onOpenServices(machine: string): void;
}

const MAX_FIT_ZOOM = 1.4;

function fitView(cy: Core): void {
  if (cy.elements().length === 0) return;
  cy.fit(undefined, 48);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

export const TopologyCanvas = memo(function TopologyCanvas(props: TopologyCanvasProps) {
  const { doc, selected } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const shown = useRef<{ nodes: NodeSpec[]; edges: EdgeSpec[] }>({ nodes: [], edges: [] });
  const shownLab = useRef<string | null>(null);
  const handlers = useRef(props);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);

  useLayoutEffect(() => {
    handlers.current = props;
  });

  // Create cy once.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const cy = cytoscape({
      container,
      style: cyStyle(),
      layout: { name: 'preset' },
      minZoom: 0.2,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    cyRef.current = cy;
    window.__cy = cy;

    const machineOf = (e: EventObject): string => e.target.id() as string;
    cy.on('dragfree', 'node', (e) => {
      const p = e.target.position();
      const x = Math.round(p.x);
      const y = Math.round(p.y);
      const id = machineOf(e);
      e.target.position({ x, y });
      shown.current.nodes = shown.current.nodes.map((n) => (n.data.id === id ? { ...n, position: { x, y } } : n));
      handlers.current.onMove(id, x, y);
    });
    cy.on('dbltap', 'node', (e) => {
      if (hasConsole(e.target.data('kind'))) handlers.current.onOpenConsole(machineOf(e), false);
    });
    cy.on('cxttap', 'node', (e) => {
      const id = machineOf(e);
      e.target.select();
      setMenu({ machine: id, kind: e.target.data('kind'), x: e.renderedPosition.x, y: e.renderedPosition.y });
    });
    cy.on('select', 'node', (e) => handlers.current.onSelect(machineOf(e)));
    cy.on('unselect', 'node', () => {
      if (cy.$('node:selected').length === 0) handlers.current.onSelect(null);
    });
    cy.on('tap', (e) => {
      if (e.target === cy) setMenu(null);
    });
    cy.on('viewport drag', () => setMenu(null));

    // Keep the topology fitted while the panes settle or the window resizes, until the person pans
    // or zooms on their own (Fit brings that back).
    let autoFit = true;
    const manual = () => (autoFit = false);
    container.addEventListener('wheel', manual, { passive: true });
    cy.on('tapstart', (e) => {
      if (e.target === cy) manual();
    });
    cy.on('fit-requested', () => (autoFit = true));
    const ro = new ResizeObserver(() => {
      cy.resize();
      if (autoFit) fitView(cy);
    });
    ro.observe(container);
    return () => {
      ro.disconnect();
      container.removeEventListener('wheel', manual);
      if (window.__cy === cy) delete window.__cy;
      cy.destroy();
      cyRef.current = null;
      shown.current = { nodes: [], edges: [] };
      shownLab.current = null;
    };
  }, []);

  // Document -> cy.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const next = doc ? toElements(doc) : { nodes: [], edges: [] };
    const d = diffElements(shown.current, next);
    cy.batch(() => {
      for (const id of d.removeEdges) cy.$id(id).remove();
      for (const id of d.removeNodes) cy.$id(id).remove();
      for (const n of d.addNodes) cy.add({ group: 'nodes', data: { ...n.data }, position: { ...n.position } });
      for (const n of d.updateNodes) cy.$id(n.data.id).data({ ...n.data });
      for (const n of d.moveNodes) {
        const el = cy.$id(n.data.id);
        if (!el.grabbed()) el.position({ ...n.position });
      }
      for (const e of d.addEdges) cy.add({ group: 'edges', data: { ...e.data } });
    });
    shown.current = next;
    const labKey = doc ? doc.name : null;
    if (labKey !== shownLab.current || d.addNodes.length === next.nodes.length) {
      shownLab.current = labKey;
      fitView(cy);
    }
  }, [doc]);

  // Selection from outside (machine list).
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const current = cy.$('node:selected');
    if (selected === null) {
      current.unselect();
    } else if (current.length !== 1 || current.id() !== selected) {
      current.unselect();
      cy.$id(selected).select();
    }
  }, [selected, doc]);

  const empty = !doc || doc.machines.length === 0;
  return (
    <div className="canvas-wrap">
      <div className="canvas" data-testid="canvas" ref={containerRef} aria-label="Topology" role="img" />
      {empty && <div className="canvas-empty">{doc ? 'This lab has no machines.' : 'Open a lab file to begin.'}</div>}
      <div className="canvas-tools">
        <button type="button" className="btn btn-small" data-testid="canvas-fit" title="Fit the topology in view" onClick={() => {
            if (!cyRef.current) return;
            cyRef.current.emit('fit-requested');
            fitView(cyRef.current);
          }}>
          Fit
        </button>
      </div>
      {menu && (
        <ContextMenu
          menu={menu}
          onClose={closeMenu}
          onOpenConsole={(m, fresh) => {
            setMenu(null);
            handlers.current.onOpenConsole(m, fresh);
          }}
          onOpenServices={(m) => {
            setMenu(null);
            handlers.current.onOpenServices(m);
          }}
        />
      )}
    </div>
  );
});
