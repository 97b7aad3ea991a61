// Turns zod's validation issues into Eko's `invalid_params` (`{field: message}`), so that every refusal names the
// field that was wrong and says how (the sentences are @bbps-kit/contracts/issues', shared with the biller).
import { describeIssue } from '@bbps-kit/contracts/issues';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** One entry per issue (the first issue of a field wins), in the order zod reports them. */
export function invalidParams(issues: readonly Issue[], received: unknown, fallback = 'body'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const described = describeIssue(issue, received);
    const field = described.field ?? fallback;
    const name = typeof issue.path.at(-1) === 'string' ? String(issue.path.at(-1)) : field;
    const repeated = Array.isArray(valueAt(received, issue.path)) && issue.code === 'invalid_type';
    // A query parameter or header sent twice arrives as a list where the contract wants one value.
    out[field] ??= repeated ? `${name} must be sent once` : described.message;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
