import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseServerConfig, startServer } from '@weft/server';
import { type Feeder, startFeeder } from './feeder.js';
import { NODES, type TrafficOptions } from './labTraffic.js';

/**
 * The stack the e2e specs run against: the real Weft server (from source) serving the built SPA on a
 * free loopback port, fed by two collector stand-ins, plus a loopback control endpoint that switches
 * the lab's fault (and its refused port) on and off. Prints one JSON line with the URLs, then runs until SIGTERM.
 */
const TOKEN = 'e2e-token-0123456789abcdef';
const webRoot = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

const config = parseServerConfig({
  WEFT_HOST: '127.0.0.1',
  WEFT_PORT: '0',
  WEFT_INGEST_TOKEN: TOKEN,
  WEFT_WEB_ROOT: webRoot,
  WEFT_LOG_LEVEL: process.env.WEFT_LOG_LEVEL ?? 'warn',
  // Alerts react within seconds in tests instead of the seed's 5 minutes.
  WEFT_ALERT_INTERVAL_S: '1',
  WEFT_ALERT_WINDOW_S: '30',
  WEFT_ALERT_FOR_S: '5',
});
const server = await startServer(config);
const ingest = `${server.url.replace(/^http/, 'ws')}/api/v1/ingest`;
const traffic: TrafficOptions = { fault: false, refused: false };
const feeders: Feeder[] = [];
for (const node of NODES) feeders.push(await startFeeder({ url: ingest, token: TOKEN, node, traffic }));

const control = createServer((req, res) => {
  if (req.url === '/fault/on') traffic.fault = true;
  else if (req.url === '/fault/off') traffic.fault = false;
  else if (req.url === '/refused/on') traffic.refused = true;
  else if (req.url === '/refused/off') traffic.refused = false;
  else {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(traffic));
});
await new Promise<void>((r) => control.listen(0, '127.0.0.1', () => r()));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

process.stdout.write(`${JSON.stringify({ url: server.url, control: controlUrl })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all(feeders.map((f) => f.stop().catch(() => {})));
  control.close();
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The runner going away (crash) must not leave a server behind.
process.stdin.on('end', stop);
process.stdin.resume();
