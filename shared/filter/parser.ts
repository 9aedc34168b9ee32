// Display filters in Wireshark's syntax (wireshark-filter(4)), for the fields in fields.ts:
//   tcp.flags.syn == 1 and not (ip.addr == 10.0.0.0/24 || udp)
// Precedence as tshark 4.0 parses it: not, then and, then or (`a or b and c` is `a or (b and c)`).
// Values are read by the field's type; every problem is reported with its position and nothing is
// applied. The result is an AST the trace compiles (to SQL where it can).
import { parseIpv4, parseMac } from '../wire/address';
import { fieldDef, type FieldDef, type FieldType } from './fields';

export type CmpOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'contains';

export type Value =
  | { kind: 'uint'; value: number }
  | { kind: 'bool'; value: boolean }
  /** An address, or a subnet when prefix < 32 (`ip.addr == 10.0.0.0/24`). */
  | { kind: 'ipv4'; addr: number; prefix: number }
  | { kind: 'mac'; value: number }
  | { kind: 'string'; value: string };

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  /** A bare protocol or field: the frame has it. */
  | { kind: 'has'; field: FieldDef }
  | { kind: 'cmp'; field: FieldDef; op: CmpOp; value: Value };

export interface FilterError {
  /** Character offsets [at, end) of the culprit in the filter text. */
  at: number;
  end: number;
  message: string;
}

export type FilterParse = { ok: true; expr: FilterExpr | null } | { ok: false; error: FilterError };

// ---- tokens ----

type Tok =
  | { t: 'word'; text: string; at: number; end: number }
  | { t: 'string'; text: string; at: number; end: number }
  | { t: 'op'; text: CmpOp; at: number; end: number }
  | { t: 'and' | 'or' | 'not' | '(' | ')' | 'end'; at: number; end: number };

const WORD = /[A-Za-z0-9_.:/-]/;
const KEYWORD_OPS: Record<string, CmpOp> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', contains: 'contains' };

class Fail extends Error {
  constructor(readonly at: number, readonly end: number, message: string) {
    super(message);
  }
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      out.push({ t: two === '&&' ? 'and' : 'or', at: i, end: i + 2 });
      i += 2;
    } else if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', text: two as CmpOp, at: i, end: i + 2 });
      i += 2;
    } else if (c === '<' || c === '>') {
      out.push({ t: 'op', text: c, at: i, end: i + 1 });
      i++;
    } else if (c === '!') {
      out.push({ t: 'not', at: i, end: i + 1 });
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, at: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      const start = i++;
      let text = '';
      for (;;) {
        if (i >= src.length) throw new Fail(start, src.length, 'the string is not closed (a " is missing)');
        const d = src[i++]!;
        if (d === '"') break;
        if (d !== '\\') {
          text += d;
          continue;
        }
        const e = src[i++];
        if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i, i + 2))) {
          text += String.fromCharCode(parseInt(src.slice(i, i + 2), 16));
          i += 2;
        } else if (e === 'n' || e === 't' || e === 'r') text += e === 'n' ? '\n' : e === 't' ? '\t' : '\r';
        else if (e === '"' || e === '\\') text += e;
        else throw new Fail(i - 2, Math.min(i, src.length), `"\\${e ?? ''}" is not an escape a string takes (\\" \\\\ \\n \\t \\r \\xhh)`);
      }
      out.push({ t: 'string', text, at: start, end: i });
    } else if (WORD.test(c)) {
      const start = i;
      while (i < src.length && WORD.test(src[i]!)) i++;
      const text = src.slice(start, i);
      const lower = text.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') out.push({ t: lower, at: start, end: i });
      else if (KEYWORD_OPS[lower]) out.push({ t: 'op', text: KEYWORD_OPS[lower]!, at: start, end: i });
      else out.push({ t: 'word', text, at: start, end: i });
    } else {
      throw new Fail(i, i + 1, `"${c}" was unexpected here`);
    }
  }
  out.push({ t: 'end', at: src.length, end: src.length });
  return out;
}

// ---- grammar: or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary ----

export function parseFilter(src: string): FilterParse {
  try {
    const toks = lex(src);
    if (toks.length === 1) return { ok: true, expr: null }; // empty: no filter
    const p = new Parser(toks);
    const expr = p.or();
    p.expectEnd();
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: { at: e.at, end: e.end, message: e.message } };
    throw e;
  }
}

class Parser {
  private i = 0;

  constructor(private readonly toks: Tok[]) {}

  private get tok(): Tok {
    return this.toks[this.i]!;
  }

  or(): FilterExpr {
    let left = this.and();
    while (this.tok.t === 'or') {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  and(): FilterExpr {
    let left = this.unary();
    while (this.tok.t === 'and') {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  expectEnd(): void {
    const t = this.tok;
    if (t.t === ')') throw new Fail(t.at, t.end, 'this ")" has no "(" to close');
    if (t.t !== 'end') throw new Fail(t.at, t.end, `"${describe(t)}" was unexpected here: join expressions with "and" or "or"`);
  }

  private unary(): FilterExpr {
    if (this.tok.t === 'not') {
      this.i++;
      return { kind: 'not', expr: this.unary() };
    }
    return this.primary();
  }

  private primary(): FilterExpr {
    const t = this.tok;
    if (t.t === '(') {
      this.i++;
      const e = this.or();
      const close = this.tok;
      if (close.t !== ')') throw new Fail(t.at, t.end, 'this "(" is not closed (a ")" is missing)');
      this.i++;
      return e;
    }
    if (t.t === 'end') throw new Fail(t.at, t.end, 'the filter ends where a field or protocol was expected');
    if (t.t !== 'word') throw new Fail(t.at, t.end, `"${describe(t)}" was unexpected here: a field or protocol was expected`);
    this.i++;
    const field = fieldDef(t.text.toLowerCase());
    if (!field) {
      if (/^[0-9]/.test(t.text)) throw new Fail(t.at, t.end, `"${t.text}" is a value: compare a field to it, like ip.addr == ${t.text}`);
      throw new Fail(t.at, t.end, `"${t.text}" is neither a field nor a protocol name Packet Lab knows`);
    }
    const op = this.tok;
    if (op.t !== 'op') return { kind: 'has', field };
    this.i++;
    if (field.type === 'protocol') throw new Fail(t.at, op.end, `"${field.name}" is a protocol: it can be tested alone ("${field.name}"), not compared`);
    if (op.text === 'contains' && field.type !== 'string') throw new Fail(op.at, op.end, `${field.name} (${typeName(field.type)}) cannot be used with "contains"`);
    if (field.type === 'bool' && op.text !== '==' && op.text !== '!=') throw new Fail(op.at, op.end, `${field.name} is a flag: compare it with == or !=`);
    const v = this.tok;
    if (v.t !== 'word' && v.t !== 'string') throw new Fail(v.at, v.end, v.t === 'end' ? `the filter ends where a value for ${field.name} was expected` : `a value for ${field.name} was expected here`);
    this.i++;
    return { kind: 'cmp', field, op: op.text, value: readValue(field, v) };
  }
}

function describe(t: Tok): string {
  if (t.t === 'word' || t.t === 'string' || t.t === 'op') return t.text;
  return t.t === 'and' ? 'and' : t.t === 'or' ? 'or' : t.t === 'not' ? 'not' : t.t;
}

function typeName(type: FieldType): string {
  return { protocol: 'a protocol', uint: 'an unsigned integer', bool: 'a flag', ipv4: 'an IPv4 address', mac: 'a MAC address', string: 'a string' }[type];
}

/** An integer as Wireshark reads one: decimal, 0x hex, or leading-0 octal. */
function readUint(text: string): number | null {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text, 8);
  else if (/^[0-9]+$/.test(text)) n = Number(text);
  else return null;
  return Number.isSafeInteger(n) ? n : null;
}

function readValue(field: FieldDef, t: Extract<Tok, { t: 'word' | 'string' }>): Value {
  const bad = (why: string): never => {
    throw new Fail(t.at, t.end, `"${t.text}" is not ${typeName(field.type)}${why ? ` (${why})` : ''}, as ${field.name} needs`);
  };
  if (field.type === 'string') return { kind: 'string', value: t.text };
  if (t.t === 'string' && field.type !== 'mac' && field.type !== 'ipv4') bad('quotes are for strings');
  switch (field.type) {
    case 'uint': {
      const n = readUint(t.text);
      if (n === null) bad('like 80, 0x50');
      if (n! > 0xffff_ffff) bad('at most 4294967295');
      return { kind: 'uint', value: n! };
    }
    case 'bool': {
      const w = t.text.toLowerCase();
      if (w === '1' || w === 'true') return { kind: 'bool', value: true };
      if (w === '0' || w === 'false') return { kind: 'bool', value: false };
      return bad('1, 0, true or false');
    }
    case 'ipv4': {
      const [addrText, prefixText, extra] = t.text.split('/');
      const addr = parseIpv4(addrText ?? '');
      const prefix = prefixText === undefined ? 32 : /^[0-9]{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (addr === null || extra !== undefined || !(prefix >= 0 && prefix <= 32)) bad('like 10.0.0.1 or 10.0.0.0/24');
      return { kind: 'ipv4', addr: addr!, prefix };
    }
    case 'mac': {
      const m = parseMac(t.text.replace(/[-.]/g, ':'));
      if (m === null) bad('like 02:00:00:00:01:01');
      return { kind: 'mac', value: m! };
    }
    default:
      return bad('');
  }
}
