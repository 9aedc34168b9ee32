import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TraceStore } from '../trace';
import { Autosave } from './autosave';
import { LabService } from './lab-service';

const TWO_HOSTS = readFileSync('examples/two-hosts.lab.json', 'utf8');
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'autosave-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Autosave', () => {
  it('a session that ended cleanly leaves nothing to recover', () => {
    const dir = freshDir();
    const a = new Autosave(dir);
    a.write(TWO_HOSTS);
    a.end();
    expect(new Autosave(dir).pending()).toBeNull();
  });

  it('a session that did not end offers its last autosave to the next one, until it is settled', () => {
    const dir = freshDir();
    const a = new Autosave(dir);
    a.write(TWO_HOSTS.replace('"two hosts"', '"mine"')); // ...and the process is killed: no end()
    const b = new Autosave(dir);
    expect(b.pending()).toMatchObject({ labName: 'mine' });
    expect(b.pending()!.text).toContain('"mine"');
    const c = new Autosave(dir); // b is killed before deciding, having changed nothing: still offered
    expect(c.pending()?.labName).toBe('mine');
    c.write(TWO_HOSTS); // c works on another lab and is killed: its newer work is what is offered next
    const d = new Autosave(dir);
    expect(d.pending()?.labName).toBe('two hosts');
    d.settle();
    d.end();
    expect(new Autosave(dir).pending()).toBeNull();
  });

  it('a lock held by another live session leaves its folder alone: nothing offered, nothing written or removed', () => {
    const dir = freshDir();
    const other = new Autosave(dir);
    other.write(TWO_HOSTS);
    writeFileSync(join(dir, 'session.lock'), `${process.ppid}\n`); // a process that surely runs
    const mine = new Autosave(dir);
    expect(mine.off).toBe(`another Packet Lab session (pid ${process.ppid}) is using ${dir}`);
    expect(mine.pending()).toBeNull();
    mine.write(TWO_HOSTS.replace('"two hosts"', '"mine"'));
    mine.end();
    expect(readFileSync(join(dir, 'autosave.lab.json'), 'utf8')).toBe(TWO_HOSTS);
    expect(existsSync(join(dir, 'session.lock'))).toBe(true);
  });

  it('a lock whose process is gone is a crash: its lab is offered', () => {
    const dir = freshDir();
    new Autosave(dir).write(TWO_HOSTS);
    writeFileSync(join(dir, 'session.lock'), '4194000\n'); // above any pid Linux hands out by default
    const next = new Autosave(dir);
    expect(next.off).toBeNull();
    expect(next.pending()?.labName).toBe('two hosts');
  });

  it('a folder that cannot be used turns autosave off with the reason instead of failing start-up', () => {
    const file = join(freshDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const a = new Autosave(join(file, 'packet-lab'));
    expect(a.off).toBe(`cannot use ${join(file, 'packet-lab')}: ENOTDIR`);
    a.write(TWO_HOSTS);
    a.end();
    expect(a.pending()).toBeNull();
  });

  it('a start that failed (release) frees the lock and keeps the lab to recover for the next start', () => {
    const dir = freshDir();
    new Autosave(dir).write(TWO_HOSTS); // a session that crashed
    const failed = new Autosave(dir);
    expect(failed.pending()?.labName).toBe('two hosts');
    failed.write(TWO_HOSTS.replace('two hosts', 'written by the failed start'));
    failed.release();
    expect(existsSync(join(dir, 'session.lock'))).toBe(false);
    expect(existsSync(join(dir, 'autosave.lab.json'))).toBe(false);
    expect(new Autosave(dir).pending()?.labName).toBe('two hosts');
  });

  it('settling removes the offer for good', () => {
    const dir = freshDir();
    new Autosave(dir).write(TWO_HOSTS);
    const c = new Autosave(dir);
    expect(c.pending()).not.toBeNull();
    c.settle();
    expect(c.pending()).toBeNull();
    c.end();
    expect(new Autosave(dir).pending()).toBeNull();
  });

  it('a damaged autosave is not offered (and not deleted)', () => {
    const dir = freshDir();
    new Autosave(dir);
    writeFileSync(join(dir, 'autosave.lab.json'), '{"format":"packet-lab/1","name":');
    expect(new Autosave(dir).pending()).toBeNull();
    expect(existsSync(join(dir, 'recovery.lab.json'))).toBe(true);
  });

  it('writes atomically: no temporary file is left, and an unchanged lab is not rewritten', () => {
    const dir = freshDir();
    const a = new Autosave(dir);
    a.write(TWO_HOSTS);
    expect(readFileSync(join(dir, 'autosave.lab.json'), 'utf8')).toBe(TWO_HOSTS);
    expect(existsSync(join(dir, 'autosave.lab.json.tmp'))).toBe(false);
    rmSync(join(dir, 'autosave.lab.json'));
    a.write(TWO_HOSTS);
    expect(existsSync(join(dir, 'autosave.lab.json'))).toBe(false);
  });
});

describe('LabService with autosave', () => {
  it('every change reaches the autosave; the next session recovers it (or discards it) once', async () => {
    const dir = freshDir();
    const store = TraceStore.open(':memory:');
    const svc = new LabService(TWO_HOSTS, { store, autosave: new Autosave(dir) });
    const saved = () => readFileSync(join(dir, 'autosave.lab.json'), 'utf8');
    expect(existsSync(join(dir, 'autosave.lab.json'))).toBe(false); // nothing changed yet
    const doc = (await svc.getState()).doc;
    await svc.editLab({ ...doc, machines: [...doc.machines, { id: 'h9', kind: 'host', position: { x: 5, y: 5 } }] });
    expect(saved()).toContain('"h9"');
    await svc.moveMachine('client', 40, 60);
    expect(saved()).toContain('"x": 40');
    svc.dispose(); // the process dies here: no Autosave.end()

    const next = new LabService(readFileSync('examples/default.lab.json', 'utf8'), { store, autosave: new Autosave(dir) });
    const offer = await next.getRecovery();
    expect(offer?.labName).toBe('two hosts');
    const r = await next.settleRecovery('recover');
    expect(r?.ok && r.state.doc.machines.map((m) => m.id)).toEqual(['client', 'server', 'h9']);
    expect(await next.getRecovery()).toBeNull();
    expect(await next.settleRecovery('discard')).toBeNull();
    next.dispose();
    store.close();
  });

  it('an autosave that cannot be written is reported and the lab goes on', async () => {
    const dir = freshDir();
    const store = TraceStore.open(':memory:');
    const autosave = new Autosave(dir);
    const svc = new LabService(TWO_HOSTS, { store, autosave });
    const events: string[] = [];
    svc.onEvent((e) => e.type === 'fault' && events.push(e.message));
    rmSync(dir, { recursive: true, force: true }); // the folder vanished (a removed drive...)
    await svc.moveMachine('client', 1, 2);
    expect(events[0]).toMatch(/^Autosave failed: .*ENOENT/);
    expect((await svc.getState()).doc.machines[0]!.position).toEqual({ x: 1, y: 2 });
    svc.dispose();
    store.close();
  });

  it('a session whose autosave is off says why once, at the first change, and the lab goes on', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'session.lock'), `${process.ppid}\n`);
    const store = TraceStore.open(':memory:');
    const svc = new LabService(TWO_HOSTS, { store, autosave: new Autosave(dir) });
    const events: string[] = [];
    svc.onEvent((e) => e.type === 'fault' && events.push(e.message));
    await svc.moveMachine('client', 1, 2);
    await svc.moveMachine('client', 3, 4);
    expect(events).toEqual([`Autosave is off: another Packet Lab session (pid ${process.ppid}) is using ${dir}. The lab runs on; save it to a file to keep it.`]);
    svc.dispose();
    store.close();
  });
});
