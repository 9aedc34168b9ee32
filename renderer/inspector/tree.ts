// Dissection tree flattening, expansion keys and byte->node lookup (pure; see tree.test.ts).
import type { DissectNode } from '../../shared/wire/dissect-types';

/** Index path from the root list: [2, 0] = third top-level node's first child. */
export type NodePath = number[];

export interface FlatNode {
  node: DissectNode;
  path: NodePath;
  /** Stable across frames: "Internet Protocol Version 4/Flags" (remembers what people expanded). */
  key: string;
  /** 1-based, for aria-level. */
  level: number;
  hasChildren: boolean;
  expanded: boolean;
  posInSet: number;
  setSize: number;
}

/** The part of a label that names the field: "Flags: 0x002 (SYN)" -> "Flags". */
export function labelStem(label: string): string {
  const m = /^[^:,(]*/.exec(label);
  return (m ? m[0] : label).trim() || label;
}

export function pathKey(parentKey: string, label: string): string {
  const stem = labelStem(label);
  return parentKey ? `${parentKey}/${stem}` : stem;
}

/** The visible rows of the tree given the set of expanded keys. */
export function flattenTree(roots: DissectNode[], expanded: ReadonlySet<string>): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (nodes: DissectNode[], parentPath: NodePath, parentKey: string, level: number): void => {
    nodes.forEach((node, i) => {
      const key = pathKey(parentKey, node.label);
      const hasChildren = (node.children?.length ?? 0) > 0;
      const isOpen = hasChildren && expanded.has(key);
      const path = [...parentPath, i];
      out.push({ node, path, key, level, hasChildren, expanded: isOpen, posInSet: i + 1, setSize: nodes.length });
      if (isOpen) walk(node.children ?? [], path, key, level + 1);
    });
  };
  walk(roots, [], '', 1);
  return out;
}

export function nodeAt(roots: DissectNode[], path: NodePath): DissectNode | undefined {
  let list: DissectNode[] | undefined = roots;
  let node: DissectNode | undefined;
  for (const i of path) {
    node = list?.[i];
    if (!node) return undefined;
    list = node.children;
  }
  return node;
}

/** Keys of every ancestor of `path` (to expand them when a byte click selects a deep node). */
export function ancestorKeys(roots: DissectNode[], path: NodePath): string[] {
  const keys: string[] = [];
  let list: DissectNode[] | undefined = roots;
  let key = '';
  for (let d = 0; d < path.length - 1; d++) {
    const node: DissectNode | undefined = list?.[path[d]];
    if (!node) break;
    key = pathKey(key, node.label);
    keys.push(key);
    list = node.children;
  }
  return keys;
}

/** The deepest node whose range holds `offset` (Wireshark: clicking a byte selects its field). */
export function deepestNodeAt(roots: DissectNode[], offset: number): NodePath | null {
  let best: NodePath | null = null;
  const walk = (nodes: DissectNode[], parentPath: NodePath): void => {
    nodes.forEach((node, i) => {
      const path = [...parentPath, i];
      const hit = node.range && offset >= node.range[0] && offset < node.range[1];
      if (hit && (!best || path.length > best.length)) best = path;
      if (node.children && (hit || !node.range)) walk(node.children, path);
    });
  };
  walk(roots, []);
  return best;
}

export function samePath(a: NodePath | null, b: NodePath | null): boolean {
  return a !== null && b !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}
