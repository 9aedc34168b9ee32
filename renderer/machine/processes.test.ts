import { describe, expect, it } from 'vitest';
import { d4Server, eForkServer } from './fixtures';
import { commandLine, processForest, processStateText, processStateTitle, sharedDescriptions, sortedFds, startsExpanded } from './processes';

describe('processForest', () => {
  it('orders parents before children, by pid, with depth', () => {
    const lines = processForest(eForkServer().processes);
    expect(lines.map((l) => [l.row.pid, l.depth])).toEqual([
      [401, 0],
      [30565, 1],
      [30691, 2],
    ]);
  });
  it('survives a ppid cycle', () => {
    const rows = eForkServer().processes.map((p) => (p.pid === 401 ? { ...p, ppid: 30691 } : p));
    expect(processForest(rows).map((l) => l.row.pid).sort()).toEqual([30565, 30691, 401]);
  });
});

describe('sharedDescriptions', () => {
  it('e_fork: the listener (fd 3) and the connection (fd 4) are each shared by both pids', () => {
    const shared = sharedDescriptions(eForkServer().processes);
    expect(shared.get(20)).toMatchObject({ socket: true, colour: 0, legend: 'shared by pid 30565 fd 3, pid 30691 fd 3' });
    expect(shared.get(21)).toMatchObject({ socket: true, colour: 1, legend: 'shared by pid 30565 fd 4, pid 30691 fd 4' });
    // The terminal every process inherited from the shell is shared too, after the sockets.
    expect(shared.get(1)).toMatchObject({ socket: false, colour: 2 });
    expect(shared.get(1)?.holders.map((h) => h.pid)).toEqual([401, 30565, 30691]);
  });
  it('a shell and its child sharing one terminal description on fds 0-2 read as one legend per pid', () => {
    const fds = [0, 1, 2].map((fd) => ({ fd, description: 1, label: '/dev/pts/0' }));
    const [sh, server] = d4Server().processes;
    const shared = sharedDescriptions([{ ...sh, fds }, { ...server, fds }]);
    expect(shared.get(1)?.legend).toBe('shared by pid 401 fds 0,1,2, pid 412 fds 0,1,2');
  });
  it('d4: only the inherited terminal is shared; the listener has one holder', () => {
    const shared = sharedDescriptions(d4Server().processes);
    expect(shared.has(7)).toBe(false);
    expect([...shared.values()].every((s) => !s.socket)).toBe(true);
  });
  it('dup within one process counts as shared', () => {
    const p = { ...d4Server().processes[1], fds: [{ fd: 3, description: 9, label: 'socket:[1]' }, { fd: 5, description: 9, label: 'socket:[1]' }] };
    expect(sharedDescriptions([p]).get(9)?.legend).toBe('shared by pid 412 fds 3,5');
  });
});

describe('process text', () => {
  const [sh, server] = d4Server().processes;
  it('state with wchan', () => {
    expect(processStateText(server)).toBe('S accept');
    expect(processStateText({ state: 'R', wchan: '' })).toBe('R');
    expect(processStateTitle(server)).toBe('S: sleeping in accept()');
    expect(processStateTitle({ state: 'Z', wchan: '' })).toContain('zombie');
  });
  it('command line and expansion', () => {
    expect(commandLine(server)).toBe('server -b 1 5010');
    expect(commandLine({ name: 'init', argv: [] })).toBe('init');
    expect(startsExpanded(server)).toBe(true);
    expect(startsExpanded(sh)).toBe(false);
    expect(sortedFds([{ fd: 4, description: 1, label: 'a' }, { fd: 0, description: 2, label: 'b' }]).map((f) => f.fd)).toEqual([0, 4]);
  });
});
