#!/usr/bin/env node
/**
 * The map at scale in headless Chromium: 2,000 pods in 50 namespaces and 10,000 edges.
 * Serves the production build (apps/web/dist) from a loopback HTTP server, answers the API and the
 * live WebSocket (a real `ws` server on the same port) with a synthetic graph, and measures:
 *   - time to first render: navigation start -> map drawn with every node (two frames after apply)
 *   - per live update: the map's own apply time (performance.measure) and the longest task
 *     (PerformanceObserver 'longtask') while the update is handled
 *   - the bytes the map view downloads, and whether it downloads the charts' code.
 *   - with --pan <seconds>: frames per second while the map is dragged (panned) that long, once the
 *     updates are done: the page's animation frames, the map's own drawn frames, the longest task.
 * Usage: node bench/web/mapBench.mjs [--updates 10] [--namespaces 50] [--nodes-per-ns 40] [--edges 10000]
 *   [--churn 0.05] [--deltas] [--pan 3] [--dist <other build>] [--screenshot <png>]
 *   [--profile | --profile-first] [--profile-out <file>]
 * 10,000 pods and 50,000 edges: --nodes-per-ns 200 --edges 50000.
 * --churn: the share of edges whose rates change per update (syntheticGraph.mjs); every edge without.
 * --deltas: each live update is sent as the server sends it now, what changed since the one before
 * (builds before fdb454b's successor know only whole updates, so side by side runs leave it off).
 * Requires `pnpm --filter @weft/web build` first (and `pnpm --filter @weft/protocol build` for --deltas).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire, SourceMap } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@weft/e2e/support/chromium';
import { graphChanges, itemsById } from '@weft/protocol/core';
import { syntheticGraph } from './syntheticGraph.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'e2e/package.json'));
const { chromium } = require('@playwright/test');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const UPDATES = arg('updates', 10);
const NAMESPACES = arg('namespaces', 50);
const PODS_PER_NS = arg('nodes-per-ns', 40);
const EDGES = arg('edges', 10_000);
const CHURN = arg('churn', 0);
const PAN_S = arg('pan', 0);

// --dist <dir>: another build (a baseline copy) to compare side by side under the same load.
const distArg = process.argv.indexOf('--dist');
const dist = distArg > 0 ? process.argv[distArg + 1] : join(root, 'apps/web/dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('apps/web/dist is missing: run `pnpm --filter @weft/web build` first');
  process.exit(2);
}
// Minified names say little: profile frames are named from the build's source maps.
const sourceMaps = new Map();
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const file = join(dist, path === '/' ? 'index.html' : path);
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(join(dist, 'index.html')));
    return;
  }
  res
    .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    .end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const FLAT = process.argv.includes('--flat');
const DELTAS = process.argv.includes('--deltas');
const graphAt = (tick) => {
  const g = syntheticGraph({
    namespaces: NAMESPACES,
    podsPerNs: PODS_PER_NS,
    edges: EDGES,
    tick,
    churn: CHURN,
  });
  if (FLAT) g.nodes = g.nodes.filter((n) => n.kind !== 'namespace').map(({ parent, ...n }) => n);
  return g;
};
const first = graphAt(0);
const summary = {
  bytesPerSec: 1e9,
  packetsPerSec: 1e6,
  dropsPerSec: 5,
  dnsQueriesPerSec: 100,
  dnsErrorRate: 0.01,
  tcpConnectsPerSec: 50,
  tcpFailuresPerSec: 1,
  alertsFiring: 0,
  alertsPending: 0,
  collectors: 20,
};

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

// Errors in the page (a frame that threw draws nothing: the figures would mean little).
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e).slice(0, 300)));
page.on('console', (m) => {
  if (m.type() === 'error') pageErrors.push(m.text().slice(0, 300));
});

const downloaded = [];
page.on('response', async (r) => {
  if (r.url().startsWith(base) && r.url().includes('/assets/')) {
    const body = await r.body().catch(() => Buffer.alloc(0));
    downloaded.push({ url: r.url().slice(base.length), bytes: body.length });
  }
});

await page.route('**/api/v1/status', (r) =>
  r.fulfill({ json: { version: 'bench', uptimeS: 1, simulated: true, collectors: [] } }),
);
await page.route('**/api/v1/alerts', (r) => r.fulfill({ json: { rules: [] } }));
// The REST graph is withheld so the first render comes from the live socket, like a running dashboard.
await page.route('**/api/v1/graph**', () => {});
// A real WebSocket server (the `ws` package, as the Weft server uses) on the same loopback port, so
// an update reaches the page the way it does in production: received off the main thread, then
// parsed and applied on it.
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ server, path: '/api/v1/live' });
let liveWs = null;
// Made before the page loads: at 50,000 edges stringifying takes this process a second, which is the
// bench's time, not the page's.
const firstText = JSON.stringify({
  type: 'update',
  seq: 0,
  ts: Date.now(),
  graph: first,
  summary,
  simulated: true,
});
wss.on('connection', (ws) => {
  liveWs = ws;
  ws.on('message', () => ws.send(firstText));
});

await page.addInitScript(() => {
  window.__bench = { longtasks: [], applies: [], drawnAt: null, firstMessageAt: null };
  // Listens before the app's own onmessage (registered at construction), so it sees arrival time.
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__bench.firstMessageAt ??= performance.now();
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__bench.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__bench.draws = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'weft-map-apply')
        window.__bench.applies.push({ start: e.startTime, duration: e.duration });
      // The canvas renderer measures each frame it draws (cytoscape's are counted by its own event).
      if (e.name === 'weft-map-draw') window.__bench.draws++;
    }
  }).observe({ type: 'measure', buffered: true });
  new MutationObserver((_m, obs) => {
    const el = document.querySelector('[data-testid="traffic-map"]');
    if (el?.getAttribute('data-ready') === '1' && Number(el.getAttribute('data-nodes')) > 0) {
      obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__bench.drawnAt = performance.now())));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
});

const PROFILE_FIRST = process.argv.includes('--profile-first');
let cdpFirst = null;
if (PROFILE_FIRST) {
  cdpFirst = await page.context().newCDPSession(page);
  await cdpFirst.send('Profiler.enable');
  await cdpFirst.send('Profiler.start');
}
await page.goto(`${base}/?level=pod`);
await page.waitForFunction(() => window.__bench.drawnAt !== null, null, { timeout: 120_000 });
const firstRender = await page.evaluate(() => window.__bench.drawnAt);
const firstApply = await page.evaluate(() => window.__bench.applies[0]?.duration ?? null);
// Where the first render's time goes: script downloads, the first live message, apply, draw.
const phases = await page.evaluate(() => {
  const b = window.__bench;
  const r = (x) => Math.round(x);
  const scripts = performance
    .getEntriesByType('resource')
    .filter((e) => e.name.endsWith('.js'))
    .map((e) => `${e.name.split('/').pop()} ${r(e.startTime)}-${r(e.responseEnd)}`);
  const a = b.applies[0];
  return {
    scripts,
    firstMessageAt: r(b.firstMessageAt),
    applyStart: r(a.start),
    applyEnd: r(a.start + a.duration),
    drawnAt: r(b.drawnAt),
    longTasksBeforeDrawn: b.longtasks
      .filter((t) => t.start < b.drawnAt)
      .map((t) => `${r(t.start)}+${r(t.duration)}`),
  };
});
if (cdpFirst) printProfile((await cdpFirst.send('Profiler.stop')).profile);
const nodesDrawn = Number(await page.getByTestId('traffic-map').getAttribute('data-nodes'));
const edgesDrawn = Number(await page.getByTestId('traffic-map').getAttribute('data-edges'));
const initialAssets = [...downloaded];
// --screenshot <file.png>: the map as first drawn, to check it stays legible.
const shotArg = process.argv.indexOf('--screenshot');
if (shotArg > 0) {
  const path = process.argv[shotArg + 1];
  await page.screenshot({ path });
  // And zoomed in on the middle of the map, where labels and arrows appear.
  const box = await page.getByTestId('traffic-map').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -250);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.replace(/\.png$/, '-zoomed.png') });
  await page.mouse.move(0, 0);
}

// --profile: a CPU profile of the updates, summarised as the functions with the most self time.
const PROFILE = process.argv.includes('--profile');
let cdp = null;
if (PROFILE) {
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
}
// How many frames cytoscape draws per update (cytoscape keeps its instance on the container).
await page.evaluate(() => {
  const cy = document.querySelector('[data-testid="traffic-map-canvas"]')._cyreg?.cy;
  window.__bench.renders = 0;
  window.__bench.draws = 0;
  cy?.on('render', () => window.__bench.renders++);
});
const perUpdate = [];
const messageBytes = [];
for (let i = 1; i <= UPDATES; i++) {
  const g = graphAt(i);
  const before = await page.evaluate(() => ({
    t: performance.now(),
    applies: window.__bench.applies.length,
  }));
  const prev = i === 1 ? first : graphAt(i - 1);
  const msg = DELTAS
    ? {
        type: 'delta',
        seq: i,
        base: i - 1,
        ts: Date.now(),
        ...graphChanges(itemsById(prev.nodes), itemsById(prev.edges), g),
        summary,
        simulated: true,
      }
    : { type: 'update', seq: i, ts: Date.now(), graph: g, summary, simulated: true };
  const text = JSON.stringify(msg);
  messageBytes.push(Buffer.byteLength(text));
  liveWs.send(text);
  await page.waitForFunction((n) => window.__bench.applies.length > n, before.applies, { timeout: 60_000 });
  // Let the frame that draws it finish before reading the long tasks.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(300);
  const r = await page.evaluate((t0) => {
    const b = window.__bench;
    const apply = b.applies[b.applies.length - 1].duration;
    const tasks = b.longtasks.filter((x) => x.start >= t0).map((x) => x.duration);
    const renders = b.renders + b.draws;
    b.renders = 0;
    b.draws = 0;
    return { apply, longest: tasks.length ? Math.max(...tasks) : 0, longTasks: tasks.length, renders };
  }, before.t);
  perUpdate.push(r);
  await page.waitForTimeout(Math.max(0, 1000 - 300));
}
// --pan <s>: the map dragged by its empty top-left corner in circles (radius 150 px, one turn a
// second), as a user pans it; the page's animation frames and the map's own drawn frames counted.
let pan = null;
if (PAN_S > 0) {
  const box = await page.getByTestId('traffic-map').boundingBox();
  const x0 = box.x + 6;
  const y0 = box.y + 6;
  await page.evaluate(() => {
    const b = window.__bench;
    b.renders = 0;
    b.draws = 0;
    b.frames = [];
    b.panFrom = performance.now();
    const tick = (t) => {
      if (!b.frames) return;
      b.frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  const t0 = Date.now();
  let moves = 0;
  while (Date.now() - t0 < PAN_S * 1000) {
    const a = ((Date.now() - t0) / 1000) * 2 * Math.PI;
    await page.mouse.move(x0 + 150 - 150 * Math.cos(a), y0 + 150 * Math.sin(a));
    moves++;
  }
  await page.mouse.up();
  pan = await page.evaluate((moves) => {
    const b = window.__bench;
    const f = b.frames;
    b.frames = null;
    const span = f[f.length - 1] - f[0];
    let worstGap = 0;
    for (let i = 1; i < f.length; i++) worstGap = Math.max(worstGap, f[i] - f[i - 1]);
    const tasks = b.longtasks.filter((x) => x.start >= b.panFrom).map((x) => x.duration);
    return {
      seconds: Math.round(span) / 1000,
      moves,
      animationFramesPerSec: Math.round(((f.length - 1) / span) * 10000) / 10,
      mapFramesDrawnPerSec: Math.round(((b.draws + b.renders) / span) * 10000) / 10,
      worstFrameGapMs: Math.round(worstGap),
      longestTaskMs: Math.round(tasks.length ? Math.max(...tasks) : 0),
    };
  }, moves);
}
if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
function original(frame) {
  const file = frame.url.split('/').pop();
  if (!sourceMaps.has(file)) {
    const path = join(dist, 'assets', `${file}.map`);
    sourceMaps.set(
      file,
      file && existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null,
    );
  }
  const e = sourceMaps.get(file)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!e?.originalSource) return `${frame.functionName || '(anon)'} ${file}:${frame.lineNumber}`;
  const src = e.originalSource.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
  return `${frame.functionName || '(anon)'} ${src}:${e.originalLine + 1}`;
}
function printProfile(profile) {
  const out = process.argv.indexOf('--profile-out');
  if (out > 0) writeFileSync(process.argv[out + 1], JSON.stringify(profile));
  const self = new Map();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id);
    const key = original(n.callFrame);
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.error(top.map(([k, v]) => `${v.toFixed(0).padStart(7)} ms  ${k}`).join('\n'));
}
await browser.close();
wss.close();
server.close();

const kb = (b) => `${(b / 1024).toFixed(0)} KiB`;
const sum = (xs) => xs.reduce((a, x) => a + x, 0);
const chartsLoaded = initialAssets.some((a) => /TimeChart/.test(a.url));
const js = initialAssets.filter((a) => a.url.endsWith('.js'));
const result = {
  nodes: nodesDrawn,
  edges: edgesDrawn,
  firstRenderMs: Math.round(firstRender),
  firstApplyMs: Math.round(firstApply),
  firstRenderPhases: phases,
  applyMs: perUpdate.map((u) => Math.round(u.apply)),
  longestTaskMs: perUpdate.map((u) => Math.round(u.longest)),
  framesDrawnPerUpdate: perUpdate.map((u) => u.renders),
  maxLongestTaskMs: Math.round(Math.max(...perUpdate.map((u) => u.longest))),
  medianApplyMs: Math.round(
    [...perUpdate.map((u) => u.apply)].sort((a, b) => a - b)[Math.floor(perUpdate.length / 2)],
  ),
  liveMessageKiB: messageBytes.map((b) => Math.round(b / 1024)),
  firstMessageKiB: Math.round(Buffer.byteLength(firstText) / 1024),
  pan,
  pageErrors,
  mapViewJs: kb(sum(js.map((a) => a.bytes))),
  mapViewLoadsCharts: chartsLoaded,
  assets: js.map((a) => `${a.url} ${kb(a.bytes)}`),
};
console.log(JSON.stringify(result, null, 2));
