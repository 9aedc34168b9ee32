import { describe, expect, it } from 'vitest';
import { endpoint, formatRemaining, ownersText, parseEndpoint, ssState, timerText } from './kernel-format';
import { ip } from './fixtures';

describe('kernel formatting', () => {
  it('spells states as ss does', () => {
    expect(['ESTABLISHED', 'SYN_RECV', 'TIME_WAIT', 'FIN_WAIT2', 'LISTEN', 'UNCONN'].map((s) => ssState(s as never))).toEqual([
      'ESTAB',
      'SYN-RECV',
      'TIME-WAIT',
      'FIN-WAIT-2',
      'LISTEN',
      'UNCONN',
    ]);
  });
  it('formats and parses endpoints', () => {
    expect(endpoint(ip('10.0.0.2'), 5010)).toBe('10.0.0.2:5010');
    expect(endpoint(0, 0)).toBe('0.0.0.0:*');
    expect(parseEndpoint('10.0.0.1:40298')).toEqual({ addr: ip('10.0.0.1'), port: 40298 });
    expect(parseEndpoint('*:*')).toEqual({ addr: 0, port: 0 });
    expect(parseEndpoint('0.0.0.0:*')).toEqual({ addr: 0, port: 0 });
    expect(parseEndpoint('10.0.0.1')).toBeNull();
    expect(parseEndpoint('10.0.0.1:99999')).toBeNull();
  });
  it('lists owners as name(pid)/fd', () => {
    expect(ownersText([{ name: 'python3', pid: 30691, fd: 3 }, { name: 'python3', pid: 30565, fd: 3 }])).toBe('python3(30691)/3, python3(30565)/3');
  });
  it('formats remaining times and timers', () => {
    expect(formatRemaining(-5)).toBe('0ms');
    expect(formatRemaining(850e6)).toBe('850ms');
    expect(formatRemaining(1.5e9)).toBe('1.5s');
    expect(formatRemaining(2e9)).toBe('2s');
    expect(formatRemaining(57.9e9)).toBe('57s');
    expect(formatRemaining(123e9)).toBe('2m03s');
    expect(timerText({ kind: 'timewait', expiresNs: 60e9, retransmits: 0 }, 3e9)).toBe('timewait 57s');
    expect(timerText({ kind: 'on', expiresNs: 2e9, retransmits: 2 }, 1e9)).toBe('on 1s (2 retrans)');
    expect(timerText({ kind: 'keepalive', expiresNs: 2e9, retransmits: 1 }, 1e9)).toBe('keepalive 1s (1 probe)');
    expect(timerText(undefined, 0)).toBe('');
  });
});
