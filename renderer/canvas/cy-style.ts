// Cytoscape stylesheet for the topology view.
import type { StylesheetJson } from 'cytoscape';
import type { MachineKind } from '../../shared/lab/types';
import { iconFor } from './icons';

const KINDS: MachineKind[] = ['host', 'server', 'router', 'switch', 'hub'];
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export function cyStyle(): StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        shape: 'roundrectangle',
        width: 46,
        height: 46,
        'background-opacity': 0,
        'background-fit': 'contain',
        'background-clip': 'none',
        'border-width': 0,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'font-family': FONT,
        'font-size': 12,
        color: '#1f2933',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'overlay-padding': 4,
        // Labels too small to read at this zoom are not drawn: a big lab zoomed out stays fluid.
        'min-zoomed-font-size': 4,
      },
    },
    ...KINDS.map((kind) => ({
      selector: `node[kind = "${kind}"]`,
      style: { 'background-image': iconFor(kind) },
    })),
    {
      selector: 'node:selected',
      style: {
        'border-width': 2,
        'border-color': '#2563eb',
        'border-opacity': 1,
        'background-color': '#dbeafe',
        'background-opacity': 0.6,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 2,
        'line-color': '#8795a8',
        'curve-style': 'bezier',
        'font-family': FONT,
        'font-size': 10,
        color: '#475569',
        'source-label': 'data(sourceLabel)',
        'target-label': 'data(targetLabel)',
        'source-text-offset': 46, // clear of the node's own label below it
        'target-text-offset': 46,
        label: 'data(label)',
        'text-rotation': 'autorotate',
        'text-background-color': '#f8fafc',
        'text-background-opacity': 0.9,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 4,
      },
    },
    {
      // A link set down (unplugged): dashed and faded, its label says DOWN.
      selector: 'edge[?down]',
      style: { 'line-style': 'dashed', 'line-color': '#e11d48', 'line-opacity': 0.55, color: '#be123c' },
    },
    {
      selector: 'edge:selected',
      style: { 'line-color': '#2563eb', width: 3 },
    },
    {
      // Link mode: the machine the new link starts from.
      selector: 'node.link-source',
      style: { 'border-width': 3, 'border-color': '#16a34a', 'border-opacity': 1, 'background-color': '#dcfce7', 'background-opacity': 0.7 },
    },
  ];
}
