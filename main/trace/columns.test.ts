import { describe, expect, it } from 'vitest';
import { allocColumns, COLUMN_NAMES, COLUMN_TYPES } from './columns';

describe('allocColumns', () => {
  it('gives every column, of its type, rows long and zeroed', () => {
    const cols = allocColumns(7);
    expect(Object.keys(cols).sort()).toEqual([...COLUMN_NAMES].sort());
    for (const name of COLUMN_NAMES) {
      expect(cols[name], name).toBeInstanceOf(COLUMN_TYPES[name]);
      expect([...cols[name]], name).toEqual([0, 0, 0, 0, 0, 0, 0]);
    }
  });
});
