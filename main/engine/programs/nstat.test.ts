// nstat against linux-truth/d_backlog/*/nstat.txt (captured with `nstat -az <names>`).
import { describe, expect, it } from 'vitest';
import { Counters, fnmatch, nstat } from './nstat';
import { run } from './testing';

const names = [
  'TcpActiveOpens', 'TcpPassiveOpens', 'TcpAttemptFails', 'TcpEstabResets', 'TcpOutRsts', 'TcpExtSyncookiesSent', 'TcpExtSyncookiesRecv', 'TcpExtSyncookiesFailed',
  'TcpExtEmbryonicRsts', 'TcpExtListenOverflows', 'TcpExtListenDrops', 'TcpExtTCPAbortOnData', 'TcpExtTCPAbortOnClose', 'TcpExtTCPReqQFullDoCookies', 'TcpExtTCPReqQFullDrop',
];

function nstatOut(args: string[], counters: Record<string, number>) {
  return run(nstat, ['nstat', ...args], { handlers: { netlink: (c) => (c.query === 'counters' ? counters : []) } });
}

describe('nstat', () => {
  it('d1_stagger: nstat -az with names prints the real file byte for byte', () => {
    // The kernel's names are nstat's (TcpExtListenOverflows) or bare MIB fields (ActiveOpens): both work.
    const counters = { PassiveOpens: 2, EstabResets: 2, OutRsts: 4, TcpExtListenOverflows: 14, ListenDrops: 14, TcpInSegs: 40 };
    const r = nstatOut(['-az', ...names], counters);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '#kernel\n' +
        'TcpActiveOpens                  0                  0.0\n' +
        'TcpPassiveOpens                 2                  0.0\n' +
        'TcpAttemptFails                 0                  0.0\n' +
        'TcpEstabResets                  2                  0.0\n' +
        'TcpOutRsts                      4                  0.0\n' +
        'TcpExtSyncookiesSent            0                  0.0\n' +
        'TcpExtSyncookiesRecv            0                  0.0\n' +
        'TcpExtSyncookiesFailed          0                  0.0\n' +
        'TcpExtEmbryonicRsts             0                  0.0\n' +
        'TcpExtListenOverflows           14                 0.0\n' +
        'TcpExtListenDrops               14                 0.0\n' +
        'TcpExtTCPAbortOnData            0                  0.0\n' +
        'TcpExtTCPAbortOnClose           0                  0.0\n' +
        'TcpExtTCPReqQFullDoCookies      0                  0.0\n' +
        'TcpExtTCPReqQFullDrop           0                  0.0\n',
    );
  });

  it('d2_burst: cookies (the order is the kernel\'s, not the order of the patterns)', () => {
    const counters = { TcpPassiveOpens: 2, TcpEstabResets: 2, TcpOutRsts: 4, TcpExtSyncookiesSent: 2, TcpExtSyncookiesRecv: 2, TcpExtListenOverflows: 2, TcpExtListenDrops: 2, TcpExtTCPReqQFullDoCookies: 2 };
    const r = nstatOut(['-az', ...[...names].reverse()], counters);
    expect(r.stdout.split('\n').slice(6, 12)).toEqual([
      'TcpExtSyncookiesSent            2                  0.0',
      'TcpExtSyncookiesRecv            2                  0.0',
      'TcpExtSyncookiesFailed          0                  0.0',
      'TcpExtEmbryonicRsts             0                  0.0',
      'TcpExtListenOverflows           2                  0.0',
      'TcpExtListenDrops               2                  0.0',
    ]);
  });

  it('without -z only non-zero counters; groups in /proc/net/snmp then netstat order; configuration values skipped', () => {
    const r = nstatOut([], { TcpExtListenOverflows: 5, IpInReceives: 9, TcpCurrEstab: 3, UdpInDatagrams: 1, IcmpOutType3: 2, IcmpInType8: 1, IpExtInOctets: 700 });
    expect(r.stdout).toBe(
      '#kernel\n' +
        'IpInReceives                    9                  0.0\n' +
        'IcmpMsgInType8                  1                  0.0\n' +
        'IcmpMsgOutType3                 2                  0.0\n' +
        'UdpInDatagrams                  1                  0.0\n' +
        'TcpExtListenOverflows           5                  0.0\n' +
        'IpExtInOctets                   700                0.0\n',
    );
  });

  it('patterns are shell globs; -j prints JSON', () => {
    const c = { TcpExtListenOverflows: 5, TcpExtListenDrops: 5, TcpActiveOpens: 1 };
    expect(nstatOut(['TcpExtListen*'], c).stdout).toBe('#kernel\nTcpExtListenOverflows           5                  0.0\nTcpExtListenDrops               5                  0.0\n');
    expect(nstatOut(['-j', 'Tcp*'], c).stdout).toBe('{"kernel":{"TcpActiveOpens":1,"TcpExtListenOverflows":5,"TcpExtListenDrops":5}}\n');
  });

  it('a kernel without counters yet prints only the header; bad options print usage', () => {
    expect(run(nstat, ['nstat'], { handlers: { netlink: () => undefined } }).stdout).toBe('#kernel\n');
    const bad = nstatOut(['-Q'], {});
    expect(bad.status).toBe(255);
    expect(bad.stderr).toMatch(/^nstat: invalid option -- 'Q'\nUsage: nstat \[OPTION\]/);
  });
});

describe('counter names', () => {
  it('resolves prefixed, bare, Group.Field and misplaced names to Linux groups', () => {
    const c = new Counters({ ListenOverflows: 1, InSegs: 2, 'Icmp.InErrors': 3, InErrors: 4, IpInCsumErrors: 5, TcpInSegsData: 6, Frobs: 7, TcpTimeoutRehash: 8, IPReversePathFilter: 9 });
    expect(c.get('TcpExt', 'ListenOverflows')).toBe(1);
    expect(c.get('Tcp', 'InSegs')).toBe(2);
    expect(c.get('Icmp', 'InErrors')).toBe(3);
    expect(c.get('Udp', 'InErrors')).toBe(4);
    expect(c.get('IpExt', 'InCsumErrors')).toBe(5);
    expect(c.get('Tcp', 'InSegsData')).toBe(6);
    expect(c.get('TcpExt', 'Frobs')).toBe(7);
    expect(c.get('TcpExt', 'TcpTimeoutRehash')).toBe(8);
    expect(c.get('TcpExt', 'IPReversePathFilter')).toBe(9);
  });

  it('fnmatch', () => {
    expect([fnmatch('Tcp*', 'TcpExtTW'), fnmatch('Ip?nReceives', 'IpInReceives'), fnmatch('[IT]cp*', 'Icmp'), fnmatch('Tcp', 'TcpX')]).toEqual([true, true, false, false]);
  });
});
