import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface Exchange {
  bytesOut: number;
  bytesIn: number;
}

const TIMEOUT_MS = 3000;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

function payload(n: number): Buffer {
  if (n <= CHUNK.length) return CHUNK.subarray(0, n);
  return Buffer.alloc(n, 0x61);
}

/**
 * One HTTP exchange on a fresh connection (Connection: close), so every request is a TCP connect the
 * probe can count. GET when there is no body; the server answers `size` bytes.
 */
export function httpExchange(
  ip: string,
  port: number,
  requestBytes: number,
  responseBytes: number,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const body = payload(requestBytes);
    const req = httpRequest(
      {
        host: ip,
        port,
        method: requestBytes > 0 ? 'POST' : 'GET',
        path: `/bytes/${responseBytes}`,
        agent: false,
        headers: { connection: 'close', 'content-length': String(body.length) },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        let n = 0;
        res.on('data', (d: Buffer) => {
          n += d.length;
        });
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) reject(new Error(`HTTP ${res.statusCode}`));
          else resolve({ bytesOut: body.length, bytesIn: n });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * One request/response of the kv protocol (postgres/redis stand-in): `REQ <resp> <len>\n` + len bytes,
 * answered by `OK <resp>\n` + resp bytes, then both sides close.
 */
export function kvExchange(
  ip: string,
  port: number,
  requestBytes: number,
  responseBytes: number,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: ip, port });
    let received = 0;
    let expected = -1;
    let header = '';
    sock.setTimeout(TIMEOUT_MS, () => sock.destroy(new Error('timeout')));
    sock.on('connect', () => {
      sock.write(`REQ ${responseBytes} ${requestBytes}\n`);
      sock.write(payload(requestBytes));
    });
    sock.on('data', (d: Buffer) => {
      if (expected < 0) {
        header += d.toString('latin1');
        const nl = header.indexOf('\n');
        if (nl < 0) {
          if (header.length > 64) sock.destroy(new Error('bad kv answer'));
          return;
        }
        const m = /^OK (\d+)$/.exec(header.slice(0, nl));
        if (!m) {
          sock.destroy(new Error(`bad kv answer: ${header.slice(0, Math.min(nl, 40))}`));
          return;
        }
        expected = Number(m[1]);
        received = header.length - nl - 1;
      } else {
        received += d.length;
      }
      if (received >= expected) sock.end();
    });
    sock.on('error', reject);
    sock.on('close', () => {
      if (expected >= 0 && received >= expected) resolve({ bytesOut: requestBytes, bytesIn: received });
      else reject(new Error('connection closed early'));
    });
  });
}
