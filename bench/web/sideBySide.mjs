#!/usr/bin/env node
/**
 * The map benchmark for two builds side by side under the same load: the current apps/web/dist and
 * the web app as of a baseline commit (exported and built once under /tmp), run alternately.
 * Usage: node bench/web/sideBySide.mjs [--base <commit>] [--runs 3] [--updates 10] [mapBench options]
 * Any other option goes to mapBench.mjs for both builds, e.g. the 10,000-pod map:
 *   --base 42b6a7a --nodes-per-ns 200 --edges 50000 --churn 0.05 --deltas --pan 3
 * Requires `pnpm --filter @weft/web build` first (the current build).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const opt = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
// The last commit with only the cytoscape renderer.
const base = execFileSync('git', ['rev-parse', '--short', opt('base', '8d137b3~1')], { cwd: root })
  .toString()
  .trim();
const runs = Number(opt('runs', 3));
const updates = opt('updates', '10');
// What is not sideBySide's own goes to mapBench.mjs (flags without a value, like --deltas, alone).
const own = new Set(['--base', '--runs', '--updates']);
const passed = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (own.has(a)) i++;
  else passed.push(a);
}

const tree = `/tmp/weft-web-base-${base}`;
const baseDist = join(tree, 'apps/web/dist');
if (!existsSync(join(baseDist, 'index.html'))) {
  // A plain export of the web app at that commit (no worktree: the repository is left alone), which
  // borrows the installed packages: pnpm's links inside them resolve from their real place.
  mkdirSync(tree, { recursive: true });
  const files = execFileSync('git', ['archive', base, 'apps/web', 'tsconfig.base.json'], {
    cwd: root,
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', tree], { input: files });
  for (const dir of ['node_modules', 'apps/web/node_modules']) symlinkSync(join(root, dir), join(tree, dir));
  execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], {
    cwd: join(tree, 'apps/web'),
    stdio: 'inherit',
  });
}

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

const bench = (dist) => {
  const args = [join(root, 'bench/web/mapBench.mjs'), '--updates', updates, ...passed];
  if (dist) args.push('--dist', dist);
  const load = loadavg()[0];
  const out = execFileSync(process.execPath, args, { cwd: root, maxBuffer: 1 << 24 }).toString();
  const r = JSON.parse(out.slice(out.indexOf('{')));
  return {
    load: load.toFixed(1),
    nodes: r.nodes,
    edges: r.edges,
    firstRenderMs: r.firstRenderMs,
    maxLongestTaskMs: r.maxLongestTaskMs,
    medianLongestTaskMs: median(r.longestTaskMs),
    longestTaskMs: r.longestTaskMs,
    panFps: r.pan?.mapFramesDrawnPerSec ?? null,
    panAnimationFps: r.pan?.animationFramesPerSec ?? null,
    pageErrors: r.pageErrors ?? [],
  };
};

const rows = [];
for (let i = 0; i < runs; i++) {
  rows.push({ build: `base ${base}`, ...bench(baseDist) });
  rows.push({ build: 'current', ...bench(null) });
}
for (const r of rows)
  console.log(
    `${r.build.padEnd(14)} load ${r.load.padStart(4)}  drawn ${r.nodes} nodes ${r.edges} edges  first render ${String(r.firstRenderMs).padStart(5)} ms  longest task per update median ${String(r.medianLongestTaskMs).padStart(4)} max ${String(r.maxLongestTaskMs).padStart(4)} ms  [${r.longestTaskMs.join(', ')}]` +
      (r.panFps === null ? '' : `  pan: map frames ${r.panFps}/s, animation frames ${r.panAnimationFps}/s`) +
      (r.pageErrors.length > 0 ? `  PAGE ERRORS: ${r.pageErrors.join(' | ')}` : ''),
  );
const of = (b, k) => median(rows.filter((r) => r.build.startsWith(b)).map((r) => r[k]));
const ratio = (k) => (of('current', k) / of('base', k)).toFixed(2);
console.log(
  `median first render: base ${of('base', 'firstRenderMs')} ms, current ${of('current', 'firstRenderMs')} ms (ratio ${ratio('firstRenderMs')}); ` +
    `median of the runs' worst task per update: base ${of('base', 'maxLongestTaskMs')} ms, current ${of('current', 'maxLongestTaskMs')} ms (ratio ${ratio('maxLongestTaskMs')}); ` +
    `median of the runs' median task per update: base ${of('base', 'medianLongestTaskMs')} ms, current ${of('current', 'medianLongestTaskMs')} ms` +
    (rows[0].panFps === null
      ? ''
      : `; pan map frames/s: base ${of('base', 'panFps')}, current ${of('current', 'panFps')}`),
);
