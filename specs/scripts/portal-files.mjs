// Maps a request path to a file of the built portal (specs/dist). Shared by scripts/serve-portal.mjs and by
// any server that mounts the portal (the biller's /docs): strip the mount prefix, then call this.

import { statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export const contentTypes = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.yml': 'application/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
});

/**
 * @param {string} distDir folder of the built portal
 * @param {string} urlPath the request's path, as sent (percent-encoded; a query string is ignored)
 * @returns {{ path: string, contentType: string } | null} null when there is no such file or the path
 *   tries to leave distDir; `/` and a trailing `/` mean index.html
 */
export function resolvePortalFile(distDir, urlPath) {
  let pathname = String(urlPath).split(/[?#]/, 1)[0];
  if (!pathname.startsWith('/')) return null;
  try {
    pathname = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Backslashes and NUL never name a portal file; refusing them keeps traversal checks simple everywhere.
  if (pathname.includes('\\') || pathname.includes('\0')) return null;
  if (pathname.endsWith('/')) pathname += 'index.html';

  const root = resolve(distDir);
  const path = resolve(root, `.${pathname}`);
  if (!path.startsWith(root + sep)) return null;
  const contentType = contentTypes[extname(path).toLowerCase()];
  if (!contentType) return null;
  try {
    if (!statSync(path).isFile()) return null;
  } catch {
    return null;
  }
  return { path, contentType };
}
