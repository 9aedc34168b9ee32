// Lab document -> cytoscape element data, and the diff that keeps cy in step with the document
// (the document is the source of truth; cytoscape is a view). Pure; see elements.test.ts.
import type { LabDoc, LinkDoc, MachineDoc, MachineKind } from '../../shared/lab/types';

export interface NodeData {
  id: string;
  kind: MachineKind;
  label: string;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  sourceLabel: string;
  targetLabel: string;
  label: string;
  /** The cable is unplugged (LinkDoc.up false): drawn dashed. */
  down: boolean;
}

export interface NodeSpec {
  data: NodeData;
  position: { x: number; y: number };
}

export interface EdgeSpec {
  data: EdgeData;
}

export function splitEnd(end: string): { machine: string; nic: string } {
  const i = end.lastIndexOf(':');
  return i < 0 ? { machine: end, nic: '' } : { machine: end.slice(0, i), nic: end.slice(i + 1) };
}

export function firstIp(m: MachineDoc): string | undefined {
  return m.nics?.find((n) => n.ip)?.ip;
}

export function nodeLabel(m: MachineDoc): string {
  const ip = firstIp(m);
  return ip ? `${m.id}\n${ip}` : m.id;
}

/** Kinds that run a shell. */
export function hasConsole(kind: MachineKind): boolean {
  return kind === 'host' || kind === 'server' || kind === 'router';
}

const GRID = 160;

/**
 * Stored positions are used exactly; machines without one get a deterministic grid slot below the
 * positioned ones (never a random layout).
 */
export function positionsFor(machines: MachineDoc[]): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  let maxY = -Infinity;
  let minX = Infinity;
  for (const m of machines) {
    if (m.position) {
      out.set(m.id, { x: m.position.x, y: m.position.y });
      maxY = Math.max(maxY, m.position.y);
      minX = Math.min(minX, m.position.x);
    }
  }
  const unplaced = machines.filter((m) => !m.position);
  const cols = Math.max(1, Math.ceil(Math.sqrt(unplaced.length)));
  const x0 = Number.isFinite(minX) ? minX : 0;
  const y0 = Number.isFinite(maxY) ? maxY + GRID : 0;
  unplaced.forEach((m, i) => {
    out.set(m.id, { x: x0 + (i % cols) * GRID, y: y0 + Math.floor(i / cols) * GRID });
  });
  return out;
}

export function linkLabel(l: LinkDoc): string {
  return [l.up === false ? 'DOWN' : undefined, l.latency, l.bandwidth, l.loss ? `loss ${l.loss}` : undefined].filter(Boolean).join(' · ');
}

/** The cytoscape edge id of each link (its index in doc.links), '' for a link to an unknown machine. */
export function edgeIdsOf(doc: LabDoc): string[] {
  const ids = new Set(doc.machines.map((m) => m.id));
  const seen = new Map<string, number>();
  return doc.links.map((l) => {
    if (!ids.has(splitEnd(l.a).machine) || !ids.has(splitEnd(l.b).machine)) return '';
    const base = `${l.a}|${l.b}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

export function toElements(doc: LabDoc): { nodes: NodeSpec[]; edges: EdgeSpec[] } {
  const pos = positionsFor(doc.machines);
  const nodes = doc.machines.map((m) => ({
    data: { id: m.id, kind: m.kind, label: nodeLabel(m) },
    position: pos.get(m.id) ?? { x: 0, y: 0 },
  }));
  const edgeIds = edgeIdsOf(doc);
  const edges: EdgeSpec[] = [];
  doc.links.forEach((l, i) => {
    const id = edgeIds[i];
    if (!id) return;
    const a = splitEnd(l.a);
    const b = splitEnd(l.b);
    edges.push({
      data: {
        id,
        source: a.machine,
        target: b.machine,
        sourceLabel: a.nic,
        targetLabel: b.nic,
        label: linkLabel(l),
        down: l.up === false,
      },
    });
  });
  return { nodes, edges };
}

export interface CyDiff {
  addNodes: NodeSpec[];
  removeNodes: string[];
  updateNodes: NodeSpec[];
  moveNodes: NodeSpec[];
  addEdges: EdgeSpec[];
  removeEdges: string[];
}

/** What to change in cy (currently showing `prev`) to show `next`. */
export function diffElements(
  prev: { nodes: NodeSpec[]; edges: EdgeSpec[] },
  next: { nodes: NodeSpec[]; edges: EdgeSpec[] },
): CyDiff {
  const prevNodes = new Map(prev.nodes.map((n) => [n.data.id, n]));
  const nextNodes = new Map(next.nodes.map((n) => [n.data.id, n]));
  const prevEdges = new Map(prev.edges.map((e) => [e.data.id, e]));
  const nextEdges = new Map(next.edges.map((e) => [e.data.id, e]));
  const diff: CyDiff = { addNodes: [], removeNodes: [], updateNodes: [], moveNodes: [], addEdges: [], removeEdges: [] };
  for (const [id, n] of nextNodes) {
    const p = prevNodes.get(id);
    if (!p) diff.addNodes.push(n);
    else {
      if (p.data.kind !== n.data.kind || p.data.label !== n.data.label) diff.updateNodes.push(n);
      if (p.position.x !== n.position.x || p.position.y !== n.position.y) diff.moveNodes.push(n);
    }
  }
  for (const id of prevNodes.keys()) if (!nextNodes.has(id)) diff.removeNodes.push(id);
  for (const [id, e] of nextEdges) {
    const p = prevEdges.get(id);
    if (!p) diff.addEdges.push(e);
    else if (JSON.stringify(p.data) !== JSON.stringify(e.data)) {
      diff.removeEdges.push(id);
      diff.addEdges.push(e);
    }
  }
  for (const id of prevEdges.keys()) if (!nextEdges.has(id)) diff.removeEdges.push(id);
  return diff;
}

/** The index in doc.links of the link an edge shows (its id is "a|b", "#n" for repeats), or -1. */
export function linkIndexOfEdge(doc: LabDoc, edgeId: string): number {
  const [base, nth] = edgeId.split('#') as [string, string | undefined];
  let n = nth === undefined ? 1 : Number(nth);
  return doc.links.findIndex((l) => `${l.a}|${l.b}` === base && --n === 0);
}
