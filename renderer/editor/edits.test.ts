import { describe, expect, it } from 'vitest';
import { validateLab } from '../../shared/lab/parse';
import type { LabDoc } from '../../shared/lab/types';
import { addLink, addMachine, type Edit, moveMachines, removeLink, removeMachines, renameMachine, snap } from './edits';
import { History } from './history';

const empty: LabDoc = { format: 'packet-lab/1', name: 'new lab', machines: [], links: [] };

/** The edit's document, failing the test on a refusal; every document an edit makes must be a valid lab. */
function ok(e: Edit<unknown>): LabDoc {
  if (!e.ok) throw new Error(`refused: ${e.reason}`);
  const v = validateLab(e.doc);
  if (!v.ok) throw new Error(`edit made an invalid lab: ${JSON.stringify(v.errors)}`);
  return e.doc;
}

function refused(e: Edit<unknown>): string {
  if (e.ok) throw new Error('expected a refusal');
  return e.reason;
}

/** A switch and three hosts dropped from the palette. */
function star(): LabDoc {
  let d = empty;
  d = ok(addMachine(d, 'switch', { x: 200, y: 40 }));
  for (let i = 0; i < 3; i++) d = ok(addMachine(d, 'host', { x: 100 * i, y: 200.4 }));
  return d;
}

describe('adding machines', () => {
  it('names each kind h1, srv1, r1, sw1, hub1 and gives sensible defaults', () => {
    let d = empty;
    for (const k of ['host', 'server', 'router', 'switch', 'hub', 'host'] as const) d = ok(addMachine(d, k, { x: 10.6, y: 20 }));
    expect(d.machines.map((m) => m.id)).toEqual(['h1', 'srv1', 'r1', 'sw1', 'hub1', 'h2']);
    expect(d.machines[0]).toEqual({ id: 'h1', kind: 'host', nics: [{ name: 'eth0' }], position: { x: 11, y: 20 } });
    expect(d.machines[2]!.nics!.map((n) => n.name)).toEqual(['eth0', 'eth1']);
    expect(d.machines[3]!.ports).toBeUndefined(); // the format's default, 8
    expect(d.machines[4]!.ports).toBe(4);
  });

  it('fills the lowest free number', () => {
    let d = star();
    d = ok(removeMachines(d, ['h2']));
    expect(ok(addMachine(d, 'host', { x: 0, y: 0 })).machines.map((m) => m.id)).toEqual(['sw1', 'h1', 'h3', 'h2']);
  });

  it('never changes the document it was given', () => {
    const d = star();
    const before = JSON.stringify(d);
    addMachine(d, 'router', { x: 0, y: 0 });
    addLink(d, 'h1', 'sw1');
    removeMachines(d, ['sw1']);
    renameMachine(d, 'h1', 'alice');
    moveMachines(d, new Map([['h1', { x: 5, y: 5 }]]));
    expect(JSON.stringify(d)).toBe(before);
  });
});

describe('links', () => {
  it('take a free NIC and the next free switch port', () => {
    let d = star();
    d = ok(addLink(d, 'h1', 'sw1'));
    d = ok(addLink(d, 'sw1', 'h2'));
    d = ok(addLink(d, 'h3', 'sw1'));
    expect(d.links).toEqual([
      { a: 'h1:eth0', b: 'sw1:p1' },
      { a: 'sw1:p2', b: 'h2:eth0' },
      { a: 'h3:eth0', b: 'sw1:p3' },
    ]);
  });

  it('refuse impossible ends with the reason', () => {
    let d = ok(addLink(star(), 'h1', 'sw1'));
    expect(refused(addLink(d, 'h1', 'h1'))).toBe('a link joins two machines; h1 cannot be linked to itself');
    expect(refused(addLink(d, 'h1', 'h2'))).toBe('h1 has no free NIC (eth0 is linked to sw1:p1); add a NIC in its properties');
    expect(refused(addLink(d, 'h2', 'sw1', { b: 'p1' }))).toBe('sw1:p1 is already linked to h1:eth0');
    expect(refused(addLink(d, 'h2', 'sw1', { a: 'eth7' }))).toBe('h2 has no NIC eth7');
    expect(refused(addLink(d, 'h2', 'sw1', { b: 'uplink' }))).toBe('sw1 has no port uplink (ports are p1..p64)');
    expect(refused(addLink(d, 'h2', 'ghost'))).toBe('no machine named "ghost"');
    d = ok(addLink(d, 'h2', 'sw1', { b: 'p5' }));
    expect(d.links.at(-1)).toEqual({ a: 'h2:eth0', b: 'sw1:p5' });
  });

  it('grow a router\'s NICs and a switch\'s ports when all are taken, up to the limit', () => {
    let d = ok(addMachine(empty, 'router', { x: 0, y: 0 }));
    for (let i = 0; i < 3; i++) d = ok(addMachine(d, 'hub', { x: 0, y: 0 }));
    d = ok(addLink(d, 'r1', 'hub1'));
    d = ok(addLink(d, 'r1', 'hub2'));
    d = ok(addLink(d, 'r1', 'hub3'));
    expect(d.machines[0]!.nics!.map((n) => n.name)).toEqual(['eth0', 'eth1', 'eth2']);
    let s = ok(addMachine(empty, 'switch', { x: 0, y: 0 }));
    for (let i = 0; i < 64; i++) {
      s = ok(addMachine(s, 'host', { x: 0, y: 0 }));
      s = ok(addLink(s, `h${i + 1}`, 'sw1'));
    }
    expect(s.machines[0]!.ports).toBe(64);
    s = ok(addMachine(s, 'host', { x: 0, y: 0 }));
    expect(refused(addLink(s, 'h65', 'sw1'))).toBe('all 64 ports of sw1 are linked, the most a switch can have');
  });

  it('removing one leaves the others', () => {
    let d = ok(addLink(ok(addLink(star(), 'h1', 'sw1')), 'h2', 'sw1'));
    d = ok(removeLink(d, 0));
    expect(d.links).toEqual([{ a: 'h2:eth0', b: 'sw1:p2' }]);
    expect(refused(removeLink(d, 4))).toBe('no link #4');
  });
});

describe('delete, rename, move', () => {
  it('deleting machines takes their links and script lines along', () => {
    let d = ok(addLink(ok(addLink(star(), 'h1', 'sw1')), 'h2', 'sw1'));
    d = { ...d, script: [{ at: '1s', on: 'h1', run: 'ping -c 1 h2' }, { at: '2s', on: 'h2', run: 'ss -tan' }] };
    d = ok(removeMachines(d, ['h1', 'h3']));
    expect(d.machines.map((m) => m.id)).toEqual(['sw1', 'h2']);
    expect(d.links).toEqual([{ a: 'h2:eth0', b: 'sw1:p2' }]);
    expect(d.script).toEqual([{ at: '2s', on: 'h2', run: 'ss -tan' }]);
    expect(refused(removeMachines(d, ['nope']))).toBe('no machine named "nope"');
  });

  it('renaming updates link ends and script lines, and refuses bad or taken names', () => {
    let d = ok(addLink(star(), 'h1', 'sw1'));
    d = { ...d, script: [{ at: '1s', on: 'h1', run: 'ip addr' }] };
    d = ok(renameMachine(d, 'h1', 'alice'));
    expect(d.links).toEqual([{ a: 'alice:eth0', b: 'sw1:p1' }]);
    expect(d.script![0]!.on).toBe('alice');
    expect(refused(renameMachine(d, 'alice', 'h2'))).toBe('a machine named "h2" already exists');
    expect(refused(renameMachine(d, 'alice', '9lives'))).toMatch(/"9lives" is not a machine name/);
    expect(refused(renameMachine(d, 'alice', 'a:b'))).toMatch(/not a machine name/);
  });

  it('moves keep whole units and snap to a grid on request', () => {
    const d = ok(moveMachines(star(), new Map([['h1', { x: 12.7, y: -3.2 }]])));
    expect(d.machines[1]!.position).toEqual({ x: 13, y: -3 });
    expect(snap({ x: 33, y: 47 }, 20)).toEqual({ x: 40, y: 40 });
    const same = star();
    const e = moveMachines(same, new Map([['h1', { x: 0, y: 200 }]]));
    expect(e.ok && e.doc).toBe(same); // nothing moved: the same document, so no undo step
  });
});

describe('undo and redo of edits', () => {
  it('take back each edit exactly, in order, and redo replays them', () => {
    const h = new History(empty);
    const states: LabDoc[] = [h.doc];
    const apply = (e: Edit<unknown>): void => {
      if (!e.ok) throw new Error(e.reason);
      h.commit(e.doc, { label: e.label });
      states.push(h.doc);
    };
    apply(addMachine(h.doc, 'switch', { x: 0, y: 0 }));
    apply(addMachine(h.doc, 'host', { x: 0, y: 100 }));
    apply(addLink(h.doc, 'h1', 'sw1'));
    apply(renameMachine(h.doc, 'h1', 'alice'));
    apply(removeMachines(h.doc, ['sw1']));
    expect(h.undoLabel).toBe('delete sw1');
    for (let i = states.length - 2; i >= 0; i--) expect(h.undo()).toEqual(states[i]);
    expect(h.undo()).toBeNull();
    for (let i = 1; i < states.length; i++) expect(h.redo()).toEqual(states[i]);
    expect(h.redo()).toBeNull();
  });

  it('a drag is one step; a new edit after undo drops the redo branch', () => {
    const h = new History(star());
    const start = h.doc;
    for (const x of [10, 20, 30]) {
      const e = moveMachines(h.doc, new Map([['h1', { x, y: 0 }]]));
      if (e.ok) h.commit(e.doc, { label: e.label, mergeKey: 'drag h1' });
    }
    h.seal();
    expect(h.doc.machines[1]!.position).toEqual({ x: 30, y: 0 });
    expect(h.undo()).toBe(start);
    expect(h.canRedo).toBe(true);
    const e = addMachine(h.doc, 'hub', { x: 0, y: 0 });
    if (e.ok) h.commit(e.doc, { label: e.label });
    expect(h.canRedo).toBe(false);
    expect(h.undoLabel).toBe('add hub1');
  });
});
