// The reviewers' docs portal (index + one Redoc page and bundled YAML per contract) at /docs. The files are
// the static build of specs/ (`pnpm build`), served as they are; specs/scripts/portal-files.mjs decides which
// request path names which file, for this server and for `pnpm --filter @bbps-kit/specs serve` alike.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { resolvePortalFile } from '@bbps-kit/specs/portal-files';
import { Hono } from 'hono';

/** Where `pnpm build` writes the portal: the dist folder of the specs package. */
export const defaultPortalDir = join(
  dirname(createRequire(import.meta.url).resolve('@bbps-kit/specs/package.json')),
  'dist',
);

export function docsRoutes(portalDir: string = defaultPortalDir): Hono {
  const docs = new Hono();
  // The portal's links are relative, so the index must be reached as /docs/.
  docs.get('/docs', (c) => c.redirect('/docs/', 301));
  docs.get('/docs/*', async (c) => {
    const file = resolvePortalFile(portalDir, c.req.path.slice('/docs'.length));
    if (!file) {
      const built = resolvePortalFile(portalDir, '/index.html') !== null;
      return c.text(
        built ? 'Not found in the docs portal.\n' : 'The docs portal is not built: run `pnpm build`.\n',
        404,
      );
    }
    return c.body(await readFile(file.path), 200, { 'content-type': file.contentType, 'cache-control': 'no-cache' });
  });
  return docs;
}
