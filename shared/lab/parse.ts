// The two ways in: file text (parseLab) and an already-parsed value (validateLab). Either the whole
// lab is fine and comes back resolved, or every problem found comes back; never a half-resolved lab.
// Order: JSON syntax, then the format field (another format's fields mean nothing to us), then the
// schema (all field problems at once), then the checks across fields (all at once).

import { checkLab } from './checks';
import { inDocumentOrder, problemsFromZod, type Problem } from './issues';
import { checkJson } from './json';
import { formatPath, isNot } from './messages';
import { resolveLab } from './resolve';
import { EXPECTED, LabDocSchema } from './schema';
import { LAB_FORMAT, type LabError, type LabParseResult } from './types';

const BOM = 0xfeff;

export function parseLab(text: string): LabParseResult {
  if (typeof text !== 'string') return fail([{ path: '', message: 'a lab file must be text' }]);
  const body = text.charCodeAt(0) === BOM ? text.slice(1) : text;
  const check = checkJson(body);
  if (check.syntax) {
    const { line, column, message } = check.syntax;
    return fail([{ path: '', message: `invalid JSON at ${line}:${column}: ${message}` }]);
  }
  if (check.duplicates.length > 0) return fail(check.duplicates.map((d) => ({ path: '', message: d.message })));
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    // Not expected: checkJson accepts exactly what JSON.parse accepts.
    return fail([{ path: '', message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  return validateLab(value);
}

export function validateLab(doc: unknown): LabParseResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail([{ path: '', message: isNot(doc, EXPECTED.labDoc) }]);
  const format = Object.hasOwn(doc, 'format') ? (doc as { format: unknown }).format : undefined;
  if (format !== LAB_FORMAT) {
    const r = LabDocSchema.shape.format.safeParse(format);
    return fail([{ path: 'format', message: r.error?.issues[0]?.message ?? `expected "${LAB_FORMAT}"` }]);
  }
  const parsed = LabDocSchema.safeParse(doc);
  if (!parsed.success) return failWith(problemsFromZod(parsed.error, LabDocSchema));
  const problems = checkLab(parsed.data);
  if (problems.length > 0) return failWith(problems);
  return { ok: true, doc: parsed.data, lab: resolveLab(parsed.data) };
}

function failWith(problems: Problem[]): LabParseResult {
  return fail(inDocumentOrder(problems).map((p) => ({ path: formatPath(p.path), message: p.message })));
}

function fail(errors: LabError[]): LabParseResult {
  return { ok: false, errors };
}
