// "Derive, don't copy", checked: no `pattern` of the five contracts is written out in hand-written code. Code that
// needs one imports the generated schema (@bbps-kit/contracts/schemas/<api>) instead. The files checked are the
// tracked sources outside generated folders; the few strings that only coincide with a contract pattern are listed
// below with the rule they really are. Nor is a credential header's name written in the servers' or clients' code:
// they read it from the contract's securitySchemes (@bbps-kit/contracts/rules/<api>).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiNames } from '@bbps-kit/contracts';
import { Contract } from '@bbps-kit/contracts/validator';
import ts from 'typescript';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Strings equal to a contract pattern that state another rule: file, pattern, and what it really is. */
const coincidences: { file: string; pattern: string; because: string }[] = [
  {
    file: 'packages/client/src/transport.ts',
    pattern: '^[0-9]+$',
    because: "HTTP Retry-After's delta-seconds (RFC 9110), not Digiledge's statusCode",
  },
  {
    file: 'packages/money/src/eko.ts',
    pattern: '^[0-9]+$',
    because: 'Eko bill_amount in paise, which the contract deliberately leaves without a pattern (see its money notes)',
  },
  {
    file: 'packages/money/test/money.property.test.ts',
    pattern: '^[0-9]+$',
    because: 'the same Eko paise rule, in its property test',
  },
];

function patternsOf(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) patternsOf(item, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.add(value);
      else if (key !== 'examples' && key !== 'example') patternsOf(value, found);
    }
  }
  return found;
}

it('no contract pattern is restated in hand-written code', async () => {
  const patterns = new Set<string>();
  for (const api of apiNames) patternsOf((await Contract.load(api)).document, patterns);
  expect(patterns.size).toBeGreaterThan(30);
  const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.sql'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !file.includes('/generated/') && !file.startsWith('test/derive/'));
  expect(files.length).toBeGreaterThan(100);
  const copies: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const pattern of patterns) {
      // As written in YAML, or as a regular-expression literal (where '/' is escaped).
      if (!text.includes(pattern) && !text.includes(pattern.replaceAll('/', '\\/'))) continue;
      const known = coincidences.find((c) => c.file === file && c.pattern === pattern);
      if (known) seen.add(`${file} ${pattern}`);
      else copies.push(`${file}: ${pattern}`);
    }
  }
  expect(copies, 'import the generated schema instead of restating its pattern').toEqual([]);
  // The list of coincidences cannot go stale: each one is still there.
  expect([...seen].sort()).toEqual(coincidences.map((c) => `${c.file} ${c.pattern}`).sort());
});

it('no credential header name is written as a string in the servers’ or clients’ code', async () => {
  const headers = new Set<string>();
  for (const api of apiNames) {
    const schemes = (await Contract.load(api)).document.components?.securitySchemes ?? {};
    for (const scheme of Object.values(schemes as Record<string, { in?: string; name?: string }>)) {
      if (scheme.in === 'header' && scheme.name) headers.add(scheme.name);
    }
  }
  expect([...headers].sort()).toEqual(
    ['api-key', 'client-key', 'developer_key', 'secret-key', 'secret-key-timestamp', 'x-api-key'].sort(),
  );
  // The sources that read or set a credential header; tests and docs may name them.
  const files = execFileSync('git', ['ls-files', 'apps/*/src/*.ts', 'packages/*/src/*.ts'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file && !file.includes('/generated/'));
  expect(files.length).toBeGreaterThan(50);
  // Every string, template part and property name the parser sees: comments are not code, and a header inside a
  // longer string (a message, a curl line) counts as much as one alone.
  const copies: string[] = [];
  const named = [...headers].map((header) => ({ header, within: new RegExp(`(?<![\\w-])${header}(?![\\w-])`) }));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      const text =
        ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isIdentifier(node) ? node.text : '';
      for (const { header, within } of named) {
        if (within.test(text))
          copies.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${header}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  // Read the name from the contract's securitySchemes (@bbps-kit/contracts/rules/<api>) instead.
  expect(copies).toEqual([]);
});
