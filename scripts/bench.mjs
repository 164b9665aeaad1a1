#!/usr/bin/env node
// `pnpm bench [name ...]`: runs bench/<name>/run.mjs (or run.ts through tsx) for each benchmark, or all
// of them. Each writes its figures and the machine it ran on into bench/<name>/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
const all = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  const mjs = join(benchDir, name, 'run.mjs');
  const ts = join(benchDir, name, 'run.ts');
  const entry = existsSync(mjs)
    ? ['node', [mjs]]
    : existsSync(ts)
      ? ['node', ['--conditions=weft-source', '--import', 'tsx', ts]]
      : null;
  if (!entry) {
    process.stderr.write(`bench/${name}: no run.mjs or run.ts\n`);
    failed++;
    continue;
  }
  process.stdout.write(`\n=== bench/${name} ===\n`);
  const r = spawnSync(entry[0], entry[1], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
