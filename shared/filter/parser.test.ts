import { describe, expect, it } from 'vitest';
import { FIELDS } from './fields';
import { parseFilter, type FilterExpr } from './parser';

/** The AST as a compact string: (a and b), not x, tcp.port == 80. */
function show(e: FilterExpr | null): string {
  if (e === null) return '';
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${show(e.left)} ${e.kind} ${show(e.right)})`;
    case 'not':
      return `not ${show(e.expr)}`;
    case 'has':
      return e.field.name;
    case 'cmp': {
      const v = e.value;
      const text =
        v.kind === 'ipv4' ? `${v.addr >>> 24}.${(v.addr >>> 16) & 255}.${(v.addr >>> 8) & 255}.${v.addr & 255}/${v.prefix}` : v.kind === 'mac' ? `mac:${v.value.toString(16)}` : v.kind === 'string' ? JSON.stringify(v.value) : String(v.value);
      return `${e.field.name} ${e.op} ${text}`;
    }
  }
}

const ok = (src: string): string => {
  const r = parseFilter(src);
  if (!r.ok) throw new Error(`${src}: ${r.error.message} at ${r.error.at}`);
  return show(r.expr);
};
const err = (src: string) => {
  const r = parseFilter(src);
  if (r.ok) throw new Error(`${src} parsed`);
  return r.error;
};

describe('display filter parser', () => {
  it('reads comparisons, protocols and bare fields, in C-like and English spellings', () => {
    expect(ok('tcp.flags.syn == 1')).toBe('tcp.flags.syn == true');
    expect(ok('tcp.port eq 0x50')).toBe('tcp.port == 80');
    expect(ok('frame.len ge 010')).toBe('frame.len >= 8'); // leading 0: octal, as Wireshark reads it
    expect(ok('ip.addr == 10.0.0.0/24')).toBe('ip.addr == 10.0.0.0/24');
    expect(ok('ip.src!=10.0.0.1')).toBe('ip.src != 10.0.0.1/32');
    expect(ok('eth.dst == ff-ff-ff-ff-ff-ff')).toBe('eth.dst == mac:ffffffffffff');
    expect(ok('lab.machine == "alice"')).toBe('lab.machine == "alice"');
    expect(ok('lab.drop_reason contains LINK')).toBe('lab.drop_reason contains "LINK"');
    expect(ok('ftp-data')).toBe('ftp-data');
    expect(ok('TCP')).toBe('tcp');
    expect(ok('  ')).toBe('');
  });

  it('binds not, then and, then or (as tshark 4.0 does), and honours parentheses', () => {
    expect(ok('tcp or udp and frame.len < 0')).toBe('(tcp or (udp and frame.len < 0))');
    expect(ok('(tcp || udp) && !arp')).toBe('((tcp or udp) and not arp)');
    expect(ok('not not tcp')).toBe('not not tcp');
    expect(ok('tcp and udp and icmp')).toBe('((tcp and udp) and icmp)');
  });

  it('reads string escapes', () => {
    expect(ok('lab.machine == "a\\"b\\x41\\\\"')).toBe('lab.machine == "a\\"bA\\\\"');
  });

  it('every problem has its place and a reason', () => {
    expect(err('tcp.prot == 80')).toEqual({ at: 0, end: 8, message: '"tcp.prot" is neither a field nor a protocol name Packet Lab knows' });
    expect(err('tcp.port == 80 and')).toMatchObject({ at: 18, message: 'the filter ends where a field or protocol was expected' });
    expect(err('(tcp or udp')).toMatchObject({ at: 0, end: 1, message: 'this "(" is not closed (a ")" is missing)' });
    expect(err('tcp)')).toMatchObject({ at: 3, message: 'this ")" has no "(" to close' });
    expect(err('tcp udp')).toMatchObject({ at: 4, end: 7, message: '"udp" was unexpected here: join expressions with "and" or "or"' });
    expect(err('tcp.port == 99999999999')).toMatchObject({ at: 12, message: '"99999999999" is not an unsigned integer (at most 4294967295), as tcp.port needs' });
    expect(err('ip.addr == 10.0.0.300')).toMatchObject({ at: 11, end: 21, message: '"10.0.0.300" is not an IPv4 address (like 10.0.0.1 or 10.0.0.0/24), as ip.addr needs' });
    expect(err('ip.addr == 10.0.0.0/33')).toMatchObject({ at: 11 });
    expect(err('tcp.flags.syn > 0')).toMatchObject({ at: 14, end: 15, message: 'tcp.flags.syn is a flag: compare it with == or !=' });
    expect(err('tcp.flags.syn == 2')).toMatchObject({ message: '"2" is not a flag (1, 0, true or false), as tcp.flags.syn needs' });
    expect(err('tcp.port contains 80')).toMatchObject({ at: 9, end: 17, message: 'tcp.port (an unsigned integer) cannot be used with "contains"' });
    expect(err('tcp == 1')).toMatchObject({ at: 0, end: 6, message: '"tcp" is a protocol: it can be tested alone ("tcp"), not compared' });
    expect(err('tcp.port ==')).toMatchObject({ at: 11, message: 'the filter ends where a value for tcp.port was expected' });
    expect(err('tcp.port == "80"')).toMatchObject({ message: '"80" is not an unsigned integer (quotes are for strings), as tcp.port needs' });
    expect(err('lab.machine == "alice')).toMatchObject({ at: 15, end: 21, message: 'the string is not closed (a " is missing)' });
    expect(err('tcp.port == 80 $')).toMatchObject({ at: 15, end: 16, message: '"$" was unexpected here' });
    expect(err('80 == tcp.port')).toMatchObject({ at: 0, end: 2, message: '"80" is a value: compare a field to it, like ip.addr == 80' });
    expect(err('== 80')).toMatchObject({ at: 0, message: '"==" was unexpected here: a field or protocol was expected' });
  });

  it('knows every field it lists, once', () => {
    const names = FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(parseFilter(n).ok).toBe(true);
  });
});
