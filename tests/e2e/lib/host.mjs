// A second origin for host pages: a tiny HTTP server on a free port of 127.0.0.1 that serves
// fixed HTML pages, so a test can embed the widget from another origin than parlo-server's.

import { createServer } from 'node:http';

export class HostSite {
  #server;
  /** Path → HTML; may be filled in after `start` (e.g. once the Parlo server's URL is known). */
  pages;

  constructor(server, pages) {
    this.#server = server;
    this.pages = pages;
    this.port = server.address().port;
    this.origin = `http://127.0.0.1:${this.port}`;
  }

  /**
   * Serves `pages` (`{ '/path': '<html>…' }`), each with the extra response `headers` (e.g. a
   * `content-security-policy`); other paths are 404.
   */
  static start(pages = {}, headers = {}) {
    return new Promise((resolveStart, reject) => {
      let site;
      const server = createServer((request, response) => {
        const html = site.pages[new URL(request.url, 'http://host').pathname];
        if (html === undefined) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(html);
      });
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        site = new HostSite(server, { ...pages });
        resolveStart(site);
      });
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
