import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { limitYoungGeneration } from './limitYoungGeneration.js';

const MB = 1048576;
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const self = fileURLToPath(new URL('./limitYoungGeneration.ts', import.meta.url));

/** The new space's size before and after a burst of short-lived objects with some survivors, in a fresh process. */
function newSpaceAroundChurn(limit: boolean): { before: number; after: number } {
  const script = `
    import v8 from 'node:v8';
    import { limitYoungGeneration } from ${JSON.stringify(self)};
    const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    if (${limit}) limitYoungGeneration([], '');
    const before = size();
    const keep = [];
    for (let i = 0; i < 3e6; i++) {
      const o = { a: i, b: 'x' + i };
      if (i % 3 === 0) { keep.push(o); if (keep.length > 50000) keep.length = 0; }
    }
    process.stdout.write(JSON.stringify({ before, after: size() }));
  `;
  return JSON.parse(
    execFileSync(process.execPath, [tsx, '--eval', script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    }),
  );
}

describe('limitYoungGeneration', () => {
  it('keeps the new space at the size it has when called, where V8 would grow it', () => {
    const free = newSpaceAroundChurn(false);
    expect(free.after).toBeGreaterThan(Math.max(free.before, 8 * MB));
    const limited = newSpaceAroundChurn(true);
    expect(limited.after).toBeLessThanOrEqual(limited.before);
  });

  it('leaves a semi-space size chosen on the command line or in NODE_OPTIONS alone', () => {
    expect(limitYoungGeneration(['--max-semi-space-size=4'], '')).toBe(false);
    expect(limitYoungGeneration([], '--max-old-space-size=128 --max_semi_space_size=8')).toBe(false);
  });
});
