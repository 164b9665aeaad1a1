import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ConfigError, parseServerConfig, type ServerConfig } from './config.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the server; `url` is where it listens (the real port when WEFT_PORT=0). */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const app = await buildApp(config);
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  return { url, app, close: () => app.close() };
}

/** Runs until SIGINT/SIGTERM, then closes sockets (collectors reconnect and resend) and exits. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: ServerConfig;
  try {
    config = parseServerConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`weft server: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(config);
  server.app.log.info({ url: server.url }, 'weft server listening');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      server.app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      server.app.log.error('shutdown took over 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((err) => {
    process.stderr.write(`weft server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
