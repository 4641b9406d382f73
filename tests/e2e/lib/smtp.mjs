// A minimal SMTP server on 127.0.0.1 (the commands an SMTP client sends for one message:
// EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, RFC 5321) that accepts every message and
// keeps it, so a test can read what the owner was e-mailed.

import { createServer } from 'node:net';

export class SmtpSink {
  /** Accepted messages: `{ from, to: [...], data }`, in arrival order. */
  mails = [];

  static async start() {
    const sink = new SmtpSink();
    sink.server = createServer((socket) => sink.#session(socket));
    await new Promise((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  /** `smtp://127.0.0.1:<port>`, for `PARLO_SMTP_URL`. */
  get url() {
    return `smtp://127.0.0.1:${this.server.address().port}`;
  }

  close() {
    return new Promise((resolve) => this.server.close(resolve));
  }

  #session(socket) {
    socket.setEncoding('utf8');
    socket.write('220 sink ESMTP\r\n');
    let mail = { from: '', to: [], data: '' };
    let inData = false;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            this.mails.push(mail);
            mail = { from: '', to: [], data: '' };
            socket.write('250 queued\r\n');
          } else {
            mail.data += `${line.startsWith('.') ? line.slice(1) : line}\n`;
          }
          continue;
        }
        const upper = line.toUpperCase();
        if (upper.startsWith('EHLO') || upper.startsWith('HELO')) socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (upper.startsWith('MAIL FROM:')) (mail.from = line.slice(10).trim()), socket.write('250 OK\r\n');
        else if (upper.startsWith('RCPT TO:')) (mail.to.push(line.slice(8).trim()), socket.write('250 OK\r\n'));
        else if (upper === 'DATA') (inData = true), socket.write('354 end with .\r\n');
        else if (upper === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  }
}
