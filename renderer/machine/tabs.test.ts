import { describe, expect, it } from 'vitest';
import { neighbourAfterClose, nextOrdinal, tabTestId, tabTitle, type ConsoleTab } from './tabs';

const tab = (key: string, machine: string, ordinal = 1): ConsoleTab => ({ key, machine, consoleId: `id-${key}`, ordinal });

describe('console tabs', () => {
  it('numbers extra sessions per machine, reusing freed numbers', () => {
    expect(nextOrdinal([], 'h1')).toBe(1);
    expect(nextOrdinal([tab('a', 'h1'), tab('b', 'h2')], 'h1')).toBe(2);
    expect(nextOrdinal([tab('a', 'h1', 1), tab('b', 'h1', 3)], 'h1')).toBe(2);
  });
  it('titles and test ids', () => {
    expect(tabTitle(tab('a', 'h1'))).toBe('h1');
    expect(tabTitle(tab('a', 'h1', 2))).toBe('h1 (2)');
    expect(tabTestId(tab('a', 'h1'))).toBe('h1');
    expect(tabTestId(tab('a', 'h1', 2))).toBe('h1#2');
  });
  it('activates the right neighbour after a close, else the left', () => {
    const tabs = [tab('a', 'x'), tab('b', 'y'), tab('c', 'z')];
    expect(neighbourAfterClose(tabs, 'b')).toBe('c');
    expect(neighbourAfterClose(tabs, 'c')).toBe('b');
    expect(neighbourAfterClose([tab('a', 'x')], 'a')).toBeNull();
    expect(neighbourAfterClose(tabs, 'nope')).toBeNull();
  });
});
