import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './labResources.js';
import { DEFAULT_STATE_ROOT } from './labState.js';

/**
 * One lab builds at a time on a host, whatever its prefix: choosing free address ranges and creating
 * the routes that claim them must not interleave with another build. A lock dir holding the builder's
 * pid; a dead builder's lock is taken over.
 */
export async function acquireBuildLock(
  signal?: AbortSignal,
  timeoutMs = 120_000,
): Promise<() => Promise<void>> {
  const dir = join(DEFAULT_STATE_ROOT, '.build.lock');
  const owner = join(dir, 'pid');
  await mkdir(DEFAULT_STATE_ROOT, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(owner, `${process.pid}\n`);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        // Only our own lock: after a takeover the dir may be another builder's.
        const holder = Number((await readFile(owner, 'utf8').catch(() => '')).trim());
        if (holder === process.pid) await rm(dir, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(owner, 'utf8').catch(() => '')).trim());
    // No pid yet: the owner is between mkdir and writeFile, or died there; give it a moment first.
    if (pid > 0 ? !isAlive(pid) : Date.now() > deadline - timeoutMs + 5000)
      await rm(dir, { recursive: true, force: true });
    if (signal?.aborted) throw new Error('lab up was interrupted');
    if (Date.now() > deadline)
      throw new Error(`another lab is being built on this host (pid ${pid || 'unknown'}); try again`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
