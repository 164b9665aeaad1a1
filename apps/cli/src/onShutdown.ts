/**
 * Runs `stop` once on the first SIGINT/SIGTERM, and exits at once on a second one, so that Ctrl-C
 * always tears down what was built and a stuck teardown can still be interrupted.
 */
export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`weft: ${signal} again, exiting without finishing the teardown\n`);
      process.exit(130);
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`weft: teardown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
