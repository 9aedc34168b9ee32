// The topology view: a cytoscape adapter. The lab document (from the backend) is the source of
// truth; this component diffs it into cy, and turns gestures into editor calls (drops from the
// palette, moves, links drawn in link mode, selection), console requests and the Services dialog.
import cytoscape, { type Core, type EventObject } from 'cytoscape';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { LabDoc, MachineKind } from '../../shared/lab/types';
import { MACHINE_KINDS } from '../../shared/lab/limits';
import { KIND_MIME } from '../editor/Palette';
import { cyStyle } from './cy-style';
import { diffElements, hasConsole, toElements, type EdgeSpec, type NodeSpec } from './elements';
import { ContextMenu, type MenuState } from './ContextMenu';
import { SimOverlay, type SimOverlayProps } from './SimOverlay';

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
  /** Link mode: a tap picks the first machine, a tap on another links them. */
  linking: boolean;
  onLink(a: string, b: string): void;
  /** A kind from the palette dropped at canvas (model) coordinates. */
  onDropKind(kind: MachineKind, x: number, y: number): void;
  /** A link selected (its edge id) or none. */
  onSelectLink(edge: string | null): void;
  /** Set by the canvas: what is selected right now (box or Shift/Ctrl + click select several). */
  selectionRef: { current: (() => { machines: string[]; edges: string[] }) | null };
  /** Set by the canvas: the model coordinates of the middle of the view. */
  centerRef: { current: (() => { x: number; y: number }) | null };
  /** Set by the canvas: positions for every machine from an automatic layout (not applied). */
  layoutRef: { current: (() => Map<string, { x: number; y: number }>) | null };
  /** The simulation view: frames travelling and drops (slow motion and stepping). */
  sim: Omit<SimOverlayProps, 'cyRef' | 'doc'>;
  /** Shown over the canvas (the properties of the selection). */
  children?: ReactNode;
}

const MAX_FIT_ZOOM = 1.4;

function fitView(cy: Core): void {
  if (cy.elements().length === 0) {
    // An empty lab: machines dropped from the palette appear at their natural size.
    cy.zoom(1);
    cy.pan({ x: 0, y: 0 });
    return;
  }
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
      // A click selects one element; Shift/Ctrl/Cmd + click adds it to or takes it from the
      // selection, and Shift/Ctrl + drag on the background draws a selection box (cytoscape's own
      // handling in 'single' mode).
      boxSelectionEnabled: true,
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
    // cytoscape's dbltap is any two quick taps: a double click is two on the same machine.
    const taps: string[] = [];
    cy.on('tap', (e) => {
      taps.push(e.target === cy ? '' : (e.target.id() as string));
      if (taps.length > 2) taps.shift();
    });
    cy.on('dbltap', 'node', (e) => {
      if (handlers.current.linking) return; // two quick taps in link mode are link ends
      const ev = e.originalEvent as MouseEvent | undefined;
      if (ev?.shiftKey || ev?.ctrlKey || ev?.metaKey || taps[0] !== taps[1]) return;
      if (hasConsole(e.target.data('kind'))) handlers.current.onOpenConsole(machineOf(e), false);
    });
    cy.on('cxttap', 'node', (e) => {
      const id = machineOf(e);
      e.target.select();
      setMenu({ machine: id, kind: e.target.data('kind'), x: e.renderedPosition.x, y: e.renderedPosition.y });
    });
    cy.on('select', 'node', (e) => handlers.current.onSelect(machineOf(e)));
    // A node or edge removed by an edit (a rename re-creates the node) is not a deselection.
    cy.on('unselect', 'node', (e) => {
      if (!e.target.removed() && cy.$('node:selected').length === 0) handlers.current.onSelect(null);
    });
    cy.on('select', 'edge', (e) => handlers.current.onSelectLink(e.target.id() as string));
    cy.on('unselect', 'edge', (e) => {
      if (!e.target.removed() && cy.$('edge:selected').length === 0) handlers.current.onSelectLink(null);
    });
    // Link mode: the first tap marks the source, the second links it to the target.
    let linkFrom: string | null = null;
    const clearLinkFrom = () => {
      if (linkFrom !== null) cy.$id(linkFrom).removeClass('link-source');
      linkFrom = null;
    };
    cy.on('tap', 'node', (e) => {
      if (!handlers.current.linking) return;
      const id = machineOf(e);
      if (linkFrom === null) {
        linkFrom = id;
        e.target.addClass('link-source');
      } else {
        const from = linkFrom;
        clearLinkFrom();
        handlers.current.onLink(from, id);
      }
    });
    cy.on('tap', (e) => {
      if (e.target === cy) {
        setMenu(null);
        clearLinkFrom();
      }
    });
    cy.on('link-mode-off', clearLinkFrom);
    // The canvas takes the keyboard when touched (Delete, Ctrl+Z... go to the editor, not to a
    // terminal that had the focus).
    cy.on('tapstart tap', () => container.focus({ preventScroll: true }));
    handlers.current.selectionRef.current = () => ({ machines: cy.$('node:selected').map((n) => n.id()), edges: cy.$('edge:selected').map((x) => x.id()) });
    // Auto-layout: a breadth-first tree grown from the routers (else the switches), computed on a
    // headless copy so nothing moves until the editor applies it as one undoable edit.
    handlers.current.layoutRef.current = () => {
      const copy = cytoscape({ headless: true, styleEnabled: false, elements: cy.elements().jsons() as never });
      const roots = copy.nodes('[kind = "router"]').length > 0 ? copy.nodes('[kind = "router"]') : copy.nodes('[kind = "switch"], [kind = "hub"]');
      copy.layout({ name: 'breadthfirst', roots: roots.length > 0 ? roots : undefined, spacingFactor: 1.1, animate: false, fit: false, boundingBox: { x1: 0, y1: 0, w: Math.max(400, copy.nodes().length * 45), h: 600 } } as never).run();
      const out = new Map(copy.nodes().map((n) => [n.id(), { ...n.position() }]));
      copy.destroy();
      return out;
    };
    handlers.current.centerRef.current = () => {
      const ext = cy.extent();
      return { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    };
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
    // Fit when another lab is shown or a whole topology arrives, not when the editor adds the
    // first machine to an empty lab (it would jump away from where it was dropped).
    if (labKey !== shownLab.current || (d.addNodes.length === next.nodes.length && next.nodes.length > 1)) {
      shownLab.current = labKey;
      fitView(cy);
    }
  }, [doc]);

  useEffect(() => {
    if (!props.linking) cyRef.current?.emit('link-mode-off');
  }, [props.linking]);

  // Selection from outside (machine list).
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const current = cy.$('node:selected');
    if (selected === null) {
      current.unselect();
    } else if (!cy.$id(selected).selected()) {
      // (Already selected, perhaps among several: leave the selection as the person made it.)
      const wanted = cy.$id(selected);
      if (wanted.length === 0) return; // not drawn yet (a renamed machine on its way from the backend)
      current.unselect();
      wanted.select();
    }
  }, [selected, doc]);

  const empty = !doc || doc.machines.length === 0;
  return (
    <div
      className={`canvas-wrap${props.linking ? ' linking' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(KIND_MIME)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDrop={(e) => {
        const kind = e.dataTransfer.getData(KIND_MIME) as MachineKind;
        const cy = cyRef.current;
        const box = containerRef.current?.getBoundingClientRect();
        if (!cy || !box || !(MACHINE_KINDS as readonly string[]).includes(kind)) return;
        e.preventDefault();
        const pan = cy.pan();
        const zoom = cy.zoom();
        handlers.current.onDropKind(kind, (e.clientX - box.left - pan.x) / zoom, (e.clientY - box.top - pan.y) / zoom);
      }}
    >
      <div className="canvas" data-testid="canvas" ref={containerRef} aria-label="Topology" role="application" tabIndex={0} />
      <SimOverlay cyRef={cyRef} doc={doc} {...props.sim} />
      {empty && <div className="canvas-empty">{doc ? 'Drag machines here from the palette.' : 'Open a lab file to begin.'}</div>}
      {props.children}
      {props.linking && <div className="canvas-hint" data-testid="link-hint">Link: click a machine, then the one to link it to (Esc to stop)</div>}
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
