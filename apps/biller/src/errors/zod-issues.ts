// Turns zod's validation issues into what the contracts ask for: the offending field's path and a plain
// sentence. Kaleidofin writes paths as `paymentDetails.amountPaid` and `[1].identifierValue`; EBPP as
// `customer_account.account_number`.
import type { z } from '@hono/zod-openapi';

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

export function describeIssue(issue: Issue, prefix: readonly PropertyKey[] = []): FieldProblem {
  const path = [...prefix, ...issue.path];
  const field = path.length > 0 ? fieldPath(path) : undefined;
  const name = typeof path.at(-1) === 'string' ? String(path.at(-1)) : (field ?? 'body');
  return { field, message: `${name} ${sentence(issue)}` };
}

function sentence(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
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
    default:
      return issue.message;
  }
}

function article(type: string): string {
  if (type === 'int' || type === 'integer') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
