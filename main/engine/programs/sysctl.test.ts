import { describe, expect, it } from 'vitest';
import { sysctl } from './sysctl';
import { err, run } from './testing';

function sysctlRun(...args: string[]) {
  const values: Record<string, string> = { 'net.ipv4.tcp_syncookies': '1', 'net.ipv4.ip_local_port_range': '32768\t60999', 'net.core.somaxconn': '4096' };
  const r = run(sysctl, ['sysctl', ...args], {
    handlers: {
      sysctl: (c) => {
        if (!(c.name in values)) return err('ENOENT');
        if (c.value === undefined) return values[c.name]!;
        if (!/^\d+$/.test(c.value)) return err('EINVAL');
        return (values[c.name] = c.value);
      },
    },
  });
  return { ...r, values };
}

describe('sysctl (procps-ng)', () => {
  it('reads: name = value, -n, slashes', () => {
    expect(sysctlRun('net.ipv4.tcp_syncookies').stdout).toBe('net.ipv4.tcp_syncookies = 1\n');
    expect(sysctlRun('net/ipv4/ip_local_port_range').stdout).toBe('net.ipv4.ip_local_port_range = 32768\t60999\n');
    expect(sysctlRun('-n', 'net.core.somaxconn').stdout).toBe('4096\n');
  });

  it('writes: -w NAME=VALUE or NAME=VALUE, echoing the setting', () => {
    const r = sysctlRun('-w', 'net.ipv4.tcp_syncookies=0');
    expect([r.stdout, r.values['net.ipv4.tcp_syncookies']]).toEqual(['net.ipv4.tcp_syncookies = 0\n', '0']);
    expect(sysctlRun('net.core.somaxconn=128').stdout).toBe('net.core.somaxconn = 128\n');
    expect(sysctlRun('-q', '-w', 'net.core.somaxconn=128').stdout).toBe('');
  });

  it('errors: unknown key, bad value, no form', () => {
    const a = sysctlRun('net.ipv4.nope');
    expect([a.status, a.stderr]).toEqual([1, 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n']);
    const b = sysctlRun('-w', 'net.ipv4.tcp_syncookies=x');
    expect([b.status, b.stderr]).toEqual([1, 'sysctl: setting key "net.ipv4.tcp_syncookies": Invalid argument\n']);
    expect(sysctlRun('-w', 'net.core.somaxconn').stderr).toBe('sysctl: "net.core.somaxconn" must be of the form name=value\n');
    expect(sysctlRun().stderr).toBe("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    expect(sysctlRun('-e', 'net.ipv4.nope')).toMatchObject({ status: 0, stderr: '' });
  });

  it('-a: every parameter the kernel has, sorted (the rest answer ENOENT)', () => {
    expect(sysctlRun('-a').stdout).toBe('net.core.somaxconn = 4096\nnet.ipv4.ip_local_port_range = 32768\t60999\nnet.ipv4.tcp_syncookies = 1\n');
    expect(sysctlRun('-a', '-r', 'syncookies').stdout).toBe('net.ipv4.tcp_syncookies = 1\n');
  });
});
