// What the five contract test files share: a copy of an example broken in one place, a rejection that must name
// the offending field, and the check that every example validates where it is used.
import { expect } from 'vitest';
import type { Contract, Verdict } from '../src/validator.ts';

/** A path into a JSON value: property names and array indexes. */
export type Path = (string | number)[];

/** Passed to `changed` as the replacement: delete the property instead. */
export const REMOVE: unique symbol = Symbol('remove');

/** A deep copy of `value` with the value at `path` replaced by `replacement`, or deleted when it is `REMOVE`. */
export function changed(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) throw new Error('changed needs a non-empty path');
  const copy = structuredClone(value);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === REMOVE) delete node[last];
  else node[last] = replacement;
  return copy;
}

/**
 * `changed` by example name, for a test file that loads its contract in `beforeAll` (hence the getter):
 * `const changed = exampleChanger(() => contract)`, then `changed('SeedPayBillRequest', ['amount'], REMOVE)`.
 */
export function exampleChanger(contract: () => Contract): (name: string, path: Path, replacement: unknown) => unknown {
  return (name, path, replacement) => changed(contract().example(name), path, replacement);
}

/** The verdict must be a rejection, and each mention (a JSON pointer, a property name, words of a message) must
 * stand in one of its error lines. */
export function expectRejected(verdict: Verdict, ...mentions: [string, ...string[]]): void {
  expect(verdict.valid).toBe(false);
  for (const mention of mentions) {
    expect(
      verdict.errors.some((line) => line.includes(mention)),
      `no error line mentions ${mention}:\n${verdict.errors.join('\n')}`,
    ).toBe(true);
  }
}

/**
 * Every example in components/examples validates at every place it is used (`contract.exampleUses()`), and none is
 * unused. Returns the names of the examples used, sorted.
 */
export function expectEveryExampleValidWhereUsed(contract: Contract): string[] {
  const uses = contract.exampleUses();
  const failures = uses.flatMap((use) => {
    const verdict = contract.validateExampleUse(use);
    const place = `${use.operationId} ${use.status ?? use.in} ${use.mediaType}`;
    return verdict.valid ? [] : [`${use.example} @ ${place}: ${verdict.errors.join('; ')}`];
  });
  expect(failures).toEqual([]);
  const used = [...new Set(uses.map((use) => use.example))].sort();
  expect(used, 'the examples used are exactly those declared').toEqual(
    Object.keys(contract.document.components?.examples ?? {}).sort(),
  );
  return used;
}
