import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, parseDuration, parseRate } from './units';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['1ns', 1],
    ['500ns', 500],
    ['500us', 500_000],
    ['20ms', 20_000_000],
    ['1.5s', 1_500_000_000],
    ['2m', 120_000_000_000],
    ['0.5us', 500],
    ['1.000000001s', 1_000_000_001],
    ['100us', 100_000],
    ['007ms', 7_000_000],
    ['9007199254740991ns', Number.MAX_SAFE_INTEGER],
  ])('%s -> %d ns', (s, ns) => {
    expect(parseDuration(s)).toBe(ns);
  });

  it.each([
    '', '5', '-5ms', '+5ms', 'NaN', 'Infinity', 'ms', '.5s', '5.s', '1e3ms', '5 ms', ' 5ms', '5ms ', '5MS', '5h', '5 parsecs',
    '0.5ns', // not a whole number of nanoseconds
    '1.0000000001s',
    '9007199254740992ns', // 2^53: beyond exact integers
    '1000000000000m',
    `${'9'.repeat(60)}s`,
  ])('rejects %j', (s) => {
    expect(parseDuration(s)).toBeNull();
  });

  it('rejects non-strings without throwing', () => {
    expect(parseDuration(5 as unknown as string)).toBeNull();
    expect(parseDuration(null as unknown as string)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0'],
    [1, '1ns'],
    [500, '500ns'],
    [100_000, '100us'], // not "0.1ms": equally short, a whole number wins
    [500_000, '500us'],
    [1_500_000, '1.5ms'],
    [20_000_000, '20ms'],
    [1_000_000_000, '1s'],
    [1_500_000_000, '1.5s'],
    [60_000_000_000, '1m'],
    [90_000_000_000, '90s'],
    [120_000_000_000, '2m'],
    [1_234_567, '1234567ns'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991ns'],
  ])('%d ns -> %s', (ns, s) => {
    expect(formatDuration(ns)).toBe(s);
  });

  it('round-trips through parseDuration', () => {
    for (const ns of [0, 1, 7, 999, 1000, 1001, 123_456_789, 3_600_000_000_000, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      expect(parseDuration(formatDuration(ns))).toBe(ns);
    }
  });

  it.each([-1, 1.5, NaN, Infinity, 2 ** 53])('throws RangeError for %d', (ns) => {
    expect(() => formatDuration(ns)).toThrow(RangeError);
  });
});

describe('parseRate', () => {
  it.each([
    ['9600bps', 9600],
    ['64kbps', 64_000],
    ['10Mbps', 10_000_000],
    ['100Mbps', 100_000_000],
    ['1Gbps', 1_000_000_000],
    ['1.5Gbps', 1_500_000_000],
    ['10mbps', 10_000_000],
    ['10MBPS', 10_000_000],
    ['64Kbps', 64_000],
    ['1gBpS', 1_000_000_000],
  ])('%s -> %d bps', (s, bps) => {
    expect(parseRate(s)).toBe(bps);
  });

  it.each(['', '0bps', '0Mbps', '10', 'Mbps', '-1Mbps', '10 Mbps', '10Tbps', '10Mb/s', '10MBps ', '0.5bps', '1.0001kbps', 'NaNbps', `${'9'.repeat(20)}Gbps`])(
    'rejects %j',
    (s) => {
      expect(parseRate(s)).toBeNull();
    },
  );
});

describe('formatRate', () => {
  it.each([
    [1, '1bps'],
    [9600, '9600bps'], // not "9.6kbps": equally short, a whole number wins
    [64_000, '64kbps'],
    [10_000_000, '10Mbps'],
    [1_000_000_000, '1Gbps'],
    [1_500_000_000, '1.5Gbps'],
    [2_500_000, '2.5Mbps'],
    [123_456_789, '123456789bps'],
  ])('%d bps -> %s', (bps, s) => {
    expect(formatRate(bps)).toBe(s);
  });

  it('round-trips through parseRate', () => {
    for (const bps of [1, 999, 1000, 1001, 56_000, 1e9, 4e10, Number.MAX_SAFE_INTEGER]) {
      expect(parseRate(formatRate(bps))).toBe(bps);
    }
  });

  it.each([0, -1, 0.5, NaN])('throws RangeError for %d', (bps) => {
    expect(() => formatRate(bps)).toThrow(RangeError);
  });
});
