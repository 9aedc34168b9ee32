import { describe, expect, it } from 'vitest';
import { PortTable, type PortHolder } from './ports';

const holder = (name: string, localPort: number, o: Partial<PortHolder> = {}): PortHolder => ({
  localAddr: 0, localPort, reuseAddr: false, reusePort: false, listening: false, autoBound: false, holderName: () => name, ...o,
});

describe('PortTable', () => {
  it('keeps holders through the one -> shared -> one -> none transitions of a port', () => {
    const t = new PortTable();
    const a = holder('a', 5000, { reusePort: true });
    const b = holder('b', 5000, { reusePort: true });
    const c = holder('c', 5000, { reusePort: true });
    t.add(a);
    t.add(a); // adding twice is idempotent, like a Set
    expect(t.holders(5000)).toEqual([a]);
    t.add(b);
    t.add(c);
    expect(t.holders(5000)).toEqual([a, b, c]);
    t.remove(b);
    t.remove(a);
    expect(t.holders(5000)).toEqual([c]);
    t.remove(a); // not a holder any more: nothing changes
    expect(t.holders(5000)).toEqual([c]);
    t.remove(c);
    expect(t.inUse(5000)).toBe(false);
    expect(t.holders(5000)).toEqual([]);
  });

  it('finds the conflicting holder among several (inet_csk_bind_conflict)', () => {
    const t = new PortTable();
    const tw = holder('tw', 80, { localAddr: 0x0a000001, reuseAddr: true });
    const l = holder('listener', 80, { localAddr: 0x0a000002, listening: true });
    t.add(tw);
    t.add(l);
    expect(t.conflict(0x0a000001, 80, true, false)).toBeUndefined(); // both REUSEADDR, the holder is not listening
    expect(t.conflict(0x0a000001, 80, false, false)?.holderName()).toBe('tw');
    expect(t.conflict(0, 80, true, false)?.holderName()).toBe('listener'); // 0.0.0.0 overlaps every address
    expect(t.conflict(0x0a000003, 80, false, false)).toBeUndefined();
  });
});
