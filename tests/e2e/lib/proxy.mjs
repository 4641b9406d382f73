// A TCP proxy in front of the server that can drop the network: `block()` destroys every open
// connection (the realtime stream included) and resets new ones until `unblock()`.

import { connect, createServer } from 'node:net';

export class TcpProxy {
  #server;
  #sockets = new Set();
  #blocked = false;

  /** Target port on 127.0.0.1 (may be set after `start`). */
  targetPort = null;

  constructor(server) {
    this.#server = server;
    this.port = server.address().port;
    this.origin = `http://127.0.0.1:${this.port}`;
  }

  /** Listens on a free port of 127.0.0.1; forwards to `targetPort` once it is set. */
  static start() {
    return new Promise((resolveStart, reject) => {
      let proxy;
      const server = createServer((client) => proxy.#accept(client));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        proxy = new TcpProxy(server);
        resolveStart(proxy);
      });
    });
  }

  #accept(client) {
    if (this.#blocked || !this.targetPort) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      this.#sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.#sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  }

  /** Drops the network: destroys every open connection, resets new ones. */
  block() {
    this.#blocked = true;
    for (const socket of this.#sockets) socket.resetAndDestroy?.() ?? socket.destroy();
  }

  /** Restores the network. */
  unblock() {
    this.#blocked = false;
  }

  /** Closes the proxy and every connection. */
  close() {
    this.block();
    return new Promise((r) => this.#server.close(r));
  }
}
