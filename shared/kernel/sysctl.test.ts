import { describe, expect, it } from 'vitest';
import { parseSysctl } from './sysctl';

describe('parseSysctl', () => {
  it('rejects an empty or all-space value, naming the sysctl', () => {
    expect(parseSysctl('net.ipv4.tcp_sack', '')).toEqual({ error: 'a value is required for net.ipv4.tcp_sack (an integer 0..1)' });
    expect(parseSysctl('net.ipv4.tcp_sack', ' \t ')).toEqual({ error: 'a value is required for net.ipv4.tcp_sack (an integer 0..1)' });
    expect(parseSysctl('net.ipv4.ip_local_port_range', '')).toEqual({
      error: 'a value is required for net.ipv4.ip_local_port_range (two integers 1..65535, low first)',
    });
  });

  it('still accepts valid values', () => {
    expect(parseSysctl('net.ipv4.tcp_sack', '0')).toEqual({ value: 0 });
    expect(parseSysctl('net.ipv4.tcp_sack', ' 1 ')).toEqual({ value: 1 });
    expect(parseSysctl('net.ipv4.ip_local_port_range', '40000 40100')).toEqual({ value: [40000, 40100] });
  });
});
