// Packet to browser: how long after packets start being dropped in the real lab the dashboard in a
// real Chromium receives (and draws) the live update that shows them. Root and eBPF required.
//
//   pnpm build && node bench/latency/run.mjs [--trials 10] [--prefix wlat] [--root CHECKOUT] [--out FILE]
//
// It runs `weft start` as a user does (real lab, probe, one collector per lab node, server), opens the
// map at workload level, and per trial switches on a policy-drop fault frontend -> api through the lab's
// own fault API (in process, so the time the rule is in place is known to a few ms), then waits for the
// first live update whose frontend -> api edge carries drops. Between trials the fault is cleared, the
// drops leave the map's 5 s window, and a random pause puts the next trial at another phase of the
// probe's, the collectors' and the server's one-second cycles.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@weft/e2e/support/chromium';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'e2e/package.json'));
const { chromium } = require('@playwright/test');

const opt = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const TRIALS = Number(opt('trials', '10'));
const PREFIX = opt('prefix', 'wlat');
const EDGE = 'wl:production/frontend->wl:production/api';
// --root DIR: another built checkout (a baseline) whose `weft start` and lab to measure, side by side.
const stack = opt('root', root);
const cli = join(stack, 'apps/cli/dist/main.js');
const labDist = join(stack, 'packages/lab/dist/index.js');
for (const f of [cli, labDist])
  if (!existsSync(f)) {
    console.error(`${f} is missing: run \`pnpm build\` first`);
    process.exit(2);
  }
if (process.getuid?.() !== 0) {
  console.error('the real lab needs root');
  process.exit(2);
}
const { faultAdd, faultClear, parseFaultArgs } = await import(labDist);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// `weft start` on free ports with its own lab prefix, scenario clean (no background faults).
const child = spawn(
  process.execPath,
  [cli, 'start', '--port', '0', '--metrics-port', '0', '--lab-prefix', PREFIX, '--scenario', 'clean'],
  { cwd: stack, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEFT_LOG_LEVEL: 'warn' } },
);
const log = [];
createInterface({ input: child.stdout }).on('line', (l) => log.push(l));
const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
let mode = '';
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`weft start not ready:\n${log.join('\n')}`)), 120_000);
  createInterface({ input: child.stderr }).on('line', (l) => {
    log.push(l);
    if (/^weft: real lab with eBPF/.test(l)) mode = 'lab';
    if (/^weft: simulated lab/.test(l)) mode = 'simulated';
    const m = /^weft: dashboard: (http:\/\/\S+)/.exec(l);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  exited.then(() => reject(new Error(`weft start exited:\n${log.join('\n')}`)));
});

const results = [];
let browser;
try {
  if (mode !== 'lab')
    throw new Error(`weft start chose the ${mode || 'unknown'} lab: packets need the real one`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  // Every live update's arrival time and the edge's drop rate, and when the frame after it was drawn.
  await page.addInitScript((edgeId) => {
    const seen = [];
    window.__live = seen;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (ev) => {
          const at = Date.now();
          let drops = null;
          try {
            const m = JSON.parse(ev.data);
            if (m.type !== 'update') return;
            const e = m.graph.edges.find((x) => x.id === edgeId);
            drops = e ? e.dropsPerSec : 0;
          } catch {
            return;
          }
          const rec = { at, drops, drawn: 0 };
          seen.push(rec);
          requestAnimationFrame(() => setTimeout(() => (rec.drawn = Date.now()), 0));
        });
      }
    };
  }, EDGE);
  // A 5 s window: an edge's drop rate falls back to 0 five seconds after the fault is cleared.
  await page.goto(`${url}/?level=workload&from=now-5s`);
  await page.waitForSelector('[data-testid="traffic-map"][data-ready="1"]', { timeout: 60_000 });
  await page.waitForFunction(() => window.__live.length >= 3, null, { timeout: 30_000 });

  for (let i = 0; i < TRIALS; i++) {
    // The previous trial's drops have left the window, then a random phase against the 1 s cycles.
    await page.waitForFunction(() => window.__live.at(-1)?.drops === 0, null, { timeout: 30_000 });
    await sleep(Math.random() * 1_000);
    const before = await page.evaluate(() => window.__live.length);
    const fault = await faultAdd(
      { prefix: PREFIX },
      parseFaultArgs(['policy-drop', '--from', 'production/frontend', '--to', 'production/api']),
    );
    const ruleAt = Date.now();
    try {
      const hit = await page
        .waitForFunction(
          (from) => window.__live.slice(from).find((r) => r.drops > 0 && r.drawn > 0) ?? false,
          before,
          { timeout: 15_000, polling: 50 },
        )
        .then((h) => h.jsonValue());
      results.push({ trial: i + 1, receivedMs: hit.at - ruleAt, drawnMs: hit.drawn - ruleAt });
      process.stderr.write(
        `trial ${i + 1}: update received ${hit.at - ruleAt} ms, drawn ${hit.drawn - ruleAt} ms after the rule\n`,
      );
    } finally {
      await faultClear({ prefix: PREFIX, id: fault.id });
    }
  }
} finally {
  await browser?.close();
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const drawn = results.map((r) => r.drawnMs);
const summary = {
  when: new Date().toISOString(),
  stack,
  machine: `${cpus().length} vCPU ${cpus()[0]?.model ?? ''}, Node ${process.version}`,
  loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  trials: results.length,
  drawnMs: { median: pct(drawn, 50), p95: pct(drawn, 95), max: Math.max(...drawn) },
  receivedMs: {
    median: pct(
      results.map((r) => r.receivedMs),
      50,
    ),
  },
  results,
};
console.log(JSON.stringify(summary, null, 2));
const out = opt('out', '');
if (out) writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
