import { describe, expect, it } from 'vitest';
import { optionOf, portOf } from './args';

describe('web host options', () => {
  it('gives the value after an option, or undefined when the option is absent', () => {
    const argv = ['node', 'index.ts', '--trace', 'a.sqlite', '--paused', '--port', '8080'];
    expect(optionOf(argv, '--trace')).toBe('a.sqlite');
    expect(optionOf(argv, '--port')).toBe('8080');
    expect(optionOf(argv, '--lab')).toBeUndefined();
  });

  it('refuses an option given without a value, at the end or before another option', () => {
    expect(() => optionOf(['node', 'index.ts', '--trace'], '--trace')).toThrow('--trace needs a value');
    expect(() => optionOf(['node', 'index.ts', '--db', '--paused'], '--db')).toThrow('--db needs a value');
  });

  it('takes --port as a port number, 0 when absent, and refuses anything else naming it', () => {
    expect(portOf(undefined)).toBe(0);
    expect(portOf('8080')).toBe(8080);
    for (const bad of ['abc', '-1', '65536', '80.5', '']) expect(() => portOf(bad)).toThrow(`--port: "${bad}" is not a port number (0-65535)`);
  });
});
