// The portal index links the packages' TypeDoc references that were built into its folder, and only those: a portal
// built elsewhere (no reference/ there) links none, so every link of the index still points at a built file.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtReferences, renderIndex } from '../scripts/build-portal.mjs';

test('the index links each built reference/<package>/index.html, sorted, and nothing else', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bbps-reference-'));
  try {
    assert.deepEqual(builtReferences(dir), []);
    assert.doesNotMatch(renderIndex([], builtReferences(dir)), /reference\//);
    for (const name of ['money', 'client']) {
      await mkdir(join(dir, 'reference', name), { recursive: true });
      await writeFile(join(dir, 'reference', name, 'index.html'), '<!doctype html>');
    }
    await mkdir(join(dir, 'reference', 'half-built'), { recursive: true });
    const references = builtReferences(dir);
    assert.deepEqual(references, [
      { name: '@bbps-kit/client', href: 'reference/client/index.html' },
      { name: '@bbps-kit/money', href: 'reference/money/index.html' },
    ]);
    const index = renderIndex([], references);
    assert.match(index, /<h2 id="api-reference">Package API reference<\/h2>/);
    assert.match(index, /<a href="reference\/client\/index\.html"><code>@bbps-kit\/client<\/code><\/a>/);
    assert.match(index, /<a href="reference\/money\/index\.html"><code>@bbps-kit\/money<\/code><\/a>/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
