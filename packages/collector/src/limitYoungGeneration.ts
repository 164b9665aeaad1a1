import { setFlagsFromString } from 'node:v8';

/**
 * For a process that runs only a collector (`weft collector`, the DaemonSet): keeps V8's young
 * generation at its starting size instead of letting it grow to 2 x 16 MB. The collector allocates a
 * steady stream of short-lived objects (one interval's records, its JSON batch), so V8 grows the new
 * space to its maximum, and that space is most of the collector's resident memory
 * (bench/collector/RESULTS.md). `--max-semi-space-size` only works on the command line or in
 * NODE_OPTIONS (V8 sizes the heap once, at start), but the growth factor is read each time the new
 * space would grow, so it can be set from inside the running process. Not for processes that also run
 * the server (`weft start`): the server wants the larger young generation.
 * Returns false and changes nothing when the command line already chose a semi-space size.
 */
export function limitYoungGeneration(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  const chosen = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) =>
    /^--(max|min)[-_]semi[-_]space[-_]size(=|$)/.test(a),
  );
  if (chosen) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
