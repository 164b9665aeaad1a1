import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Builds the SPA when its sources are newer than the build, then starts e2e/support/stack.ts (the
 * real server + lab feeders) and hands its URLs to the specs through the environment.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const webDir = join(root, 'apps/web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureWebBuilt(): void {
  const index = join(webDir, 'dist/index.html');
  const sources = Math.max(
    newestMtime(join(webDir, 'src')),
    newestMtime(join(root, 'packages/protocol/src')),
    statSync(join(webDir, 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync('pnpm', ['--filter', '@weft/web', 'build'], { cwd: root, stdio: 'inherit' });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureWebBuilt();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=weft-source', '--import', 'tsx', join(root, 'e2e/support/stack.ts')],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const urls = await new Promise<{ url: string; control: string }>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the e2e stack did not start within 60 s')), 60_000);
    rl.on('line', (line) => {
      if (!line.startsWith('{"url"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`the e2e stack exited with ${code} before it was ready`)));
  });
  process.env.WEFT_E2E_URL = urls.url;
  process.env.WEFT_E2E_CONTROL = urls.control;
  return async () => {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
  };
}
