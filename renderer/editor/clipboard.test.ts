import { describe, expect, it } from 'vitest';
import { validateLab } from '../../shared/lab/parse';
import type { LabDoc } from '../../shared/lab/types';
import { copyMachines, pasteMachines } from './clipboard';

const doc: LabDoc = {
  format: 'packet-lab/1',
  name: 'lab',
  machines: [
    { id: 'sw1', kind: 'switch', position: { x: 0, y: 0 } },
    { id: 'h1', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.1.10/24', mac: '02:aa:00:00:00:01' }], gateway: '10.0.1.1', position: { x: 100, y: 50 } },
    { id: 'h2', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.1.11/24' }], position: { x: 200, y: 50 } },
    { id: 'r1', kind: 'router', nics: [{ name: 'eth0', ip: '10.0.1.1/24' }, { name: 'eth1' }] },
  ],
  links: [
    { a: 'h1:eth0', b: 'sw1:p1', latency: '2ms' },
    { a: 'h2:eth0', b: 'sw1:p2' },
    { a: 'r1:eth0', b: 'sw1:p3' },
  ],
};

function pasted(d: LabDoc, ids: string[]): LabDoc {
  const e = pasteMachines(d, copyMachines(d, ids));
  if (!e.ok) throw new Error(e.reason);
  const v = validateLab(e.doc);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return e.doc;
}

describe('copy and paste', () => {
  it('gives fresh names, fresh MACs and free addresses in the same subnet, offset positions', () => {
    const d = pasted(doc, ['h1']);
    expect(d.machines.at(-1)).toEqual({ id: 'h3', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.1.12/24' }], gateway: '10.0.1.1', position: { x: 140, y: 90 } });
    expect(d.links).toEqual(doc.links); // the copy's link went to a machine outside it
  });

  it('carries the links among the copied machines, renamed', () => {
    const d = pasted(doc, ['sw1', 'h1', 'h2']);
    expect(d.machines.slice(4).map((m) => [m.id, m.nics?.[0]?.ip])).toEqual([
      ['sw2', undefined],
      ['h3', '10.0.1.12/24'],
      ['h4', '10.0.1.13/24'],
    ]);
    expect(d.links.slice(3)).toEqual([
      { a: 'h3:eth0', b: 'sw2:p1', latency: '2ms' },
      { a: 'h4:eth0', b: 'sw2:p2' },
    ]);
  });

  it('pasting twice keeps going; a full subnet leaves the copy unaddressed', () => {
    const twice = pasted(pasted(doc, ['h2']), ['h2']);
    expect(twice.machines.slice(4).map((m) => [m.id, m.nics![0]!.ip])).toEqual([['h3', '10.0.1.12/24'], ['h4', '10.0.1.13/24']]);
    const tiny: LabDoc = { ...doc, machines: [{ id: 'a', kind: 'host', nics: [{ name: 'eth0', ip: '10.9.9.1/30' }] }, { id: 'b', kind: 'host', nics: [{ name: 'eth0', ip: '10.9.9.2/30' }] }], links: [] };
    expect(pasted(tiny, ['a']).machines[2]).toEqual({ id: 'h1', kind: 'host', nics: [{ name: 'eth0' }] });
    expect(pasteMachines(doc, { machines: [], links: [] })).toEqual({ ok: false, reason: 'nothing to paste' });
  });
});
