import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PromtoolResult {
  code: number | null;
  output: string;
}

/** `WEFT_PROMTOOL` when set, else promtool from PATH (Debian's prometheus package). */
export function promtoolBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.WEFT_PROMTOOL || 'promtool';
}

/**
 * Runs promtool in a fresh directory holding `files` (name -> content), so rule and test files can
 * name each other relatively; the directory is removed afterwards, also when promtool fails.
 */
export function promtool(args: readonly string[], files: Record<string, string>): PromtoolResult {
  const dir = mkdtempSync(join(tmpdir(), 'weft-deploy-promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync(promtoolBinary(), args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw new Error(`promtool could not run: ${r.error.message}`);
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
