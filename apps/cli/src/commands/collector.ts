import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { missingV8Flags, parseCollectorConfig } from '@weft/collector/launch';
import { CliError } from '../cliError.js';
import { onShutdown } from '../onShutdown.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs this same command again in a Node started with `flags`, and resolves to its exit status.
 * The child gets a process group of its own, so that a terminal's Ctrl-C reaches it once, through
 * here, rather than twice (which its shutdown handler would take as "exit without teardown").
 */
function rerunWithNodeFlags(flags: string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of FORWARDED) process.on(s, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of FORWARDED) process.off(s, forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

export async function runCollector(args: string[]): Promise<number> {
  const parsed = parseCollectorConfig(args, process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') throw new CliError(`collector: ${parsed.message}`, 2);
  // The collector's heap settings (@weft/collector v8Flags.ts) only take effect when Node starts
  // with them: the DaemonSet sets NODE_OPTIONS; a bare `weft collector` starts again with them here,
  // before the collector's modules are loaded, so this process stays a small supervisor.
  const missing = missingV8Flags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length > 0) return rerunWithNodeFlags(missing);
  const { startCollector } = await import('@weft/collector');
  const collector = await startCollector(parsed.config);
  // Before saying it runs: whoever waits for that line may stop it right away.
  onShutdown(() => collector.stop());
  process.stderr.write(
    `weft collector running on node ${parsed.config.node}; metrics at ${collector.metricsUrl}\n`,
  );
  return 0;
}
