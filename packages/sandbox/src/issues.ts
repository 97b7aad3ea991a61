// Turns zod's validation issues into the fields a simulator's envelope names, so that every refusal names the field
// that was wrong and says how (the sentences are @bbps-kit/contracts/issues', shared with the biller), with one
// sandbox rule on top: a query parameter or header sent twice is "must be sent once", not a type error.
import { describeIssue, type FieldProblem } from '@bbps-kit/contracts/issues';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** One entry per field (its first issue wins), in the order zod reports them. */
export function invalidFields(issues: readonly Issue[], received: unknown, fallback = 'body'): FieldProblem[] {
  const out = new Map<string, FieldProblem>();
  for (const issue of issues) {
    const described = describeIssue(issue, received);
    const field = described.field ?? fallback;
    const name = typeof issue.path.at(-1) === 'string' ? String(issue.path.at(-1)) : field;
    const repeated = Array.isArray(valueAt(received, issue.path)) && issue.code === 'invalid_type';
    if (!out.has(field)) out.set(field, { field, message: repeated ? `${name} must be sent once` : described.message });
  }
  return [...out.values()];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
