import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProbeRecord } from '@weft/protocol';
import { BoundedLineQueue } from './BoundedLineQueue.js';
import { probeBinaryPath } from './probeBinaryPath.js';
import { decodeRecords } from './records.js';

export interface ProbeOptions {
  /** Path of weft-probe; default probeBinaryPath(). */
  binary?: string;
  /** Links to attach to by exact name (--iface). */
  ifaces?: string[];
  /** Attach to every current and future link whose name starts with one of these (--iface-prefix). */
  ifacePrefixes?: string[];
  /** Drain interval (--interval), default 1000. */
  intervalMs?: number;
  /** Extra loader flags, e.g. ['--flow-map-size', '131072']. */
  args?: string[];
}

export interface ProbeExit {
  code: number | null;
  signal: string | null;
}

export interface ProbeProcess {
  pid: number;
  /**
   * Decoded records; iterate once. Not reading applies backpressure to the loader; leaving the loop
   * (or a corrupt stream) stops the loader.
   */
  records: AsyncIterable<ProbeRecord>;
  /** The loader's stderr, line by line (the newest 1000 kept if nobody reads), and a line per skipped record. */
  stderr: AsyncIterable<string>;
  /** Records skipped because their content was invalid (each also said on stderr). */
  readonly badRecords: number;
  /** SIGTERM, then wait for exit: the loader removes every hook it attached before it exits. */
  stop(): Promise<void>;
  exited: Promise<ProbeExit>;
}

/** How long stop() waits after SIGTERM before SIGKILL (tcx hooks still go with the process). */
const STOP_GRACE_MS = 10_000;

export function probeArgs(opts: ProbeOptions): string[] {
  const args = ['--format=binary'];
  for (const i of opts.ifaces ?? []) args.push('--iface', i);
  for (const p of opts.ifacePrefixes ?? []) args.push('--iface-prefix', p);
  if (opts.intervalMs !== undefined) {
    if (!Number.isInteger(opts.intervalMs) || opts.intervalMs < 10) {
      throw new Error(`intervalMs must be an integer >= 10, got ${opts.intervalMs}`);
    }
    args.push('--interval', String(opts.intervalMs));
  }
  args.push(...(opts.args ?? []));
  return args;
}

export function spawnProbe(opts: ProbeOptions = {}): ProbeProcess {
  const binary = opts.binary ?? probeBinaryPath();
  // Its own process group: a Ctrl-C in the terminal reaches the collector, which stops the probe in
  // order (and says so), instead of the probe dying first and looking like a crash to restart. The
  // probe still exits with its parent (PR_SET_PDEATHSIG).
  const child = spawn(binary, probeArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  const stderr = new BoundedLineQueue(1000);
  const lines = createInterface({ input: child.stderr });
  lines.on('line', (l) => stderr.push(l));
  lines.on('close', () => stderr.close());

  const exited = new Promise<ProbeExit>((resolve) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'ENOENT' ? ` (not built? run: pnpm --filter @weft/bpf build)` : '';
      stderr.push(`weft-probe: cannot start ${binary}: ${err.message}${hint}`);
      stderr.close();
      resolve({ code: null, signal: null });
    });
    // on 'exit': the exit status must not depend on how far a reader got through stdout
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        await exited;
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  let badRecords = 0;
  const onSkip = (err: Error) => {
    badRecords++;
    stderr.push(`weft-probe stream: skipped a bad record: ${err.message}`);
  };

  // when the reader is done with the records (end, break or a corrupt stream), the probe is too
  async function* records(): AsyncGenerator<ProbeRecord> {
    try {
      yield* decodeRecords(child.stdout as AsyncIterable<Uint8Array>, { onSkip });
    } finally {
      await stop();
    }
  }

  return {
    pid: child.pid ?? -1,
    records: records(),
    stderr,
    stop,
    exited,
    get badRecords() {
      return badRecords;
    },
  };
}
