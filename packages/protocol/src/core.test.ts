import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A resolve hook that appends every module URL the child process resolves to the file in $WEFT_LOADED.
const hook = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.WEFT_LOADED, r.url + '\\n');
  return r;
}`;
const registerHook = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;

/** The module URLs a fresh Node process resolves when it imports `entry` (a file of this package). */
function modulesLoadedBy(entry: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'weft-protocol-core-'));
  const loaded = join(dir, 'loaded.txt');
  try {
    const url = new URL(entry, import.meta.url).href;
    execFileSync(
      process.execPath,
      [
        '--conditions=weft-source',
        '--import',
        'tsx',
        '--import',
        `data:text/javascript,${encodeURIComponent(registerHook)}`,
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(url)});`,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, WEFT_LOADED: loaded } },
    );
    return readFileSync(loaded, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const typebox = (urls: string[]) => urls.filter((u) => u.includes('/node_modules/typebox/'));

describe("'@weft/protocol/core'", () => {
  it('loads no typebox module, while the full entry does', () => {
    const core = modulesLoadedBy('./core.ts');
    expect(core.some((u) => u.endsWith('/src/core.ts'))).toBe(true);
    expect(typebox(core)).toEqual([]);
    // The same probe on the full entry sees typebox, so an empty list above means something.
    expect(typebox(modulesLoadedBy('./index.ts')).length).toBeGreaterThan(0);
  }, 60_000);

  it('exports the same values as the full entry under the same names', async () => {
    const core = await import('./core.js');
    const full: Record<string, unknown> = await import('./index.js');
    for (const [name, value] of Object.entries(core)) {
      expect(full[name], name).toBe(value);
    }
  });
});
