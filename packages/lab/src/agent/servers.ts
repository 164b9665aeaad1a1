import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

const MAX_RESPONSE = 16 * 1024 * 1024;
const FILL = Buffer.alloc(64 * 1024, 0x62);

export interface ServerStats {
  port: number;
  app: string;
  requests: number;
  bytesIn: number;
  bytesOut: number;
  listening: boolean;
}

function writeBytes(out: { write(b: Buffer): boolean }, n: number): void {
  let left = n;
  while (left > 0) {
    const k = Math.min(left, FILL.length);
    out.write(FILL.subarray(0, k));
    left -= k;
  }
}

function httpServer(stats: ServerStats): HttpServer {
  return createHttpServer((req, res) => {
    let n = 0;
    req.on('data', (d: Buffer) => {
      n += d.length;
    });
    req.on('end', () => {
      stats.requests++;
      stats.bytesIn += n;
      const m = /^\/bytes\/(\d{1,9})(?:\?.*)?$/.exec(req.url ?? '');
      const size = m ? Math.min(Number(m[1]), MAX_RESPONSE) : 2;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
      if (m) writeBytes(res, size);
      else res.write('ok');
      stats.bytesOut += size;
      res.end();
    });
  });
}

/** The kv protocol's server side (see kvExchange). */
function kvServer(stats: ServerStats): NetServer {
  return createNetServer((sock: Socket) => {
    let header = '';
    let want = -1;
    let size = 0;
    let got = 0;
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      if (want < 0) {
        header += d.toString('latin1');
        const nl = header.indexOf('\n');
        if (nl < 0) {
          if (header.length > 64) sock.destroy();
          return;
        }
        const m = /^REQ (\d{1,9}) (\d{1,9})$/.exec(header.slice(0, nl));
        if (!m) {
          sock.end('ERR bad request\n');
          return;
        }
        size = Math.min(Number(m[1]), MAX_RESPONSE);
        want = Number(m[2]);
        got = header.length - nl - 1;
      } else {
        got += d.length;
      }
      if (got >= want) {
        want = Number.POSITIVE_INFINITY;
        stats.requests++;
        stats.bytesIn += got;
        stats.bytesOut += size;
        sock.write(`OK ${size}\n`);
        writeBytes(sock, size);
        sock.end();
      }
    });
  });
}

/** A TCP server that can stop listening (connection refused fault) and listen again. */
export class PortServer {
  readonly stats: ServerStats;
  private server: HttpServer | NetServer;

  constructor(
    readonly port: number,
    readonly app: 'http' | 'kv',
  ) {
    this.stats = { port, app, requests: 0, bytesIn: 0, bytesOut: 0, listening: false };
    this.server = app === 'http' ? httpServer(this.stats) : kvServer(this.stats);
  }

  listen(): Promise<void> {
    if (this.stats.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      // `::` takes IPv4 too (dual stack), like a pod's server.
      this.server.listen({ port: this.port, host: '::', backlog: 1024 }, () => {
        this.server.off('error', onError);
        this.stats.listening = true;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    if (!this.stats.listening) return Promise.resolve();
    this.stats.listening = false;
    return new Promise((resolve) => {
      // Stop accepting now; connections in flight finish on their own.
      this.server.close(() => resolve());
      if ('closeIdleConnections' in this.server) this.server.closeIdleConnections();
      resolve();
    });
  }
}
