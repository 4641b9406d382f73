// A static file server on a free port of 127.0.0.1 for a built app's directory, with the MIME
// types a browser needs (`application/wasm` for `WebAssembly.instantiateStreaming`).

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export class StaticSite {
  #server;

  constructor(server) {
    this.#server = server;
    this.origin = `http://127.0.0.1:${server.address().port}`;
  }

  /** Serves the files under `dir` (`/` is `index.html`) on `port` (0: any free one); other paths are 404. */
  static start(dir, port = 0) {
    return new Promise((resolveStart, reject) => {
      const server = createServer(async (request, response) => {
        const path = decodeURIComponent(new URL(request.url, 'http://host').pathname);
        const file = join(dir, normalize(path.endsWith('/') ? `${path}index.html` : path));
        try {
          const body = await readFile(file);
          response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
        } catch {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        }
      });
      server.on('error', reject);
      server.listen(port, '127.0.0.1', () => resolveStart(new StaticSite(server)));
    });
  }

  /** Closes the server and every open connection. */
  close() {
    return new Promise((r) => {
      this.#server.closeAllConnections?.();
      this.#server.close(r);
    });
  }
}
