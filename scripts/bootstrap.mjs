#!/usr/bin/env node
// Makes a fresh Debian 12 + Node 20 machine ready for `npm start` and `npm test`, and does nothing
// twice: apt packages only when missing, pnpm only when absent or another version, node modules only
// when the lockfile or a manifest changed, and builds through turbo's cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.4.2';
/** What the probe, the lab, the tests and the deploy checks run on. */
const APT_PACKAGES = [
  'clang',
  'llvm',
  'libbpf-dev',
  'bpftool',
  'libelf-dev',
  'zlib1g-dev',
  'make',
  'pkg-config',
  'iproute2',
  'iptables',
  'nftables',
  'dnsmasq-base',
  'dnsutils',
  'iperf3',
  'curl',
  'openssl',
  'netcat-openbsd',
  'procps',
  'chromium',
  'prometheus',
  'kubernetes-client',
];

const isRoot = process.getuid?.() === 0;
const quiet = process.argv.includes('--quiet');
const log = (msg) => {
  if (!quiet) process.stderr.write(`[weft bootstrap] ${msg}\n`);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`[weft bootstrap] failed: ${cmd} ${args.join(' ')}\n`);
    process.exit(r.status ?? 1);
  }
}

function missingAptPackages() {
  if (!existsSync('/usr/bin/dpkg-query')) return [];
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\\n', ...APT_PACKAGES], {
    encoding: 'utf8',
  });
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0]),
  );
  return APT_PACKAGES.filter((p) => !installed.has(p) && !(p in SATISFIED_BY && onPath(SATISFIED_BY[p])));
}

/** Packages whose command may come from elsewhere (some images ship kubectl from the Cloud SDK). */
const SATISFIED_BY = { 'kubernetes-client': 'kubectl' };

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function ensureApt() {
  const missing = missingAptPackages();
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot) {
    log(`missing Debian packages: ${missing.join(' ')}`);
    log(`run as root: ${cmd}`);
    log('continuing: the lab falls back to the simulated mode and tests that need them will say so');
    return;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function pnpmVersion() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function ensurePnpm() {
  if (pnpmVersion() === PNPM_VERSION) return;
  log(`installing pnpm@${PNPM_VERSION} (corepack can't verify signatures here)`);
  run('npm', ['install', '-g', '--no-fund', '--no-audit', `pnpm@${PNPM_VERSION}`]);
}

function manifests(dir, depth = 0, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory() && depth < 2) manifests(p, depth + 1, out);
    else if (
      entry.name === 'package.json' ||
      entry.name === 'pnpm-lock.yaml' ||
      entry.name === 'pnpm-workspace.yaml'
    )
      out.push(p);
  }
  return out.sort();
}

function ensureModules() {
  const hash = createHash('sha256');
  hash.update(process.version);
  for (const f of manifests(root)) hash.update(f).update(readFileSync(f));
  const digest = hash.digest('hex');
  const stamp = join(root, 'node_modules', '.weft-install');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  log('installing node modules');
  run('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only']);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, digest);
}

function build() {
  log('building (turbo reuses what has not changed)');
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', '--log-prefix=none'], {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1', DO_NOT_TRACK: '1' },
  });
}

ensureApt();
ensurePnpm();
ensureModules();
build();
