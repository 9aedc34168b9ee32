import { describe, expect, it } from 'vitest';
import type { DissectNode } from '../../shared/wire/dissect-types';
import { ancestorKeys, deepestNodeAt, flattenTree, labelStem, nodeAt, samePath } from './tree';

const tree: DissectNode[] = [
  {
    label: 'Ethernet II, Src: 02:00:00:00:00:01, Dst: 02:00:00:00:00:02',
    range: [0, 14],
    children: [
      { label: 'Destination: 02:00:00:00:00:02', range: [0, 6] },
      { label: 'Source: 02:00:00:00:00:01', range: [6, 12] },
      { label: 'Type: IPv4 (0x0800)', range: [12, 14] },
    ],
  },
  {
    label: 'Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2',
    range: [14, 34],
    children: [
      { label: 'Version: 4', range: [14, 15] },
      { label: 'Flags: 0x2 (Don’t Fragment)', range: [20, 22], children: [{ label: "Don't fragment: Set", range: [20, 21] }] },
      { label: 'Time to Live: 64', range: [22, 23] },
    ],
  },
  { label: 'Data (4 bytes)', range: [34, 38] },
];

describe('labelStem', () => {
  it('keeps the field name', () => {
    expect(labelStem('Flags: 0x002 (SYN)')).toBe('Flags');
    expect(labelStem('Internet Protocol Version 4, Src: 10.0.0.1')).toBe('Internet Protocol Version 4');
    expect(labelStem('Data (4 bytes)')).toBe('Data');
    expect(labelStem(': odd')).toBe(': odd');
  });
});

describe('flattenTree', () => {
  it('shows top-level nodes when nothing is expanded', () => {
    const rows = flattenTree(tree, new Set());
    expect(rows.map((r) => [r.level, r.hasChildren, r.expanded, r.posInSet, r.setSize])).toEqual([
      [1, true, false, 1, 3],
      [1, true, false, 2, 3],
      [1, false, false, 3, 3],
    ]);
    expect(rows[1].key).toBe('Internet Protocol Version 4');
  });
  it('shows children of expanded keys, nested', () => {
    const rows = flattenTree(tree, new Set(['Internet Protocol Version 4', 'Internet Protocol Version 4/Flags']));
    expect(rows.map((r) => r.path.join('.'))).toEqual(['0', '1', '1.0', '1.1', '1.1.0', '1.2', '2']);
    expect(rows[4].level).toBe(3);
    expect(rows[3].expanded).toBe(true);
  });
  it('ignores an expanded key for a child whose parent is collapsed', () => {
    const rows = flattenTree(tree, new Set(['Internet Protocol Version 4/Flags']));
    expect(rows).toHaveLength(3);
  });
});

describe('byte -> node', () => {
  it('finds the deepest node holding an offset', () => {
    expect(deepestNodeAt(tree, 7)).toEqual([0, 1]);
    expect(deepestNodeAt(tree, 20)).toEqual([1, 1, 0]);
    expect(deepestNodeAt(tree, 21)).toEqual([1, 1]);
    expect(deepestNodeAt(tree, 16)).toEqual([1]);
    expect(deepestNodeAt(tree, 35)).toEqual([2]);
    expect(deepestNodeAt(tree, 99)).toBeNull();
  });
  it('looks inside range-less grouping nodes', () => {
    const t: DissectNode[] = [{ label: 'Group', children: [{ label: 'Leaf', range: [3, 4] }] }];
    expect(deepestNodeAt(t, 3)).toEqual([0, 0]);
  });
  it('resolves paths and their ancestors', () => {
    expect(nodeAt(tree, [1, 1, 0])?.label).toBe("Don't fragment: Set");
    expect(nodeAt(tree, [5])).toBeUndefined();
    expect(ancestorKeys(tree, [1, 1, 0])).toEqual(['Internet Protocol Version 4', 'Internet Protocol Version 4/Flags']);
    expect(ancestorKeys(tree, [2])).toEqual([]);
  });
  it('compares paths', () => {
    expect(samePath([1, 2], [1, 2])).toBe(true);
    expect(samePath([1, 2], [1])).toBe(false);
    expect(samePath(null, [1])).toBe(false);
  });
});
