// A JSON (RFC 8259) syntax checker that says where and what, in words a person understands, and the
// same words in every JS engine (JSON.parse's messages differ between V8 versions and browsers).
// It only checks; values come from JSON.parse. It also reports duplicate keys, which JSON.parse
// silently resolves to the last one. Iterative (explicit stack), so deep nesting cannot overflow.

export interface JsonPosition {
  line: number;
  column: number;
}

export interface JsonProblem extends JsonPosition {
  message: string;
}

export interface JsonCheck {
  /** The first syntax error; checking stops there. */
  syntax: JsonProblem | null;
  /** Every duplicate key (only meaningful when `syntax` is null). */
  duplicates: JsonProblem[];
}

interface Container {
  close: '}' | ']';
  open: number;
  keys: Map<string, number> | null;
}

type State = 'value' | 'key' | 'after';

class SyntaxStop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const LITERALS = new Set(['true', 'false', 'null']);
const NUMBER_RE = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function positionAt(text: string, offset: number): JsonPosition {
  return new Lines(text).at(offset);
}

/** Line starts, found once, so many positions (one per duplicate key) cost a binary search each. */
class Lines {
  private readonly starts = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): JsonPosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

export function checkJson(text: string): JsonCheck {
  const scanner = new Scanner(text);
  try {
    scanner.run();
    return { syntax: null, duplicates: scanner.duplicates };
  } catch (e) {
    if (!(e instanceof SyntaxStop)) throw e;
    return { syntax: { ...scanner.position(e.offset), message: e.message }, duplicates: [] };
  }
}

class Scanner {
  private pos = 0;
  private readonly stack: Container[] = [];
  private lastComma = -1;
  private lines: Lines | null = null;
  readonly duplicates: JsonProblem[] = [];

  constructor(private readonly text: string) {}

  position(offset: number): JsonPosition {
    this.lines ??= new Lines(this.text);
    return this.lines.at(offset);
  }

  run(): void {
    this.skipWs();
    if (this.pos >= this.text.length) this.stop(this.pos, 'the file is empty');
    let state: State = 'value';
    for (;;) {
      if (state === 'value') state = this.value();
      else if (state === 'key') state = this.key();
      else {
        const valueEnd = this.pos;
        this.skipWs();
        if (this.stack.length === 0) {
          if (this.pos < this.text.length) this.stop(this.pos, `unexpected ${this.found()} after the end of the JSON document`);
          return;
        }
        state = this.after(valueEnd);
      }
    }
  }

  /** Expecting any value. */
  private value(): State {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === undefined) this.eof();
    if (c === '{' || c === '[') {
      this.stack.push({ close: c === '{' ? '}' : ']', open: this.pos, keys: c === '{' ? new Map() : null });
      this.pos++;
      this.skipWs();
      if (this.text[this.pos] === this.top().close) {
        this.pos++;
        this.stack.pop();
        return 'after';
      }
      return c === '{' ? 'key' : 'value';
    }
    if (c === '"') {
      this.string();
      return 'after';
    }
    if (c === '-' || isDigit(c)) {
      this.number();
      return 'after';
    }
    if (isWordChar(c)) {
      this.word();
      return 'after';
    }
    if (c === ']' && this.lastComma >= 0 && this.isRightAfterComma()) this.stop(this.lastComma, 'trailing comma before "]"');
    this.unexpected('a value');
  }

  /** Expecting a property name inside an object. */
  private key(): State {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === undefined) this.eof();
    if (c === '}' && this.isRightAfterComma()) this.stop(this.lastComma, 'trailing comma before "}"');
    if (c === "'") this.stop(this.pos, 'property names need double quotes, not single quotes');
    if (c !== '"') {
      if (isWordChar(c)) this.stop(this.pos, `property name ${JSON.stringify(this.peekWord())} needs double quotes`);
      this.unexpected('a property name in double quotes');
    }
    const start = this.pos;
    this.string();
    this.noteKey(start);
    this.skipWs();
    if (this.text[this.pos] !== ':') {
      if (this.pos >= this.text.length) this.eof();
      this.stop(this.pos, `expected ":" after property name ${this.text.slice(start, this.pos).trimEnd()}, found ${this.found()}`);
    }
    this.pos++;
    return 'value';
  }

  /** After a value inside a container: a comma or the closing bracket. */
  private after(valueEnd: number): State {
    const top = this.top();
    const c = this.text[this.pos];
    if (c === undefined) this.eof();
    if (c === ',') {
      this.lastComma = this.pos;
      this.pos++;
      return top.keys ? 'key' : 'value';
    }
    if (c === top.close) {
      this.pos++;
      this.stack.pop();
      return 'after';
    }
    const what = top.keys ? 'a property value' : 'a list item';
    // Another value right after one: most likely a forgotten comma, so point where it belongs.
    if (c === '"' || c === '{' || c === '[' || c === '-' || isDigit(c) || isWordChar(c)) this.stop(valueEnd, `missing "," after ${what}`);
    this.stop(this.pos, `expected "," or "${top.close}" after ${what}, found ${this.found()}`);
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.stop(start, 'string is never closed (missing closing ")');
      const code = c.charCodeAt(0);
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\n' || c === '\r') this.stop(this.pos, 'line break inside a string (missing closing "?)');
      if (code < 0x20) this.stop(this.pos, `control character U+${hex4(code)} inside a string (write it as an escape like \\t)`);
      if (c === '\\') this.escape();
      else this.pos++;
    }
  }

  private escape(): void {
    const e = this.text[this.pos + 1];
    if (e !== undefined && ESCAPES.has(e)) {
      this.pos += 2;
      return;
    }
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
      this.pos += 6;
      return;
    }
    const shown = e === 'u' ? this.text.slice(this.pos, this.pos + 6) : this.text.slice(this.pos, this.pos + 2);
    this.stop(this.pos, `invalid escape "${shown}" in a string (write a backslash as "\\\\")`);
  }

  private number(): void {
    const start = this.pos;
    while (this.pos < this.text.length && /[0-9A-Za-z.+-]/.test(this.text[this.pos]!)) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (!NUMBER_RE.test(token)) this.stop(start, `${JSON.stringify(token)} is not a JSON number`);
  }

  private word(): void {
    const start = this.pos;
    const w = this.peekWord();
    this.pos += w.length;
    if (!LITERALS.has(w)) this.stop(start, `${JSON.stringify(w)} is not a JSON value (text needs double quotes; the literals are true, false and null)`);
  }

  private noteKey(start: number): void {
    const keys = this.top().keys!;
    const key = JSON.parse(this.text.slice(start, this.pos)) as string;
    const first = keys.get(key);
    if (first === undefined) {
      keys.set(key, start);
      return;
    }
    const at = this.position(start);
    const was = this.position(first);
    this.duplicates.push({ ...at, message: `duplicate key ${JSON.stringify(key)} at ${at.line}:${at.column} (first at ${was.line}:${was.column})` });
  }

  private skipWs(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) this.stop(this.pos, 'comments are not allowed in JSON');
      else return;
    }
  }

  private isRightAfterComma(): boolean {
    return this.lastComma >= 0 && this.text.slice(this.lastComma + 1, this.pos).trim() === '';
  }

  private top(): Container {
    return this.stack[this.stack.length - 1]!;
  }

  private peekWord(): string {
    let end = this.pos;
    while (end < this.text.length && isWordChar(this.text[end]!)) end++;
    return this.text.slice(this.pos, end);
  }

  /** What is at the cursor, for "found ..." messages. */
  private found(): string {
    const c = this.text[this.pos];
    if (c === undefined) return 'the end of the file';
    if (c === '"') return 'a string';
    if (c === '-' || isDigit(c)) return 'a number';
    if (isWordChar(c)) return JSON.stringify(this.peekWord());
    return /[\s\p{Cc}\p{Cf}]/u.test(c) ? `U+${hex4(c.charCodeAt(0))}` : JSON.stringify(c);
  }

  private unexpected(expected: string): never {
    if (this.text[this.pos] === "'") this.stop(this.pos, 'strings need double quotes, not single quotes');
    this.stop(this.pos, `expected ${expected}, found ${this.found()}`);
  }

  private eof(): never {
    const open = this.stack[this.stack.length - 1];
    if (!open) this.stop(this.pos, 'unexpected end of the file');
    const at = this.position(open.open);
    const opener = open.close === '}' ? '{' : '[';
    this.stop(this.pos, `unexpected end of the file ("${opener}" at ${at.line}:${at.column} is never closed)`);
  }

  private stop(offset: number, message: string): never {
    throw new SyntaxStop(offset, message);
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isWordChar(c: string): boolean {
  return /^[A-Za-z0-9_$]$/.test(c);
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
