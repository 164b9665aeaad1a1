import { ConfigError, ENV_VARS, parseServerConfig, startServer } from '@weft/server';
import { CliError } from '../cliError.js';
import { onShutdown } from '../onShutdown.js';

export async function runServer(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    const lines = Object.entries(ENV_VARS).map(([name, v]) => `  ${name.padEnd(34)} ${v.hint}`);
    process.stdout.write(
      `weft server: the cluster-wide server (ingest, API, live updates, dashboard)\n\nEnvironment:\n${lines.join('\n')}\n`,
    );
    return 0;
  }
  if (args.length > 0)
    throw new CliError(`server takes no arguments (got "${args.join(' ')}"); set WEFT_* variables`, 2);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(parseServerConfig(process.env));
  } catch (e) {
    // Unreadable certificate files are found at start, after the variables parse.
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  process.stderr.write(`weft server listening on ${server.url}\n`);
  onShutdown(() => server.close());
  return 0;
}
