import { describe, expect, it } from 'vitest';
import { civil, ctime, httpDate, lsDate, mailDate } from './clock';

const S = 1e9;

describe('the lab clock', () => {
  it('starts at 2026-01-01 00:00:00 UTC, a Thursday', () => {
    expect(civil(0)).toEqual({ year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 4 });
    expect(httpDate(0)).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(mailDate(61 * S)).toBe('Thu, 1 Jan 2026 00:01:01 +0000');
    expect(ctime(3661 * S)).toBe('Thu Jan  1 01:01:01 2026');
    expect(lsDate(0)).toBe('Jan  1 00:00');
  });

  it('crosses days, months and a leap year (2028-02-29 is a Tuesday)', () => {
    expect(civil(86400 * S)).toMatchObject({ year: 2026, month: 1, day: 2, weekday: 5 });
    expect(civil(31 * 86400 * S)).toMatchObject({ month: 2, day: 1 });
    // 2026: 365 days, 2027: 365 days, then Jan (31) + 28 days of Feb 2028 -> Feb 29.
    expect(civil((365 + 365 + 31 + 28) * 86400 * S)).toMatchObject({ year: 2028, month: 2, day: 29, weekday: 2 });
    expect(httpDate((365 * 86400 + 5) * S)).toBe('Fri, 01 Jan 2027 00:00:05 GMT');
  });
});
