// The details pane: the dissection tree, flattened into visible rows (an ARIA tree with aria-level).
// Clicking a row selects it (its bytes light up in the hex pane) and expands it; the twisty toggles.
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { DissectNode } from '../../shared/wire/dissect-types';
import { flattenTree, samePath, type NodePath } from './tree';

export interface DetailTreeProps {
  tree: DissectNode[];
  expanded: ReadonlySet<string>;
  selected: NodePath | null;
  onSelect(path: NodePath): void;
  onToggle(key: string, open: boolean): void;
}

export const DetailTree = memo(function DetailTree(props: DetailTreeProps) {
  const { tree, expanded, selected, onSelect, onToggle } = props;
  const rows = flattenTree(tree, expanded);
  const ref = useRef<HTMLDivElement>(null);
  const selIndex = rows.findIndex((r) => samePath(r.path, selected));

  useEffect(() => {
    ref.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selIndex]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const cur = rows[selIndex];
    const go = (i: number) => {
      const r = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (r) onSelect(r.path);
    };
    switch (e.key) {
      case 'ArrowDown':
        go(selIndex + 1);
        break;
      case 'ArrowUp':
        go(selIndex < 0 ? 0 : selIndex - 1);
        break;
      case 'ArrowRight':
        if (cur?.hasChildren && !cur.expanded) onToggle(cur.key, true);
        else go(selIndex + 1);
        break;
      case 'ArrowLeft':
        if (cur?.hasChildren && cur.expanded) onToggle(cur.key, false);
        else if (cur && cur.path.length > 1) onSelect(cur.path.slice(0, -1));
        break;
      case 'Enter':
      case ' ':
        if (cur?.hasChildren) onToggle(cur.key, !cur.expanded);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="detail-tree" role="tree" aria-label="Packet details" data-testid="detail-tree" tabIndex={0} ref={ref} onKeyDown={onKeyDown}>
      {rows.map((r) => {
        const isSel = samePath(r.path, selected);
        return (
          <div
            key={r.path.join('.')}
            role="treeitem"
            className={isSel ? 'tree-row selected' : 'tree-row'}
            data-testid="tree-node"
            aria-level={r.level}
            aria-posinset={r.posInSet}
            aria-setsize={r.setSize}
            aria-expanded={r.hasChildren ? r.expanded : undefined}
            aria-selected={isSel}
            style={{ paddingLeft: 6 + (r.level - 1) * 16 }}
            onClick={() => {
              onSelect(r.path);
              if (r.hasChildren && !r.expanded) onToggle(r.key, true);
            }}
          >
            <span
              className={r.hasChildren ? (r.expanded ? 'twisty open' : 'twisty') : 'twisty none'}
              aria-hidden="true"
              onClick={(e) => {
                if (!r.hasChildren) return;
                e.stopPropagation();
                onSelect(r.path);
                onToggle(r.key, !r.expanded);
              }}
            />
            <span className="tree-label">{r.node.label}</span>
          </div>
        );
      })}
    </div>
  );
});
