// Turns zod's validation issues (from the generated schemas) into what every contract's error envelope asks for:
// the offending field's path and a plain sentence. Paths read `paymentDetails.amountPaid`, `[1].identifierValue`,
// `customer_account.account_number`. Shared by everything that validates requests with the generated schemas (the
// biller, the sandbox). Whether a field is missing or of the wrong type is read from the input itself:
// zod 4 leaves `issue.input` out unless asked, so its absence says nothing.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export interface FieldProblem {
  field: string | undefined;
  message: string;
}

/** Describes `issue`, found while validating `input` (the value as received, before any parsing). */
export function describeIssue(issue: Issue, input: unknown, prefix: readonly PropertyKey[] = []): FieldProblem {
  const path = [...prefix, ...issue.path];
  const field = path.length > 0 ? fieldPath(path) : undefined;
  const name = typeof path.at(-1) === 'string' ? String(path.at(-1)) : (field ?? 'body');
  return { field, message: `${name} ${sentence(issue, isMissing(input, issue.path))}` };
}

/** True when the last key of `path` is absent from its parent in `input` (a field not sent at all). */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return input === undefined;
  let parent: unknown = input;
  for (const key of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  if (typeof parent !== 'object' || parent === null) return false;
  const last = path.at(-1) as PropertyKey;
  return !Object.hasOwn(parent, last) || (parent as Record<PropertyKey, unknown>)[last] === undefined;
}

function sentence(issue: Issue, missing: boolean): string {
  // Whatever zod calls it (a wrong type, a value outside an enum, no union member), an absent field is missing.
  if (missing && issue.code !== 'custom') return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      if (issue.origin === 'object') return 'must have at least one field';
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return issue.message;
  }
}

function article(type: string): string {
  if (type === 'int' || type === 'integer') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
