import type { Frame, IngestTarget } from './ingestTarget.js';

export interface Finding {
  problem: string;
  /** The one frame that shows it on a fresh server, or the frames it took when none does alone. */
  input: string;
  occurrences: number;
}

/**
 * A problem's kind, with numbers, quoted text and a URL's query left out, so one bug is reported (and
 * traced) once, not once per graph level or timeseries metric it shows in.
 */
export function signature(problem: string): string {
  return problem
    .replace(/\?\S*/g, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, '#')
    .slice(0, 100);
}

export interface RunOptions {
  start: () => Promise<IngestTarget>;
  /** Frames between two full sweeps (every read, the timers, the normal collector). */
  sweepEvery: number;
}

/**
 * Sends frames one at a time, checking the reply and health after each and sweeping every
 * `sweepEvery`. A problem found by a sweep is traced to a single frame by replaying the frames since
 * the last sweep, one per fresh server; the server is then replaced, so the next finding is independent.
 */
export async function runFrames(
  frames: Iterable<Frame>,
  o: RunOptions,
): Promise<{ findings: Finding[]; sent: number }> {
  const findings = new Map<string, Finding>();
  let target = await o.start();
  let window: Frame[] = [];
  let sent = 0;
  let round = 0;
  try {
    for (const f of frames) {
      window.push(f);
      sent++;
      const now = await target.send(f);
      const swept = now.length > 0 || window.length >= o.sweepEvery ? await target.sweep(round++) : [];
      if (now.length + swept.length > 0) {
        for (const p of now) note(findings, p, f.label);
        const fresh = swept.filter((p) => !findings.has(signature(p)));
        const culprits = fresh.length > 0 ? await isolate(window, fresh, o.start) : new Map<string, string>();
        const all = `the ${window.length} frames: ${window.map((w) => w.label).join(' | ')}`;
        for (const p of swept) note(findings, p, culprits.get(signature(p)) ?? all);
        await target.close();
        target = await o.start();
      }
      if (swept.length > 0 || window.length >= o.sweepEvery) window = [];
    }
    for (const p of await target.sweep(round++, true))
      note(findings, p, `the last frames: ${window.map((w) => w.label).join(' | ')}`);
  } finally {
    await target.close();
  }
  return { findings: [...findings.values()], sent };
}

function note(findings: Map<string, Finding>, problem: string, input: string): void {
  const key = signature(problem);
  const f = findings.get(key);
  if (f) f.occurrences++;
  else findings.set(key, { problem, input, occurrences: 1 });
}

/** For each of `problems`, the first frame of `window` that alone, on a fresh server, brings it back. */
async function isolate(
  window: Frame[],
  problems: string[],
  start: () => Promise<IngestTarget>,
): Promise<Map<string, string>> {
  const wanted = new Set(problems.map(signature));
  const found = new Map<string, string>();
  for (const f of window) {
    if (found.size === wanted.size) break;
    const t = await start();
    try {
      for (const p of [...(await t.send(f)), ...(await t.sweep(0, true))]) {
        const key = signature(p);
        if (wanted.has(key) && !found.has(key)) found.set(key, f.label);
      }
    } finally {
      await t.close();
    }
  }
  return found;
}

/** A failure message that says how to replay the run. */
export function findingsReport(name: string, seed: number, findings: Finding[]): string {
  return [
    `${name}: ${findings.length} finding(s) with WEFT_FUZZ_SEED=${seed}`,
    ...findings.map(
      (f) => `- ${f.problem}\n    input: ${f.input.slice(0, 400)}\n    seen ${f.occurrences} time(s)`,
    ),
  ].join('\n');
}
