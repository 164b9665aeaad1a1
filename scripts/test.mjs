#!/usr/bin/env node
// Runs every check Weft has and ends with one line, `N passed, N failed, N skipped`, that counts
// every test of every runner: lint (one check), typecheck (one per package), unit and web tests
// (vitest), integration tests in the real kernel and network namespaces (vitest, root only, serial),
// and the browser end-to-end suite (Playwright). Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.weft', 'test');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const isRoot = process.getuid?.() === 0;
const only = process.argv.slice(2); // e.g. `node scripts/test.mjs unit e2e`
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  FORCE_COLOR: '0',
};

function step(name, fn) {
  if (only.length > 0 && !only.includes(name)) return;
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const r = fn();
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped ?? 0;
  if (r.failed > 0) failures.push(`${name}: ${r.failed} failed${r.note ? ` (${r.note})` : ''}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `--- ${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped ?? 0} skipped in ${secs}s${r.note ? ` (${r.note})` : ''}\n`,
  );
}

function sh(cmd, args, extraEnv = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Vitest's JSON report; a run that crashed before reporting counts as one failure. */
function vitest(name, args) {
  const file = join(out, `${name}.json`);
  const r = sh('pnpm', [
    'exec',
    'vitest',
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  const report = readJson(file);
  if (!report) return { passed: 0, failed: 1, note: `vitest exited ${r.status} without a report` };
  // A file that failed to load has no failed test in it but must still count.
  const broken = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  let failed = report.numFailedTests + broken;
  let note;
  if (failed === 0 && r.status !== 0) {
    failed = 1;
    note = `vitest exited ${r.status}`;
  }
  return {
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
    note,
  };
}

step('lint', () => {
  const r = sh('pnpm', ['exec', 'biome', 'check', '.', '--diagnostic-level=error']);
  return r.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
});

step('typecheck', () => {
  const runs = join(root, '.turbo', 'runs');
  rmSync(runs, { recursive: true, force: true });
  sh('pnpm', ['exec', 'turbo', 'run', 'typecheck', '--continue', '--summarize', '--output-logs=errors-only']);
  const file = existsSync(runs) ? readdirSync(runs).find((f) => f.endsWith('.json')) : undefined;
  const summary = file ? readJson(join(runs, file)) : null;
  if (!summary) return { passed: 0, failed: 1, note: 'turbo wrote no run summary' };
  const tasks = (summary.tasks ?? []).map((t) => ({ id: t.taskId, ok: t.execution?.exitCode === 0 }));
  // Folders outside the workspaces that hold TypeScript of their own.
  for (const dir of ['deploy']) {
    const r = sh('pnpm', ['exec', 'tsc', '-p', `${dir}/tsconfig.json`, '--noEmit']);
    tasks.push({ id: `${dir}#typecheck`, ok: r.status === 0 });
  }
  const failed = tasks.filter((t) => !t.ok);
  return {
    passed: tasks.length - failed.length,
    failed: failed.length,
    note: failed.map((t) => t.id).join(', ') || undefined,
  };
});

step('unit', () => vitest('unit', ['--project', 'unit', '--project', 'web', '--passWithNoTests']));

step('integration', () => {
  if (!isRoot) {
    process.stdout.write('integration tests need root (network namespaces, eBPF): not run as this user\n');
    return { passed: 0, failed: 0 };
  }
  return vitest('integration', ['--project', 'integration', '--no-file-parallelism', '--passWithNoTests']);
});

step('e2e', () => {
  const config = join(root, 'e2e', 'playwright.config.ts');
  if (!existsSync(config)) return { passed: 0, failed: 1, note: 'e2e/playwright.config.ts is missing' };
  const file = join(out, 'e2e.json');
  const r = sh('pnpm', ['--filter', '@weft/e2e', 'exec', 'playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: file,
  });
  const report = readJson(file);
  if (!report?.stats) return { passed: 0, failed: 1, note: `playwright exited ${r.status} without a report` };
  const s = report.stats;
  const failed = s.unexpected + (r.status !== 0 && s.unexpected === 0 ? 1 : 0);
  return { passed: s.expected + s.flaky, failed, skipped: s.skipped };
});

if (failures.length > 0) process.stdout.write(`\nFailed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
