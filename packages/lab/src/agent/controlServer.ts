import { unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { type ControlRequest, type ControlResponse, MAX_CONTROL_LINE } from './controlProtocol.js';

export type ControlHandler = (req: ControlRequest) => Promise<unknown> | unknown;

/** The agent's end of the control channel: a unix socket in the lab's state dir (reachable from any netns). */
export function serveControl(path: string, handle: ControlHandler): Promise<Server> {
  try {
    unlinkSync(path);
  } catch {
    // not there: fine
  }
  const server = createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => sock.destroy());
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.length > MAX_CONTROL_LINE) {
        sock.destroy();
        return;
      }
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      const reply = (r: ControlResponse) => sock.end(`${JSON.stringify(r)}\n`);
      let req: ControlRequest;
      try {
        req = JSON.parse(line) as ControlRequest;
      } catch {
        reply({ ok: false, error: 'bad JSON' });
        return;
      }
      Promise.resolve()
        .then(() => handle(req))
        .then(
          (result) => reply({ ok: true, result }),
          (err: unknown) => reply({ ok: false, error: String((err as Error)?.message ?? err) }),
        );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
