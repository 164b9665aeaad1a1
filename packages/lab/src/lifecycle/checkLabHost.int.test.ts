import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLabHost, type LabHostCheck } from './checkLabHost.js';

/**
 * checkLabHost run as nobody. The checkout may sit in a mode-700 home that nobody cannot enter, so the
 * module is bundled (with the esbuild tsx brings) into a folder of its own that nobody can read.
 */
async function checkAsNobody(): Promise<LabHostCheck> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve('tsx')).resolve('esbuild');
  // Not a dependency of this package (tsx's own), so typed here by what is used.
  const { buildSync } = (await import(esbuild)) as {
    buildSync(o: Record<string, unknown>): unknown;
  };
  const dir = mkdtempSync(join(tmpdir(), 'wlab-nobody-'));
  chmodSync(dir, 0o755);
  const out = join(dir, 'checkLabHost.mjs');
  buildSync({
    entryPoints: [fileURLToPath(new URL('./checkLabHost.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'silent',
  });
  chmodSync(out, 0o644);
  const code = `import(${JSON.stringify(out)}).then((m) => m.checkLabHost()).then((r) => console.log(JSON.stringify(r)))`;
  try {
    return await new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', code],
        {
          uid: 65534,
          gid: 65534,
          cwd: dir,
          env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
        },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as LabHostCheck),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('checkLabHost', () => {
  it('finds this (root, Linux, iproute2 + nftables) host able to run the lab', async () => {
    const r = await checkLabHost();
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('says why not, for a user without root', async () => {
    const r = await checkAsNobody();
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'not running as root (the lab creates network namespaces, links and nft rules)',
    ]);
  });
});
