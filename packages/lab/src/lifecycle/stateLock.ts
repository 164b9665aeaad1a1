import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Serializes changes to one file of the lab's state (two shells at once would race on it): a lock
 * directory beside it, waited for up to 10 s. `onBusy` makes the error the caller's own kind.
 */
export async function withStateLock<T>(
  dir: string,
  name: string,
  onBusy: (message: string) => Error,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = join(dir, `${name}.lock`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() > deadline)
        throw onBusy(`another change holds ${lock}; remove it if no weft command is running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}
