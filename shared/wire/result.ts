// The result of parsing untrusted bytes. Parsers never throw (DESIGN.md section 3): a failure names
// what is wrong and the absolute byte offset (in the array that was passed in) where the damage starts.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; at: number };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail(error: string, at: number): { ok: false; error: string; at: number } {
  return { ok: false, error, at };
}
