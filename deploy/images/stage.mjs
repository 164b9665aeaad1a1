#!/usr/bin/env node
// Usage: node deploy/images/stage.mjs collector|server OUT
//
// Assembles what an image runs, from a checkout that is already installed and built
// (`pnpm install --frozen-lockfile && pnpm build`): the component's workspace packages (package.json +
// dist/) and their production dependencies only, in the repository's own layout under OUT, so that
// workspace links and paths resolved from a package (the probe binary, the web root) stay valid.
// The Dockerfiles run this; CI can run it outside a container to check the same steps.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Per component: the workspace package it runs, its entry point, and built files it needs besides. */
const COMPONENTS = {
  collector: {
    // `weft collector`: the CLI parses flags and WEFT_* variables, runs the collector, handles signals.
    pkg: '@weft/cli',
    entry: 'apps/cli/dist/main.js',
    // The eBPF loader, spawned by @weft/bpf from its own dist/.
    required: ['packages/bpf/dist/weft-probe'],
    extra: [],
  },
  server: {
    pkg: '@weft/server',
    entry: 'apps/server/dist/server.js',
    required: ['apps/web/dist/index.html'],
    // The built single-page app the server serves (WEFT_WEB_ROOT defaults to it); not a dependency.
    extra: ['apps/web/dist'],
  },
};

function fail(msg) {
  process.stderr.write(`stage: ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) fail(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r.stdout;
}

const [name, outArg] = process.argv.slice(2);
const component = COMPONENTS[name];
if (!component || !outArg) fail('usage: node deploy/images/stage.mjs collector|server OUT');
const out = resolve(outArg);
if (out === root || root.startsWith(`${out}/`)) fail(`OUT must not contain the repository: ${out}`);

for (const file of [component.entry, ...component.required]) {
  if (!existsSync(join(root, file))) fail(`${file} is missing: run pnpm install and pnpm build first`);
}

/** The workspace packages the component runs on: itself and its workspace dependencies. */
const closure = JSON.parse(
  run('pnpm', ['ls', '--filter', `${component.pkg}...`, '--depth', '-1', '--json'], root),
);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const f of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'])
  cpSync(join(root, f), join(out, f));
for (const { path } of closure) {
  const rel = relative(root, path);
  mkdirSync(join(out, rel), { recursive: true });
  cpSync(join(path, 'package.json'), join(out, rel, 'package.json'));
  if (existsSync(join(path, 'dist'))) cpSync(join(path, 'dist'), join(out, rel, 'dist'), { recursive: true });
}
for (const dir of component.extra) cpSync(join(root, dir), join(out, dir), { recursive: true });

// Production dependencies of the closure only, from the lockfile as committed; no install scripts.
run(
  'pnpm',
  [
    'install',
    '--prod',
    '--frozen-lockfile',
    '--prefer-offline',
    '--ignore-scripts',
    '--filter',
    `${component.pkg}...`,
  ],
  out,
);

for (const file of [component.entry, ...component.required]) {
  if (!existsSync(join(out, file))) fail(`${file} did not make it into ${out}`);
}
process.stdout.write(`staged ${name} (${closure.map((p) => p.name).join(', ')}) in ${out}\n`);
