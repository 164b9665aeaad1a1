import { connect } from 'node:net';
import { type ControlRequest, type ControlResponse, MAX_CONTROL_LINE } from './controlProtocol.js';

/** Sends one request to an agent's control socket and returns its result (rejects on error or timeout). */
export function sendControl(socketPath: string, req: ControlRequest, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    let buf = '';
    const timer = setTimeout(
      () => sock.destroy(new Error(`agent at ${socketPath} did not answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.length > MAX_CONTROL_LINE) sock.destroy(new Error('control answer too long'));
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end();
      let res: ControlResponse;
      try {
        res = JSON.parse(buf.slice(0, nl)) as ControlResponse;
      } catch {
        reject(new Error(`agent at ${socketPath} sent a bad answer`));
        return;
      }
      if (res.ok) resolve(res.result);
      else reject(new Error(res.error));
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
