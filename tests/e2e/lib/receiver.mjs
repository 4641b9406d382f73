// A webhook receiver keeping what it received as sent, for signature checks.

import { createServer } from 'node:http';

/**
 * A receiver on 127.0.0.1:`port` (0: a free one) answering 204 and keeping each request's
 * headers and raw body in `received`: `{ url, received, close }`.
 */
export async function rawReceiver(port = 0) {
  const received = [];
  const http = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => http.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/hooks`,
    received,
    close: () => new Promise((resolve) => (http.closeAllConnections(), http.close(resolve))),
  };
}
