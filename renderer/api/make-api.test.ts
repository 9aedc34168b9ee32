import { describe, expect, it } from 'vitest';
import { cleanErrorMessage, LAB_METHODS, makeLabApi } from './make-api';

describe('makeLabApi', () => {
  it('forwards every method with its arguments', async () => {
    const calls: [string, unknown[]][] = [];
    const api = makeLabApi(async (m, args) => {
      calls.push([m, args]);
      return m;
    });
    await expect(api.consoleInput('c1', 'ls\r')).resolves.toBe('consoleInput');
    await api.setSpeed({ mode: 'max' });
    await api.startService('server', 'ftp', 2121);
    await api.machineLog('server', { offset: 5 });
    expect(calls).toEqual([
      ['consoleInput', ['c1', 'ls\r']],
      ['setSpeed', [{ mode: 'max' }]],
      ['startService', ['server', 'ftp', 2121]],
      ['machineLog', ['server', { offset: 5 }]],
    ]);
    expect(LAB_METHODS).toHaveLength(35);
    for (const m of LAB_METHODS) expect(typeof (api as unknown as Record<string, unknown>)[m]).toBe('function');
  });
});

describe('cleanErrorMessage', () => {
  it('strips Electron’s IPC wrapper', () => {
    expect(cleanErrorMessage(new Error("Error invoking remote method 'lab:call': Error: unknown machine x"))).toBe('unknown machine x');
    expect(cleanErrorMessage(new Error("Error invoking remote method 'lab:call': TypeError: bad"))).toBe('bad');
  });
  it('keeps other messages', () => {
    expect(cleanErrorMessage(new Error('plain'))).toBe('plain');
    expect(cleanErrorMessage('str')).toBe('str');
  });
});
