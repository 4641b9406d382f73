// A webhook receiver keeping what it received as sent, for signature checks.

import { createServer } from 'node:http';

/**
 * A receiver on 127.0.0.1:`port` (0: a free one) keeping each request's headers, raw body and
 * the status it answered in `received`: `{ url, received, status, close }`. It answers
 * `status` (204 unless set otherwise; change it at any time, e.g. 500 to fail deliveries).
 */
export async function rawReceiver(port = 0) {
  const receiver = { received: [], status: 204 };
  const http = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { status } = receiver;
      receiver.received.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  await new Promise((resolve) => http.listen(port, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${http.address().port}/hooks`;
  receiver.close = () => new Promise((resolve) => (http.closeAllConnections(), http.close(resolve)));
  return receiver;
}
