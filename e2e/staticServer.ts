/**
 * A minimal static file server for e2e tests: serves a folder under a URL sub-path (like a
 * project page on a static host) and answers 404 for anything outside it. No caching, no
 * directory listings, no path escapes.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, resolve, sep } from 'node:path';

/** Content types by file extension (a Map: a path's extension is never an object key). */
const TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.txt': 'text/plain; charset=utf-8',
    '.yaml': 'text/yaml; charset=utf-8',
    '.woff2': 'font/woff2',
    '.webmanifest': 'application/manifest+json',
  }),
);

export interface StaticServer {
  /** Origin and mount, ending in `/`: e.g. `http://127.0.0.1:41234/some/path/`. */
  readonly url: string;
  /** Every request the server saw, with the status it answered. */
  readonly log: readonly { readonly path: string; readonly status: number }[];
  close(): Promise<void>;
}

/**
 * Serves `root` at `mount` (a path starting and ending with `/`) on 127.0.0.1, on a free port.
 * `mount` without its trailing slash redirects to it, as static hosts do.
 */
export async function startStaticServer(root: string, mount: string): Promise<StaticServer> {
  if (!mount.startsWith('/') || !mount.endsWith('/')) throw new Error(`bad mount ${mount}`);
  const base = resolve(root);
  const log: { path: string; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
      log.push({ path: req.url ?? '', status });
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed');
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (pathname === mount.slice(0, -1)) return answer(301, '', { location: mount });
      if (!pathname.startsWith(mount)) return answer(404, 'not found');
      let rel: string;
      try {
        rel = decodeURIComponent(pathname.slice(mount.length));
      } catch {
        return answer(400, 'bad path');
      }
      let file = resolve(base, normalize(rel || '.'));
      if (file !== base && !file.startsWith(base + sep)) return answer(404, 'not found');
      try {
        let st = await stat(file);
        if (st.isDirectory()) {
          file = resolve(file, 'index.html');
          st = await stat(file);
        }
        if (!st.isFile()) return answer(404, 'not found');
        log.push({ path: req.url ?? '', status: 200 });
        res.writeHead(200, {
          'content-type': TYPES.get(extname(file).toLowerCase()) ?? 'application/octet-stream',
          'content-length': String(st.size),
          'cache-control': 'no-store',
        });
        if (req.method === 'HEAD') return res.end();
        createReadStream(file).pipe(res);
      } catch {
        answer(404, 'not found');
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    log,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : ok()));
      }),
  };
}
