import { parseCollectorConfig, startCollector } from '@weft/collector';
import { CliError } from '../cliError.js';
import { onShutdown } from '../onShutdown.js';

export async function runCollector(args: string[]): Promise<number> {
  const parsed = parseCollectorConfig(args, process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') throw new CliError(`collector: ${parsed.message}`, 2);
  const collector = await startCollector(parsed.config);
  process.stderr.write(
    `weft collector running on node ${parsed.config.node}; metrics at ${collector.metricsUrl}\n`,
  );
  onShutdown(() => collector.stop());
  return 0;
}
