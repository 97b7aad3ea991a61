// Turns zod's validation issues into `{field: message}` pairs for an error envelope, so that every refusal names
// the field that was wrong and says how. Whether a field is missing is read from the received value itself: zod 4
// leaves `issue.input` out unless asked, so its absence says nothing.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `data.items[1].name` style path; `prefix` is where the validated value sits (a header, a query field). */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One entry per issue (the first issue of a field wins), in the order zod reports them. */
export function invalidParams(issues: readonly Issue[], received: unknown, fallback = 'body'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? fieldPath(issue.path) : fallback;
    const name = typeof issue.path.at(-1) === 'string' ? String(issue.path.at(-1)) : field;
    const repeated = Array.isArray(valueAt(received, issue.path)) && issue.code === 'invalid_type';
    // A query parameter or header sent twice arrives as a list where the contract wants one value.
    out[field] ??= `${name} ${repeated ? 'must be sent once' : sentence(issue, isMissing(received, issue.path))}`;
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
  if (missing && issue.code !== 'custom') return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected === 'int' ? 'integer' : issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
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
