import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC } from './address';
import { ARP_LEN, ArpFields, ArpOp, parseArp, writeArp } from './arp';
import { ETH_MIN_FRAME, EtherType, ethFrameLength, parseEthernet, writeEthernet } from './ethernet';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const A = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
const B = { mac: 0x0200_0000_0201, ip: 0x0a00_0002 };

function requestFrame(): Uint8Array {
  const f = new Uint8Array(ethFrameLength(14 + ARP_LEN));
  writeEthernet(f, 0, { dst: BROADCAST_MAC, src: A.mac, etherType: EtherType.ARP });
  writeArp(f, 14, { op: ArpOp.REQUEST, sha: A.mac, spa: A.ip, tha: 0, tpa: B.ip });
  return f;
}

describe('ARP (RFC 826, Ethernet/IPv4)', () => {
  it('golden: who-has 10.0.0.2 tell 10.0.0.1, padded to 60 bytes', () => {
    const f = requestFrame();
    expect(f.length).toBe(ETH_MIN_FRAME);
    // htype 1, ptype 0800, hlen 6, plen 4, op 1, sha, spa, tha 0, tpa; 18 zero bytes of padding.
    expect(hex(f)).toBe(
      'ffffffffffff0200000001010806' + '0001' + '0800' + '06' + '04' + '0001' + '020000000101' + '0a000001' + '000000000000' + '0a000002' + '00'.repeat(18),
    );
    const eth = parseEthernet(f, 0);
    expect(eth.ok && eth.value.payloadLength).toBe(46);
    expect(parseArp(f, 14)).toEqual({
      ok: true,
      value: { htype: 1, ptype: 0x0800, hlen: 6, plen: 4, op: 1, sha: A.mac, spa: A.ip, tha: 0, tpa: B.ip, headerLength: 28 },
    });
  });

  it('golden: reply 10.0.0.2 is at 02:00:00:00:02:01', () => {
    const b = new Uint8Array(28);
    expect(writeArp(b, 0, { op: ArpOp.REPLY, sha: B.mac, spa: B.ip, tha: A.mac, tpa: A.ip })).toBe(28);
    expect(hex(b)).toBe('0001080006040002' + '020000000201' + '0a000002' + '020000000101' + '0a000001');
    const p = parseArp(b, 0);
    expect(p.ok && p.value).toMatchObject({ op: 2, sha: B.mac, spa: B.ip, tha: A.mac, tpa: A.ip });
  });

  it('rejects what is not Ethernet/IPv4 request/reply, naming the byte', () => {
    const f = requestFrame();
    const bad = (i: number, v: number): Uint8Array => {
      const c = f.slice();
      c[i] = v;
      return c;
    };
    expect(parseArp(bad(15, 6), 14)).toEqual({ ok: false, error: 'ARP hardware type 6 is not Ethernet (1)', at: 14 });
    expect(parseArp(bad(16, 0x86), 14)).toMatchObject({ ok: false, at: 16 });
    expect(parseArp(bad(18, 8), 14)).toMatchObject({ ok: false, at: 18 });
    expect(parseArp(bad(19, 16), 14)).toMatchObject({ ok: false, at: 19 });
    expect(parseArp(bad(21, 3), 14)).toEqual({ ok: false, error: 'ARP opcode 3 is neither request (1) nor reply (2)', at: 20 });
    expect(parseArp(f.subarray(0, 41), 14)).toEqual({ ok: false, error: 'ARP packet truncated: 27 of 28 bytes', at: 14 });
  });

  it('field table matches RFC 826 layout', () => {
    expect(ArpFields.sha).toEqual([8, 14]);
    expect(ArpFields.tpa).toEqual([24, 28]);
  });
});
