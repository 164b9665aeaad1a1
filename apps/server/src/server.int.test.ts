import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { IngestCloseCode, PROTOCOL_VERSION } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { connect } from './fixtures/wsClient.js';

const entry = fileURLToPath(new URL('./server.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=weft-source', '--import', 'tsx', entry], {
    env: { ...process.env, WEFT_WEB_ROOT: '/nonexistent/wsv', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /"url":"(http:\/\/[^"]+)","msg":"weft server listening"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`exited early: ${err}`)));
  });
  return { child, exited, listening, logs: () => out, errors: () => err };
}

describe('server entry', () => {
  it('runs as a main module, logs JSON, and on SIGTERM closes collectors with 1001 and exits 0', async () => {
    const s = run({ WEFT_PORT: '0', WEFT_LOG_LEVEL: 'info' });
    const url = await s.listening;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const c = await connect(`${url.replace('http', 'ws')}/api/v1/ingest`);
    c.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      node: 'n1',
      boot: 'b',
      collectorVersion: 't',
      hooks: [],
      simulated: true,
    });
    await c.next();
    s.child.kill('SIGTERM');
    expect(await c.closed).toEqual({ code: IngestCloseCode.shuttingDown, reason: 'server shutting down' });
    expect(await s.exited).toEqual([0, null]);
    const lines = s
      .logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
  });

  it('refuses a bad configuration with exit code 2 and names the variable', async () => {
    const s = run({ WEFT_PORT: 'eighty', WEFT_ALERT_DROP_RATE: 'lots' });
    await s.listening.catch(() => {});
    expect((await s.exited)[0]).toBe(2);
    expect(s.errors()).toContain('WEFT_PORT="eighty": must be a port from 0 to 65535');
    expect(s.errors()).toContain('WEFT_ALERT_DROP_RATE="lots"');
  });

  it('will not start on every address without a token, nor with a certificate it cannot read (exit 2)', async () => {
    // Nothing listens: the configuration is refused before the socket is opened.
    const open = run({ WEFT_HOST: '0.0.0.0', WEFT_PORT: '0' });
    await open.listening.catch(() => {});
    expect((await open.exited)[0]).toBe(2);
    expect(open.errors()).toContain('WEFT_INGEST_TOKEN is not set, and WEFT_HOST=0.0.0.0 is reachable');
    const tls = run({
      WEFT_PORT: '0',
      WEFT_TLS_CERT_FILE: '/nonexistent/wsv/tls.crt',
      WEFT_TLS_KEY_FILE: '/nonexistent/wsv/tls.key',
    });
    await tls.listening.catch(() => {});
    expect((await tls.exited)[0]).toBe(2);
    expect(tls.errors()).toContain('WEFT_TLS_CERT_FILE=/nonexistent/wsv/tls.crt: cannot read it');
  });
});
