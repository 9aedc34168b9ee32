import { describe, expect, it } from 'vitest';
import type { LabDoc } from '../../shared/lab/types';
import { diffElements, hasConsole, linkIndexOfEdge, nodeLabel, positionsFor, splitEnd, toElements } from './elements';

const doc: LabDoc = {
  format: 'packet-lab/1',
  name: 'two hosts',
  machines: [
    { id: 'client', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.1/24' }], position: { x: 100, y: 50 } },
    { id: 'sw1', kind: 'switch', ports: 4, position: { x: 250, y: 50 } },
    { id: 'server', kind: 'server', nics: [{ name: 'eth0' }, { name: 'eth1', ip: '10.0.0.2/24' }] },
  ],
  links: [
    { a: 'client:eth0', b: 'sw1:p1', latency: '1ms' },
    { a: 'server:eth0', b: 'sw1:p2' },
    { a: 'server:eth0', b: 'sw1:p2' },
    { a: 'ghost:eth0', b: 'sw1:p3' },
  ],
};

describe('toElements', () => {
  it('labels nodes with id and first IP', () => {
    expect(nodeLabel(doc.machines[0])).toBe('client\n10.0.0.1/24');
    expect(nodeLabel(doc.machines[1])).toBe('sw1');
    expect(nodeLabel(doc.machines[2])).toBe('server\n10.0.0.2/24');
  });
  it('keeps stored positions and places the rest on a grid below', () => {
    const pos = positionsFor(doc.machines);
    expect(pos.get('client')).toEqual({ x: 100, y: 50 });
    expect(pos.get('server')).toEqual({ x: 100, y: 210 });
    expect(positionsFor([{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }]).get('b')).toEqual({ x: 160, y: 0 });
  });
  it('builds edges with nic labels, unique ids, and skips links to unknown machines', () => {
    const { nodes, edges } = toElements(doc);
    expect(nodes).toHaveLength(3);
    expect(edges.map((e) => e.data.id)).toEqual(['client:eth0|sw1:p1', 'server:eth0|sw1:p2', 'server:eth0|sw1:p2#2']);
    expect(edges[0].data).toMatchObject({ source: 'client', target: 'sw1', sourceLabel: 'eth0', targetLabel: 'p1', label: '1ms', down: false });
    const down = toElements({ ...doc, links: [{ ...doc.links[0]!, up: false }] }).edges[0]!.data;
    expect([down.down, down.label]).toEqual([true, 'DOWN · 1ms']);
  });
  it('splits link ends at the last colon', () => {
    expect(splitEnd('client:eth0')).toEqual({ machine: 'client', nic: 'eth0' });
    expect(splitEnd('lonely')).toEqual({ machine: 'lonely', nic: '' });
  });
  it('knows which kinds have a console', () => {
    expect(['host', 'server', 'router', 'switch', 'hub'].map((k) => hasConsole(k as never))).toEqual([true, true, true, false, false]);
  });
});

describe('diffElements', () => {
  it('adds everything to an empty view', () => {
    const d = diffElements({ nodes: [], edges: [] }, toElements(doc));
    expect(d.addNodes).toHaveLength(3);
    expect(d.addEdges).toHaveLength(3);
  });
  it('is empty for the same document', () => {
    const a = toElements(doc);
    const d = diffElements(a, toElements(structuredClone(doc)));
    expect(d).toEqual({ addNodes: [], removeNodes: [], updateNodes: [], moveNodes: [], addEdges: [], removeEdges: [] });
  });
  it('moves, relabels, removes and re-adds changed edges', () => {
    const next = structuredClone(doc);
    next.machines[0].position = { x: 1, y: 2 };
    next.machines[1].kind = 'hub';
    next.machines.splice(2, 1);
    next.links[0].latency = '5ms';
    const d = diffElements(toElements(doc), toElements(next));
    expect(d.moveNodes.map((n) => n.data.id)).toEqual(['client']);
    expect(d.updateNodes.map((n) => n.data.id)).toEqual(['sw1']);
    expect(d.removeNodes).toEqual(['server']);
    expect(d.removeEdges.sort()).toEqual(['client:eth0|sw1:p1', 'server:eth0|sw1:p2', 'server:eth0|sw1:p2#2'].sort());
    expect(d.addEdges.map((e) => e.data.label)).toEqual(['5ms']);
  });
});

describe('linkIndexOfEdge', () => {
  it('finds the link an edge shows, repeats by their #n', () => {
    expect(linkIndexOfEdge(doc, 'client:eth0|sw1:p1')).toBe(0);
    expect(linkIndexOfEdge(doc, 'server:eth0|sw1:p2')).toBe(1);
    expect(linkIndexOfEdge(doc, 'server:eth0|sw1:p2#2')).toBe(2);
    expect(linkIndexOfEdge(doc, 'nope|x')).toBe(-1);
  });
});
