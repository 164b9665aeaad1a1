export interface WarnLog {
  warn(obj: object, msg: string): void;
}

export interface RateLimitedLogOptions {
  /** Lines logged per key in one interval; the rest are counted. */
  burst: number;
  intervalMs: number;
  now: () => number;
  /** Called for each line not logged (a metric: the lines are gone, their count is not). */
  onSuppressed?: () => void;
}

interface KeyState {
  since: number;
  lines: number;
  suppressed: number;
  msg: string;
}

/** Keys kept at once; past this the oldest is summed up and forgotten. */
const MAX_KEYS = 64;

/**
 * Warn lines that a sender can cause (every rejected message) must not flood the log: per key, the
 * first `burst` lines of an interval are logged, the rest counted, and one line says how many were
 * left out once the interval is over (at the next warn for that key, or at `flush`). No timers: a
 * key nobody warns about again is summed up when its owner flushes.
 */
export class RateLimitedLog {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly log: WarnLog,
    private readonly o: RateLimitedLogOptions,
  ) {}

  /** Logs `msg` unless `key` already had its share this interval. True when it was logged. */
  warn(key: string, obj: object, msg: string): boolean {
    const now = this.o.now();
    let k = this.keys.get(key);
    if (k && !(now - k.since < this.o.intervalMs)) {
      this.summarize(key, k, now);
      this.keys.delete(key);
      k = undefined;
    }
    if (!k) {
      if (this.keys.size >= MAX_KEYS) {
        const [oldest, state] = this.keys.entries().next().value as [string, KeyState];
        this.summarize(oldest, state, now);
        this.keys.delete(oldest);
      }
      k = { since: now, lines: 0, suppressed: 0, msg };
      this.keys.set(key, k);
    }
    if (k.lines < this.o.burst) {
      k.lines++;
      this.log.warn(obj, msg);
      return true;
    }
    k.suppressed++;
    this.o.onSuppressed?.();
    return false;
  }

  /** Sums up every key with lines left out (the connection closes, the server stops). */
  flush(): void {
    const now = this.o.now();
    for (const [key, k] of this.keys) this.summarize(key, k, now);
    this.keys.clear();
  }

  private summarize(key: string, k: KeyState, now: number): void {
    if (k.suppressed === 0) return;
    this.log.warn(
      { key, suppressed: k.suppressed, overMs: now - k.since },
      `${k.suppressed} more lines like "${k.msg}" were not logged`,
    );
  }
}
