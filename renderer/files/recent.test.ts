import { describe, expect, it } from 'vitest';
import { addRecent, labFileName, labNameOf, parseRecent, RECENT_MAX, RECENT_MAX_CHARS, type RecentLab } from './recent';

const entry = (fileName: string, atMs = 1): RecentLab => ({ fileName, labName: fileName, text: '{}', atMs });

describe('recent files', () => {
  it('newest first, one entry per file name, at most RECENT_MAX', () => {
    let list: RecentLab[] = [];
    for (let i = 0; i < RECENT_MAX + 3; i++) list = addRecent(list, entry(`f${i}.lab.json`, i));
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]!.fileName).toBe(`f${RECENT_MAX + 2}.lab.json`);
    list = addRecent(list, entry('f5.lab.json', 99));
    expect(list.map((r) => r.fileName).filter((f) => f === 'f5.lab.json')).toHaveLength(1);
    expect(list[0]).toMatchObject({ fileName: 'f5.lab.json', atMs: 99 });
  });

  it('a file too large to keep is not listed (and its older entry goes)', () => {
    const big = { ...entry('big.lab.json'), text: 'x'.repeat(RECENT_MAX_CHARS + 1) };
    expect(addRecent([entry('big.lab.json')], big)).toEqual([]);
  });

  it('reads back what it stored and drops anything malformed', () => {
    const list = [entry('a.lab.json'), entry('b.lab.json')];
    expect(parseRecent(JSON.stringify(list))).toEqual(list);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent(JSON.stringify([entry('ok.lab.json'), { fileName: 3 }, null]))).toEqual([entry('ok.lab.json')]);
    expect(parseRecent(null)).toEqual([]);
  });

  it('names: the lab name from the text, file names made safe and given .lab.json', () => {
    expect(labNameOf('{"name":"routed"}', 'r.lab.json')).toBe('routed');
    expect(labNameOf('{broken', 'r.lab.json')).toBe('r.lab.json');
    expect(labFileName(' my lab ')).toBe('my lab.lab.json');
    expect(labFileName('a/b:c')).toBe('a_b_c.lab.json');
    expect(labFileName('x.json')).toBe('x.json');
    expect(labFileName('   ')).toBeNull();
    expect(labFileName('..')).toBeNull();
  });
});
