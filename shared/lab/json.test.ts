import { describe, expect, it } from 'vitest';
import { checkJson, positionAt } from './json';
import { formatLabError, parseLab } from './index';

/** The one error parseLab reports for a text. */
function only(text: string): string {
  const r = parseLab(text);
  if (r.ok) throw new Error('expected an error');
  expect(r.errors).toHaveLength(1);
  return formatLabError(r.errors[0]!);
}

describe('JSON syntax errors: line:column and what is wrong', () => {
  it.each([
    ['', 'invalid JSON at 1:1: the file is empty'],
    ['  \n  ', 'invalid JSON at 2:3: the file is empty'],
    ['{', 'invalid JSON at 1:2: unexpected end of the file ("{" at 1:1 is never closed)'],
    ['{\n  "a": [1,\n', 'invalid JSON at 3:1: unexpected end of the file ("[" at 2:8 is never closed)'],
    ['{"a": 1,}', 'invalid JSON at 1:8: trailing comma before "}"'],
    ['[1,\n]', 'invalid JSON at 1:3: trailing comma before "]"'],
    ["{'a': 1}", 'invalid JSON at 1:2: property names need double quotes, not single quotes'],
    ["{\"a\": 'x'}", 'invalid JSON at 1:7: strings need double quotes, not single quotes'],
    ['{a: 1}', 'invalid JSON at 1:2: property name "a" needs double quotes'],
    ['{"a" 1}', 'invalid JSON at 1:6: expected ":" after property name "a", found a number'],
    ['{"a": }', 'invalid JSON at 1:7: expected a value, found "}"'],
    ['{"a": 1 "b": 2}', 'invalid JSON at 1:8: missing "," after a property value'],
    ['{\n  "a": 1\n  "b": 2\n}', 'invalid JSON at 2:9: missing "," after a property value'],
    ['[1 2]', 'invalid JSON at 1:3: missing "," after a list item'],
    ['{"a": 1]', 'invalid JSON at 1:8: expected "," or "}" after a property value, found "]"'],
    ['[1}', 'invalid JSON at 1:3: expected "," or "]" after a list item, found "}"'],
    ['{"a": "x\n"}', 'invalid JSON at 1:9: line break inside a string (missing closing "?)'],
    ['{"a": "x', 'invalid JSON at 1:7: string is never closed (missing closing ")'],
    ['{"a": "C:\\Users"}', 'invalid JSON at 1:10: invalid escape "\\U" in a string (write a backslash as "\\\\")'],
    ['{"a": "\\u12G4"}', 'invalid JSON at 1:8: invalid escape "\\u12G4" in a string (write a backslash as "\\\\")'],
    ['{"a": "\t"}', 'invalid JSON at 1:8: control character U+0009 inside a string (write it as an escape like \\t)'],
    ['{"a": 01}', 'invalid JSON at 1:7: "01" is not a JSON number'],
    ['{"a": 1.}', 'invalid JSON at 1:7: "1." is not a JSON number'],
    ['{"a": -}', 'invalid JSON at 1:7: "-" is not a JSON number'],
    ['{"a": .5}', 'invalid JSON at 1:7: expected a value, found "."'],
    ['{"a": True}', 'invalid JSON at 1:7: "True" is not a JSON value (text needs double quotes; the literals are true, false and null)'],
    ['{"a": NaN}', 'invalid JSON at 1:7: "NaN" is not a JSON value (text needs double quotes; the literals are true, false and null)'],
    ['// lab\n{}', 'invalid JSON at 1:1: comments are not allowed in JSON'],
    ['{"a": 1 /* x */}', 'invalid JSON at 1:9: comments are not allowed in JSON'],
    ['{} x', 'invalid JSON at 1:4: unexpected "x" after the end of the JSON document'],
    ['{}\n{}', 'invalid JSON at 2:1: unexpected "{" after the end of the JSON document'],
    ['\u00a0{}', 'invalid JSON at 1:1: expected a value, found U+00A0'],
    ['{"a":\r\n  x}', 'invalid JSON at 2:3: "x" is not a JSON value (text needs double quotes; the literals are true, false and null)'],
  ])('%j', (text, message) => {
    expect(only(text)).toBe(message);
  });

  it('reports every duplicate key (JSON.parse would silently keep the last)', () => {
    const r = parseLab('{\n  "name": "a",\n  "name": "b",\n  "x": {"k": 1, "k": 2}\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatLabError)).toEqual(['duplicate key "name" at 3:3 (first at 2:3)', 'duplicate key "k" at 4:17 (first at 4:9)']);
  });

  it('compares keys after unescaping', () => {
    expect(checkJson('{"a": 1, "\\u0061": 2}').duplicates.map((d) => d.message)).toEqual(['duplicate key "a" at 1:10 (first at 1:2)']);
  });

  it('allows the same key in different objects', () => {
    expect(checkJson('[{"a": 1}, {"a": 2}]')).toEqual({ syntax: null, duplicates: [] });
  });

  it('accepts a byte order mark', () => {
    expect(only('\ufeff[]')).toBe('a list is not a lab document (a JSON object with "format": "packet-lab/1")');
  });

  it('survives very deep nesting without recursion', () => {
    expect(only('['.repeat(200_000))).toBe('invalid JSON at 1:200001: unexpected end of the file ("[" at 1:200000 is never closed)');
    expect(checkJson('['.repeat(200_000) + ']'.repeat(200_000)).syntax).toBeNull();
  });

  it('agrees with JSON.parse on valid documents', () => {
    for (const t of ['0', '-0.5e-3', '"\\u00e9\\n"', '[]', '{}', ' { "a" : [ true , false , null , 1E+2 ] } ', '"\u2028"', '["\\ud800"]']) {
      expect(checkJson(t).syntax).toBeNull();
      expect(() => JSON.parse(t)).not.toThrow();
    }
  });

  it('counts lines and columns from 1', () => {
    expect(positionAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\r\ncd', 4)).toEqual({ line: 2, column: 1 });
  });
});
