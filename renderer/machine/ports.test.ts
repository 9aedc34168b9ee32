import { describe, expect, it } from 'vitest';
import { d4Server, eForkServer, fPortsClient } from './fixtures';
import { ephemeralBand, placeMarks, portRanges, portUses, RANGES, scaleX } from './ports';

describe('portUses', () => {
  it('d4: one port, coloured LISTEN, with every use in its tooltip', () => {
    const uses = portUses(d4Server().sockets, [32768, 60999]);
    expect(uses).toHaveLength(1);
    expect(uses[0]).toMatchObject({ port: 5010, range: 'registered', category: 'listen', ephemeral: false, count: 4 });
    expect(uses[0].title).toBe('5010/tcp: SYN-RECV, 2 ESTAB, LISTEN · server(412)');
  });
  it('f_ports: TIME_WAIT, established, UDP and a well-known listener; ICMP ids are not ports', () => {
    const uses = portUses(fPortsClient().sockets, [32768, 60999]);
    expect(uses.map((u) => [u.port, u.category])).toEqual([
      [22, 'listen'],
      [47356, 'timewait'],
      [47364, 'timewait'],
      [47370, 'timewait'],
      [47376, 'timewait'],
      [47386, 'timewait'],
      [47390, 'timewait'],
      [47398, 'timewait'],
      [47402, 'timewait'],
      [47418, 'timewait'],
      [47422, 'timewait'],
      [47424, 'established'],
      [50418, 'timewait'],
      [56317, 'udp'],
    ]);
    expect(uses.find((u) => u.port === 47356)?.title).toBe('47356/tcp: TIME-WAIT · in the ephemeral range');
    expect(uses.filter((u) => u.ephemeral).map((u) => u.port)).not.toContain(22);
  });
  it('the strongest use colours a port', () => {
    const uses = portUses(eForkServer().sockets, [32768, 60999]);
    expect(uses).toEqual([expect.objectContaining({ port: 5020, category: 'listen', count: 2 })]);
  });
});

describe('port ranges', () => {
  it('the ephemeral range overlaps registered and dynamic, not well-known', () => {
    const [wk, reg, dyn] = RANGES;
    expect(ephemeralBand(wk, [32768, 60999])).toBeNull();
    const r = ephemeralBand(reg, [32768, 60999])!;
    expect(r.from).toBeCloseTo((32768 - 1024) / (49151 - 1024));
    expect(r.to).toBe(1);
    const d = ephemeralBand(dyn, [32768, 60999])!;
    expect(d.from).toBe(0);
    expect(d.to).toBeCloseTo((60999 - 49152) / (65535 - 49152));
  });
  it('groups uses by range', () => {
    const views = portRanges(portUses(fPortsClient().sockets, [32768, 60999]), [32768, 60999]);
    expect(views.map((v) => [v.spec.id, v.uses.length])).toEqual([
      ['well-known', 1],
      ['registered', 11],
      ['dynamic', 2],
    ]);
  });
  it('scales ends of a range to 0 and 1', () => {
    expect(scaleX(1024, RANGES[1])).toBe(0);
    expect(scaleX(49151, RANGES[1])).toBe(1);
  });
});

describe('placeMarks', () => {
  it('close ports go to the next lane; far ones reuse lane 0', () => {
    const uses = portUses(fPortsClient().sockets, [32768, 60999]).filter((u) => u.range === 'registered');
    const placed = placeMarks(uses, RANGES[1], 0.01, 3);
    expect(placed.map((p) => p.lane)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]);
    const wide = placeMarks(uses, RANGES[1], 0.0000001, 3);
    expect(wide.every((p) => p.lane === 0)).toBe(true);
  });
  it('spreads marks that are far enough apart', () => {
    const mk = (port: number) => ({ port, range: 'registered' as const, category: 'listen' as const, ephemeral: false, count: 1, title: '' });
    const placed = placeMarks([mk(40000), mk(2000), mk(2100)], RANGES[1], 0.01);
    expect(placed.map((p) => [p.use.port, p.lane])).toEqual([
      [2000, 0],
      [2100, 1],
      [40000, 0],
    ]);
  });
});
