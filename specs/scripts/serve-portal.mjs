// Serves the built portal (specs/dist) until Ctrl-C. Temporary: the biller will serve it under /docs with
// resolvePortalFile from ./portal-files.mjs.
//
//   PORT=8088 HOST=127.0.0.1 PORTAL_OUT_DIR=specs/dist node scripts/serve-portal.mjs

import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePortalFile } from './portal-files.mjs';

const distDir = resolve(process.env.PORTAL_OUT_DIR ?? join(fileURLToPath(new URL('..', import.meta.url)), 'dist'));
const port = Number(process.env.PORT ?? 8088);
const host = process.env.HOST ?? '127.0.0.1';

if (!existsSync(join(distDir, 'index.html'))) {
  console.error(`serve-portal: ${distDir}/index.html not found; run \`pnpm --filter @bbps-kit/specs build\` first.`);
  process.exit(1);
}

const server = createServer((request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('Method Not Allowed\n');
    return;
  }
  const file = resolvePortalFile(distDir, request.url ?? '/');
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not Found\n');
    return;
  }
  response.writeHead(200, {
    'content-type': file.contentType,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file.path)
    .on('error', () => response.destroy())
    .pipe(response);
});

server.listen(port, host, () => {
  const { port: actualPort } = server.address();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  console.log(`bbps-kit contracts portal: http://${shownHost}:${actualPort}/ (serving ${distDir}; Ctrl-C to stop)`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
