import { describe, expect, it } from 'vitest';
import { ConsoleRouter } from './console-router';

describe('ConsoleRouter', () => {
  it('writes to the attached sink', () => {
    const r = new ConsoleRouter();
    const out: string[] = [];
    r.attach('c1', (d) => out.push(d));
    r.write('c1', 'a');
    r.write('c2', 'x');
    expect(out).toEqual(['a']);
  });
  it('buffers output that arrives before the terminal and flushes it in order', () => {
    const r = new ConsoleRouter();
    r.write('c1', 'login: ');
    r.write('c1', '$ ');
    const out: string[] = [];
    r.attach('c1', (d) => out.push(d));
    r.write('c1', 'ls');
    expect(out).toEqual(['login: ', '$ ', 'ls']);
    expect(r.bufferedFor('c1')).toBe('');
  });
  it('stops writing after detach and drops output for forgotten sessions', () => {
    const r = new ConsoleRouter();
    const out: string[] = [];
    const detach = r.attach('c1', (d) => out.push(d));
    detach();
    r.write('c1', 'later');
    expect(out).toEqual([]);
    expect(r.bufferedFor('c1')).toBe('later');
    r.forget('c1');
    r.write('c1', 'late');
    expect(r.bufferedFor('c1')).toBe('');
  });
  it('a stale detach does not remove a newer sink', () => {
    const r = new ConsoleRouter();
    const a: string[] = [];
    const b: string[] = [];
    const detachA = r.attach('c1', (d) => a.push(d));
    r.attach('c1', (d) => b.push(d));
    detachA();
    r.write('c1', 'x');
    expect(b).toEqual(['x']);
  });
  it('bounds buffers by size and session count', () => {
    const r = new ConsoleRouter(10, 2);
    r.write('a', '12345');
    r.write('a', '67890');
    r.write('a', 'abc');
    expect(r.bufferedFor('a')).toBe('67890abc');
    r.write('b', 'b');
    r.write('c', 'c');
    expect(r.bufferedFor('a')).toBe('');
    expect(r.bufferedFor('c')).toBe('c');
  });
});
