import type { ProbeRecord } from '@weft/protocol/core';
import { type BackoffOptions, backoffDelay } from '../stream/backoff.js';

/** What @weft/bpf's spawnProbe returns (structurally), so tests can run any process behind it. */
export interface ProbeProcessLike {
  pid: number;
  records: AsyncIterable<ProbeRecord>;
  stderr: AsyncIterable<string>;
  stop(): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Records of its stream skipped because their content was invalid. */
  readonly badRecords?: number;
}

export interface RecordSource {
  records: AsyncIterable<ProbeRecord>;
  stop(): Promise<void>;
  /** Records skipped so far because their content was invalid (a probe stream's). */
  readonly badRecords?: number;
}

export interface SuperviseProbeOptions {
  spawn: () => ProbeProcessLike;
  backoff?: BackoffOptions;
  /** A run this long counts as healthy: the next failure starts the backoff from the beginning. */
  stableMs?: number;
  onRestart?: (restarts: number, why: string) => void;
  /** The probe's stderr lines and the supervisor's own notes. */
  log?: (line: string) => void;
}

/**
 * Keeps one probe process running: its records come out of one endless iterable across restarts;
 * when it exits or cannot start, it is started again after an exponential backoff.
 */
export function superviseProbe(
  opts: SuperviseProbeOptions,
): RecordSource & { readonly restarts: number; readonly badRecords: number } {
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const stableMs = opts.stableMs ?? 60_000;
  let stopped = false;
  let current: ProbeProcessLike | null = null;
  let restarts = 0;
  /** Bad records of the processes that ended. */
  let badEarlier = 0;
  const wake = new AbortController();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wake.signal.aborted) return resolve();
      const t = setTimeout(resolve, ms);
      wake.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });

  async function* run(): AsyncGenerator<ProbeRecord> {
    let attempt = 0;
    while (!stopped) {
      const began = Date.now();
      let why: string;
      let proc: ProbeProcessLike | null = null;
      try {
        proc = opts.spawn();
        current = proc;
        const errs = (async () => {
          for await (const line of proc.stderr) opts.log?.(`probe[${proc.pid}]: ${line}`);
        })().catch(() => {});
        for await (const r of proc.records) yield r;
        const exit = await proc.exited;
        await errs;
        why = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
      } catch (err) {
        why = `failed: ${(err as Error).message}`;
      } finally {
        badEarlier += proc?.badRecords ?? 0;
        current = null;
      }
      if (stopped) return;
      if (Date.now() - began >= stableMs) attempt = 0;
      const delay = backoffDelay(attempt++, backoff);
      restarts++;
      opts.log?.(`probe ${why}; restarting in ${delay} ms`);
      opts.onRestart?.(restarts, why);
      await sleep(delay);
    }
  }

  return {
    records: run(),
    get restarts() {
      return restarts;
    },
    get badRecords() {
      return badEarlier + (current?.badRecords ?? 0);
    },
    async stop() {
      stopped = true;
      wake.abort();
      await current?.stop();
    },
  };
}
