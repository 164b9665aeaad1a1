import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from './rateLimitedLog.js';

function logged() {
  const lines: { obj: object; msg: string }[] = [];
  const clock = { now: 0 };
  let suppressed = 0;
  const log = new RateLimitedLog(
    { warn: (obj, msg) => lines.push({ obj, msg }) },
    { burst: 3, intervalMs: 60_000, now: () => clock.now, onSuppressed: () => suppressed++ },
  );
  return { log, lines, clock, suppressed: () => suppressed };
}

describe('RateLimitedLog', () => {
  it('logs the first lines of a key per interval, counts the rest, and sums them up in one line after', () => {
    const { log, lines, clock, suppressed } = logged();
    for (let i = 0; i < 1000; i++) log.warn('rejected', { i }, 'ingest message rejected');
    expect(lines.map((l) => l.obj)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(suppressed()).toBe(997);
    // Another key has its own share.
    expect(log.warn('resync', {}, 'needs a new table')).toBe(true);
    clock.now = 60_000;
    expect(log.warn('rejected', { i: 1000 }, 'ingest message rejected')).toBe(true);
    expect(lines.at(-2)).toEqual({
      obj: { key: 'rejected', suppressed: 997, overMs: 60_000 },
      msg: '997 more lines like "ingest message rejected" were not logged',
    });
    expect(lines.at(-1)?.obj).toEqual({ i: 1000 });
  });

  it('sums up what is left out when flushed, and holds a bounded number of keys', () => {
    const { log, lines } = logged();
    for (let i = 0; i < 5; i++) log.warn('a', {}, 'a line');
    log.flush();
    expect(lines.at(-1)?.msg).toBe('2 more lines like "a line" were not logged');
    log.flush();
    expect(lines).toHaveLength(4);
    for (let k = 0; k < 10_000; k++) log.warn(`k${k}`, {}, 'many keys');
    expect(lines).toHaveLength(4 + 10_000);
  });
});
