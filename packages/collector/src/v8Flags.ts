/**
 * V8 heap settings the collector runs with. Its live data is small (~8 MB at 1,000 flows), but every
 * interval it allocates a few MB of short-lived records, so with Node's defaults V8 grows the young
 * generation to 2 x 16 MB and lets the old generation fill with promoted garbage before collecting it:
 * ~25-30 MB of resident memory holding nothing (bench/collector/RESULTS.md). A 4 MB semi-space costs no
 * measurable CPU at that load; a 128 MB old-space limit makes V8 grow the old generation in small steps
 * (it scales its growing factor with the limit) while leaving room for a full spool (64 MB) at 20,000
 * flows. One V8 worker thread instead of one per core (GC and compiler helpers) saves its stack and
 * malloc arena: 69-75 MB instead of 76-81 MB at 1,000 flows, and 77 instead of 84-92 MB at 20,000, at
 * the same CPU (bench/collector/RESULTS.md, 14:10-14:21). V8 sizes its heap and its thread pool once,
 * at start, so these must be on the command line or in NODE_OPTIONS (Node accepts all three there).
 */
export const COLLECTOR_V8_FLAGS: readonly string[] = [
  '--max-old-space-size=128',
  '--max-semi-space-size=4',
  '--v8-pool-size=1',
];

/** `--max_semi_space_size=4` and `--max-semi-space-size=4` are the same flag to V8. */
const flagName = (arg: string) => arg.split('=')[0]!.replaceAll('_', '-');

/**
 * The flags of COLLECTOR_V8_FLAGS whose setting neither the command line (`execArgv`) nor
 * NODE_OPTIONS gives; a setting already there, whatever its value, is the operator's and is kept.
 */
export function missingV8Flags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set(
    [...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName),
  );
  return COLLECTOR_V8_FLAGS.filter((f) => !given.has(flagName(f)));
}
