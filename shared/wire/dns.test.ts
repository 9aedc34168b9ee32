import { describe, expect, it } from 'vitest';
import { checkDnsName, DNS_MAX_POINTER_JUMPS, dnsNameLabels, readDnsName } from './dns-name';
import {
  DnsClass,
  DnsOpcode,
  dnsQuery,
  DnsRcode,
  dnsResponse,
  dnsSummary,
  DnsType,
  parseDns,
  parseReverseName,
  reverseName,
  walkDns,
  writeDns,
  type DnsMessage,
  type DnsParsed,
} from './dns';
import { seededRandom as rng } from '../testing/random';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => new Uint8Array(s.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)));
const ascii = (s: string): string => Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

/** The DnsMessage fields of a parse result (drops offsets, counts and the raw flags word). */
function plain(m: DnsParsed): DnsMessage {
  const q = m.questions.map(({ name, type, class: c }) => ({ name, type, class: c }));
  const r = (l: DnsParsed['answers']): DnsMessage['answers'] => l.map(({ name, type, class: c, ttl, data }) => ({ name, type, class: c, ttl, data }));
  return { id: m.id, qr: m.qr, opcode: m.opcode, aa: m.aa, tc: m.tc, rd: m.rd, ra: m.ra, ad: m.ad, cd: m.cd, rcode: m.rcode, questions: q, answers: r(m.answers), authority: r(m.authority), additional: r(m.additional) };
}

function parsed(b: Uint8Array, off = 0, end = b.length): DnsParsed {
  const r = parseDns(b, off, end);
  if (!r.ok) throw new Error(`${r.error} at ${r.at}`);
  return r.value;
}

const SERVER = 0x0a00_000a; // 10.0.0.10
const QUERY = dnsQuery(0x1a2b, 'server', DnsType.A);
const ANSWER = { name: 'server', type: DnsType.A, class: DnsClass.IN, ttl: 300, data: SERVER };

// Written by hand from RFC 1035 §4.1.1-§4.1.3 (and checked with tshark 4.0: "Standard query 0x1a2b A server").
const GOLDEN_QUERY =
  '1a2b 0100 0001 0000 0000 0000' + // id, flags RD, QDCOUNT 1, AN/NS/AR 0
  '06' + ascii('server') + '00' + // QNAME: one label of 6, root
  '0001 0001'; // QTYPE A, QCLASS IN
const GOLDEN_RESPONSE =
  '1a2b 8580 0001 0001 0000 0000' + // QR AA RD RA, rcode 0
  '06' + ascii('server') + '00 0001 0001' +
  'c00c' + // NAME: pointer to offset 12, the question's name (§4.1.4)
  '0001 0001 0000012c 0004 0a00000a'; // A IN, TTL 300, RDLENGTH 4, 10.0.0.10

describe('DNS messages (RFC 1035 §4)', () => {
  it('golden: a standard query for "server" A, both directions', () => {
    expect(hex(writeDns(QUERY))).toBe(GOLDEN_QUERY.replace(/ /g, ''));
    const m = parsed(unhex(GOLDEN_QUERY));
    expect(plain(m)).toEqual({ ...QUERY, ad: false, cd: false });
    expect(m).toMatchObject({ flags: 0x0100, qdcount: 1, ancount: 0, offset: 0, length: 24, z: false });
    expect(m.questions[0]).toEqual({ name: 'server', type: 1, class: 1, offset: 12, length: 12, nameWireLength: 8 });
  });

  it('golden: the response, its owner name a pointer to the question', () => {
    const resp = dnsResponse(QUERY, { ra: true, answers: [ANSWER] });
    expect(hex(writeDns(resp))).toBe(GOLDEN_RESPONSE.replace(/ /g, ''));
    const m = parsed(unhex(GOLDEN_RESPONSE));
    expect(plain(m)).toEqual({ ...resp, ad: false, cd: false });
    expect(m.answers[0]).toMatchObject({ offset: 24, length: 16, rdataOffset: 36, rdlength: 4, data: SERVER });
  });

  it('golden: PTR query and answer for 10.0.0.10', () => {
    const q = dnsQuery(1, reverseName(SERVER), DnsType.PTR);
    const r = dnsResponse(q, { answers: [{ name: reverseName(SERVER), type: DnsType.PTR, class: DnsClass.IN, ttl: 60, data: 'server' }] });
    const name = '02' + ascii('10') + '01' + ascii('0') + '01' + ascii('0') + '02' + ascii('10') + '07' + ascii('in-addr') + '04' + ascii('arpa') + '00';
    expect(hex(writeDns(r))).toBe(('0001 8500 0001 0001 0000 0000' + name + '000c 0001' + 'c00c 000c 0001 0000003c 0008' + '06' + ascii('server') + '00').replace(/ /g, ''));
    expect(plain(parsed(writeDns(r)))).toEqual({ ...r, ad: false, cd: false });
  });

  it('compression: repeated names and suffixes become pointers, and parse back', () => {
    const q = dnsQuery(7, 'www.lab', DnsType.A);
    const msg = dnsResponse(q, {
      answers: [
        { name: 'www.lab', type: DnsType.CNAME, class: 1, ttl: 5, data: 'server.lab' },
        { name: 'server.lab', type: DnsType.A, class: 1, ttl: 5, data: SERVER },
      ],
      authority: [{ name: 'lab', type: DnsType.NS, class: 1, ttl: 5, data: 'ns.lab' }],
      additional: [{ name: 'ns.lab', type: DnsType.A, class: 1, ttl: 5, data: 0x0a000035 }],
    });
    const b = writeDns(msg);
    // Question 'www.lab' at 12 ('lab' at 16). CNAME owner: c00c. CNAME data: 06 server c010.
    expect(hex(b.subarray(25, 27))).toBe('c00c');
    expect(hex(b.subarray(37, 46))).toBe('06' + ascii('server') + 'c010');
    // The A record's owner is the CNAME's data (at 37): c025. NS owner 'lab': c010; NS data 02 ns c010.
    expect(hex(b.subarray(46, 48))).toBe('c025');
    expect(hex(b.subarray(62, 64))).toBe('c010');
    expect(hex(b.subarray(74, 79))).toBe('02' + ascii('ns') + 'c010');
    expect(b.length).toBe(95);
    expect(plain(parsed(b))).toEqual({ ...msg, ad: false, cd: false });
    // Names are compared as octets: a different case is written out, not pointed at.
    const mixed = writeDns({ ...q, questions: [{ name: 'lab', type: 1, class: 1 }, { name: 'LAB', type: 1, class: 1 }] });
    expect(hex(mixed.subarray(21))).toBe('03' + ascii('LAB') + '0000010001');
  });

  it('raw data for other types; MX and SOA text decoded with the message at hand', () => {
    const mx = new Uint8Array([0, 10, 4, ...'mail'.split('').map((c) => c.charCodeAt(0)), 0xc0, 0x0c]);
    const msg = dnsResponse(dnsQuery(3, 'lab', DnsType.MX), {
      answers: [{ name: 'lab', type: DnsType.MX, class: 1, ttl: 1, data: mx }],
      authority: [{ name: 'lab', type: DnsType.SOA, class: 1, ttl: 1, data: unhex('02' + ascii('ns') + 'c00c 00 00000001 00000002 00000003 00000004 00000005') }],
      additional: [{ name: 'lab', type: DnsType.TXT, class: 1, ttl: 1, data: unhex('02' + ascii('hi')) }],
    });
    const m = parsed(writeDns(msg));
    expect(m.answers[0]!.data).toEqual(mx);
    expect(m.answers[0]!.text).toBe('10 mail.lab');
    expect(m.authority[0]!.text).toBe('ns.lab');
    expect(m.additional[0]!.text).toBeUndefined();
    expect(dnsSummary(m)).toBe('Standard query response 0x0003 MX lab MX 10 mail.lab SOA ns.lab TXT');
  });

  it('parses at an offset: pointers are relative to the message, errors name absolute bytes', () => {
    const b = new Uint8Array(42 + 40);
    b.set(unhex(GOLDEN_RESPONSE), 42);
    const m = parsed(b, 42, 42 + 40);
    expect(m.answers[0]).toMatchObject({ name: 'server', offset: 66, rdataOffset: 78 });
    expect(parseDns(b, 42, 42 + 39)).toEqual({ ok: false, error: 'DNS answer 1 of 1: RDLENGTH 4 exceeds the 3 bytes left in the message', at: 76 });
  });

  it('trailing bytes after the last record are not part of the message', () => {
    const b = new Uint8Array([...unhex(GOLDEN_QUERY), 0xde, 0xad]);
    expect(parsed(b).length).toBe(24);
  });

  it('flags: every bit, opcode and rcode in its place', () => {
    const all: DnsMessage = { ...QUERY, qr: true, opcode: DnsOpcode.UPDATE, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true, rcode: DnsRcode.REFUSED };
    const b = writeDns(all);
    expect(hex(b.subarray(2, 4))).toBe('afb5');
    expect(plain(parsed(b))).toEqual(all);
    const z = b.slice();
    z[3] = z[3]! | 0x40;
    expect(parsed(z).z).toBe(true);
  });
});

describe('DNS parse errors name what and where (never a throw)', () => {
  const q = unhex(GOLDEN_QUERY);
  const withQname = (qname: string, extra = '00010001'): Uint8Array => unhex('1a2b01000001000000000000' + qname + extra);
  const cases: Array<[string, Uint8Array, string, number]> = [
    ['short header', q.subarray(0, 11), 'DNS header truncated: 11 of 12 bytes', 0],
    ['QNAME cut', q.subarray(0, 15), 'DNS question 1 of 1: DNS label of 6 octets runs past the end of the message', 12],
    ['no root label', q.subarray(0, 19), 'DNS question 1 of 1: DNS name runs past the end of the message', 19],
    ['QTYPE cut', q.subarray(0, 22), 'DNS question 1 of 1 truncated: QTYPE and QCLASS need 4 bytes, 2 left', 20],
    ['label type 01', withQname('41' + '00'.repeat(65)), 'DNS question 1 of 1: DNS label type 0x40 is reserved (RFC 6891 §5); a label length is at most 63', 12],
    ['label type 10', withQname('80'), 'DNS question 1 of 1: DNS label type 0x80 is reserved (RFC 6891 §5); a label length is at most 63', 12],
    ['pointer to itself', withQname('c00c'), `DNS question 1 of 1: DNS compression pointers loop (more than ${DNS_MAX_POINTER_JUMPS} jumps)`, 12],
    ['pointer ping-pong', withQname('c00e c00c'), `DNS question 1 of 1: DNS compression pointers loop (more than ${DNS_MAX_POINTER_JUMPS} jumps)`, 12],
    ['label then pointer back', withQname('01' + ascii('a') + 'c00c'), `DNS question 1 of 1: DNS compression pointers loop (more than ${DNS_MAX_POINTER_JUMPS} jumps)`, 14],
    ['pointer past the end', withQname('c0ff'), 'DNS question 1 of 1: DNS compression pointer to offset 255 is outside the 18-byte message', 12],
    ['pointer cut', unhex('1a2b01000001000000000000c0'), 'DNS question 1 of 1: DNS compression pointer truncated', 12],
    ['name over 255 octets', withQname(('3f' + '61'.repeat(63)).repeat(4) + '00'), 'DNS question 1 of 1: DNS name is longer than 255 octets', 12 + 3 * 64],
    ['counts run past the end', new Uint8Array([...unhex('1a2b01000002000000000000'), ...q.subarray(12)]), 'DNS question 2 of 2: DNS name runs past the end of the message', 24],
  ];
  for (const [what, bytes, error, at] of cases) {
    it(what, () => {
      expect(parseDns(bytes, 0, bytes.length)).toEqual({ ok: false, error, at });
    });
  }

  const resp = unhex(GOLDEN_RESPONSE);
  const withAnswer = (rr: string): Uint8Array => new Uint8Array([...resp.subarray(0, 24), ...unhex(rr)]);
  const rrCases: Array<[string, Uint8Array, string, number]> = [
    ['answer count past the end', resp.subarray(0, 24), 'DNS answer 1 of 1: DNS name runs past the end of the message', 24],
    ['record fixed fields cut', withAnswer('c00c 0001 0001 0000'), 'DNS answer 1 of 1 truncated: TYPE, CLASS, TTL and RDLENGTH need 10 bytes, 6 left', 26],
    ['RDLENGTH past the end', withAnswer('c00c 0001 0001 0000012c 0005 0a00000a'), 'DNS answer 1 of 1: RDLENGTH 5 exceeds the 4 bytes left in the message', 34],
    ['A that is not 4 bytes', withAnswer('c00c 0001 0001 0000012c 0003 0a0000'), 'DNS answer 1 of 1: A record RDLENGTH 3 is not 4', 34],
    ['PTR name shorter than RDLENGTH', withAnswer('c00c 000c 0001 0000012c 0004 c00c 0000'), 'DNS answer 1 of 1: PTR name takes 2 bytes, RDLENGTH says 4', 34],
    ['PTR name past RDLENGTH', withAnswer('c00c 000c 0001 0000012c 0001 c00c'), 'DNS answer 1 of 1: PTR name takes 2 bytes, RDLENGTH says 1', 34],
    ['CNAME with a bad pointer', withAnswer('c00c 0005 0001 0000012c 0002 c0ff'), 'DNS answer 1 of 1: CNAME data: DNS compression pointer to offset 255 is outside the 38-byte message', 36],
    ['MX too short', withAnswer('c00c 000f 0001 0000012c 0002 000a'), 'DNS answer 1 of 1: MX data of 2 bytes is below 3', 36],
    ['MX name past its data', withAnswer('c00c 000f 0001 0000012c 0003 000a 06'), 'DNS answer 1 of 1: MX exchange: DNS label of 6 octets runs past the end of the message', 38],
    ['SOA without the 20 bytes', withAnswer('c00c 0006 0001 0000012c 0004 00 00 0000'), 'DNS answer 1 of 1: SOA data after the names is 2 bytes, not 20', 38],
  ];
  for (const [what, bytes, error, at] of rrCases) {
    it(what, () => {
      expect(parseDns(bytes, 0, bytes.length)).toEqual({ ok: false, error, at });
    });
  }

  it('authority and additional sections are named', () => {
    const b = unhex('1a2b85800001000000010001' + GOLDEN_RESPONSE.replace(/ /g, '').slice(24, 48) + 'c00c 0001 0001 0000012c 0004 0a00000a'.replace(/ /g, ''));
    expect(parseDns(b, 0, b.length)).toEqual({ ok: false, error: 'DNS additional record 1 of 1: DNS name runs past the end of the message', at: 40 });
    b[9] = 2;
    expect(parseDns(b, 0, b.length)).toMatchObject({ ok: false, error: 'DNS authority record 2 of 2: DNS name runs past the end of the message' });
  });

  it('walkDns keeps what came before the damage', () => {
    const r = walkDns(unhex(GOLDEN_RESPONSE).subarray(0, 30), 0);
    expect(r.message!.questions).toHaveLength(1);
    expect(r.message!.answers).toHaveLength(0);
    expect(r.error).toEqual({ error: 'DNS answer 1 of 1 truncated: TYPE, CLASS, TTL and RDLENGTH need 10 bytes, 4 left', at: 26 });
    expect(walkDns(new Uint8Array(3), 0)).toEqual({ message: null, error: { error: 'DNS header truncated: 3 of 12 bytes', at: 0 } });
  });

  it('odd offsets and ends', () => {
    expect(parseDns(q, -1, q.length)).toEqual({ ok: false, error: 'DNS message offset -1 is before the buffer', at: 0 });
    expect(parseDns(q, 0, 1000)).toMatchObject({ ok: true });
    expect(parseDns(q, 30, 20)).toEqual({ ok: false, error: 'DNS header truncated: 0 of 12 bytes', at: 30 });
    expect(readDnsName(q, 100, 0, q.length)).toEqual({ ok: false, error: 'DNS name runs past the end of the message', at: 24 });
  });
});

describe('DNS names', () => {
  it('presentation form: escapes round-trip (RFC 1035 §5.1)', () => {
    const name = 'a\\.b\\032c\\\\d.e';
    expect(dnsNameLabels(name)).toEqual([[0x61, 0x2e, 0x62, 0x20, 0x63, 0x5c, 0x64], [0x65]]);
    const b = writeDns(dnsQuery(1, name, DnsType.A));
    expect(parsed(b).questions[0]!.name).toBe(name);
    expect(parsed(writeDns(dnsQuery(1, 'server.lab.', 1))).questions[0]!.name).toBe('server.lab');
    expect(parsed(writeDns(dnsQuery(1, '', DnsType.NS))).questions[0]!.name).toBe('');
    expect(dnsNameLabels('\\065b')).toEqual([[65, 98]]);
  });

  it('checkDnsName says what cannot be written; writeDns throws RangeError on it', () => {
    expect(checkDnsName('server.lab')).toBeNull();
    expect(checkDnsName('a'.repeat(63))).toBeNull();
    expect(checkDnsName('a'.repeat(64))).toBe(`label longer than 63 octets in DNS name "${'a'.repeat(64)}"`);
    const long = Array(4).fill('a'.repeat(63)).join('.');
    expect(checkDnsName(long)).toBe(`DNS name "${long}" is 257 octets on the wire, over 255`);
    expect(checkDnsName(Array(3).fill('a'.repeat(63)).join('.') + '.' + 'a'.repeat(61))).toBeNull();
    expect(checkDnsName('a..b')).toBe('empty label in DNS name "a..b"');
    expect(checkDnsName('.a')).toBe('empty label in DNS name ".a"');
    expect(checkDnsName('a\\')).toBe('DNS name "a\\" ends in a lone backslash');
    expect(checkDnsName('a\\300')).toBe('escape \\300 in DNS name "a\\300" is above 255');
    expect(checkDnsName('café')).toBe('DNS name "café" has a non-ASCII character (write it as \\DDD octets)');
    expect(() => writeDns(dnsQuery(1, 'a'.repeat(64), 1))).toThrow(RangeError);
    expect(() => writeDns(dnsResponse(QUERY, { answers: [{ ...ANSWER, type: DnsType.PTR, data: 'x..y' }] }))).toThrow('empty label');
  });

  it('the longest legal name (255 octets) parses', () => {
    const name = Array(3).fill('a'.repeat(63)).join('.') + '.' + 'a'.repeat(61);
    const m = parsed(writeDns(dnsQuery(1, name, 1)));
    expect(m.questions[0]).toMatchObject({ name, nameWireLength: 255 });
  });

  it('reverseName and parseReverseName (RFC 1035 §3.5)', () => {
    expect(reverseName(SERVER)).toBe('10.0.0.10.in-addr.arpa');
    expect(reverseName(0x0a000002)).toBe('2.0.0.10.in-addr.arpa');
    expect(reverseName(0xc0a80164)).toBe('100.1.168.192.in-addr.arpa');
    expect(parseReverseName('2.0.0.10.in-addr.arpa')).toBe(0x0a000002);
    expect(parseReverseName('100.1.168.192.IN-ADDR.ARPA.')).toBe(0xc0a80164);
    expect(parseReverseName('255.255.255.255.in-addr.arpa')).toBe(0xffffffff);
    for (const bad of ['0.0.10.in-addr.arpa', '256.0.0.10.in-addr.arpa', '01.0.0.10.in-addr.arpa', '2.0.0.10.ip6.arpa', 'server', '1.2.0.0.10.in-addr.arpa']) {
      expect(parseReverseName(bad)).toBeNull();
    }
  });
});

describe('dnsSummary (Wireshark Info column; checked with tshark 4.0)', () => {
  it('queries and responses', () => {
    expect(dnsSummary(QUERY)).toBe('Standard query 0x1a2b A server');
    expect(dnsSummary(dnsResponse(QUERY, { answers: [ANSWER] }))).toBe('Standard query response 0x1a2b A server A 10.0.0.10');
    const nx = dnsQuery(0x1a2b, 'nosuch', DnsType.A);
    expect(dnsSummary(dnsResponse(nx, { rcode: DnsRcode.NXDOMAIN }))).toBe('Standard query response 0x1a2b No such name A nosuch');
    const ptr = dnsQuery(1, reverseName(SERVER), DnsType.PTR);
    expect(dnsSummary(ptr)).toBe('Standard query 0x0001 PTR 10.0.0.10.in-addr.arpa');
    expect(dnsSummary(dnsResponse(ptr, { answers: [{ name: reverseName(SERVER), type: DnsType.PTR, class: 1, ttl: 1, data: 'server' }] }))).toBe(
      'Standard query response 0x0001 PTR 10.0.0.10.in-addr.arpa PTR server',
    );
  });

  it('rcodes, opcodes, other types, the root, every section', () => {
    const r = (rcode: number): string => dnsSummary(dnsResponse(QUERY, { rcode }));
    expect([1, 2, 4, 5, 12].map(r)).toEqual([
      'Standard query response 0x1a2b Format error A server',
      'Standard query response 0x1a2b Server failure A server',
      'Standard query response 0x1a2b Not implemented A server',
      'Standard query response 0x1a2b Refused A server',
      'Standard query response 0x1a2b Unknown error (12) A server',
    ]);
    expect(dnsSummary({ ...QUERY, opcode: 3 })).toBe('Unknown operation (3) 0x1a2b A server');
    expect(dnsSummary({ ...QUERY, opcode: DnsOpcode.NOTIFY })).toBe('Zone change notification 0x1a2b A server');
    expect(dnsSummary(dnsQuery(2, '', 65280))).toBe('Standard query 0x0002 Unknown (65280) <Root>');
    const aaaa = new Uint8Array(16);
    aaaa.set([0x20, 0x01, 0x0d, 0xb8], 0);
    aaaa[15] = 1;
    const m = dnsResponse(dnsQuery(2, 'www.lab', DnsType.AAAA), {
      answers: [{ name: 'www.lab', type: DnsType.CNAME, class: 1, ttl: 1, data: 'server.lab' }, { name: 'server.lab', type: DnsType.AAAA, class: 1, ttl: 1, data: aaaa }],
      authority: [{ name: 'lab', type: DnsType.NS, class: 1, ttl: 1, data: 'ns.lab' }],
    });
    expect(dnsSummary(m)).toBe('Standard query response 0x0002 AAAA www.lab CNAME server.lab AAAA 2001:db8::1 NS ns.lab');
  });
});

describe('DNS never throws on untrusted bytes', () => {
  const valid = [
    unhex(GOLDEN_QUERY),
    unhex(GOLDEN_RESPONSE),
    writeDns(
      dnsResponse(dnsQuery(9, 'www.lab', DnsType.MX), {
        answers: [
          { name: 'www.lab', type: DnsType.CNAME, class: 1, ttl: 5, data: 'server.lab' },
          { name: 'server.lab', type: DnsType.MX, class: 1, ttl: 5, data: unhex('000a' + '04' + ascii('mail') + 'c010') },
        ],
        authority: [{ name: 'lab', type: DnsType.SOA, class: 1, ttl: 5, data: unhex('02' + ascii('ns') + 'c010 00' + '00'.repeat(20)) }],
        additional: [{ name: 'ns.lab', type: DnsType.A, class: 1, ttl: 5, data: SERVER }],
      }),
    ),
  ];

  function exercise(b: Uint8Array, r: () => number): void {
    const off = r() < 0.7 ? 0 : Math.floor(r() * (b.length + 4)) - 2;
    const end = r() < 0.7 ? b.length : Math.floor(r() * (b.length + 4)) - 2;
    const p = parseDns(b, off, end);
    if (p.ok) dnsSummary(p.value);
    else if (typeof p.error !== 'string' || !(p.at >= 0)) throw new Error('bad error');
    const w = walkDns(b, off, end);
    if (w.message) dnsSummary(w.message);
    readDnsName(b, Math.max(0, off) + 12, Math.max(0, off), end);
  }

  it('every truncation and 20,000 mutations of valid messages', () => {
    const r = rng(53);
    for (const v of valid) for (let cut = 0; cut <= v.length; cut++) exercise(v.slice(0, cut), r);
    for (let n = 0; n < 20_000; n++) {
      const b = valid[n % valid.length]!.slice();
      const k = 1 + Math.floor(r() * 4);
      // Pointer-shaped bytes (0xc0..0xff) and small counts are the interesting ones.
      for (let j = 0; j < k; j++) b[Math.floor(r() * b.length)] = r() < 0.3 ? 0xc0 | Math.floor(r() * 64) : Math.floor(r() * 256);
      exercise(b, r);
    }
    expect(true).toBe(true);
  });

  it('20,000 random byte arrays, with plausible headers half the time', () => {
    const r = rng(1035);
    for (let n = 0; n < 20_000; n++) {
      const b = new Uint8Array(Math.floor(r() * 120));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      if (n % 2 === 0 && b.length >= 12) {
        b[4] = 0;
        b[5] = n % 3;
        b[6] = 0;
        b[7] = n % 5;
        b[8] = b[9] = b[10] = 0;
        b[11] = n % 2;
      }
      exercise(b, r);
    }
    expect(true).toBe(true);
  });

  it('property: random well-formed messages round-trip through writeDns and parseDns', () => {
    const r = rng(4);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const names = ['', 'lab', 'server.lab', 'www.lab', 'ns.lab', 'a.b.c.lab', 'SERVER.lab', '10.0.0.10.in-addr.arpa', 'x\\.y.lab'];
    for (let n = 0; n < 500; n++) {
      const rec = (): DnsMessage['answers'][number] => {
        const t = pick([DnsType.A, DnsType.NS, DnsType.CNAME, DnsType.PTR, DnsType.TXT, 99]);
        const data = t === DnsType.A ? Math.floor(r() * 2 ** 32) : t === DnsType.TXT || t === 99 ? new Uint8Array([1, Math.floor(r() * 256)]) : pick(names);
        return { name: pick(names), type: t, class: 1, ttl: Math.floor(r() * 2 ** 32), data };
      };
      const many = <T>(f: () => T): T[] => Array.from({ length: Math.floor(r() * 4) }, f);
      const m: DnsMessage = {
        id: Math.floor(r() * 65536),
        qr: r() < 0.5,
        opcode: Math.floor(r() * 16),
        aa: r() < 0.5,
        tc: r() < 0.5,
        rd: r() < 0.5,
        ra: r() < 0.5,
        ad: r() < 0.5,
        cd: r() < 0.5,
        rcode: Math.floor(r() * 16),
        questions: many(() => ({ name: pick(names), type: pick([1, 12, 28]), class: 1 })),
        answers: many(rec),
        authority: many(rec),
        additional: many(rec),
      };
      const b = writeDns(m);
      expect(plain(parsed(b))).toEqual(m);
    }
  });
});
