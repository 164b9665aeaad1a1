import { readFileSync, realpathSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ConfigError, parseServerConfig, type ServerConfig, tlsProblems } from './config.js';
import { ingestExposureProblems } from './ingestExposure.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError([`${variable}=${path}: cannot read it (${(e as Error).message})`]);
  }
}

/** The certificate and key, read once at start: a file that is missing or not PEM fails here, not at the first handshake. */
export function readTlsFiles(config: Pick<ServerConfig, 'tlsCertFile' | 'tlsKeyFile'>): {
  cert: Buffer;
  key: Buffer;
} {
  const cert = readPem('WEFT_TLS_CERT_FILE', config.tlsCertFile);
  const key = readPem('WEFT_TLS_KEY_FILE', config.tlsKeyFile);
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw new ConfigError([
      `WEFT_TLS_CERT_FILE=${config.tlsCertFile} and WEFT_TLS_KEY_FILE=${config.tlsKeyFile} are not a PEM ` +
        `certificate and its key (${(e as Error).message})`,
    ]);
  }
  return { cert, key };
}

/**
 * Starts the server; `url` is where it listens (the real port when WEFT_PORT=0), https:// when it has
 * a certificate. A configuration built by hand gets the same exposure checks as one parsed from the
 * environment.
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const problems = [...ingestExposureProblems(config), ...tlsProblems(config)];
  if (problems.length > 0) throw new ConfigError(problems);
  const https = config.tlsCertFile ? readTlsFiles(config) : undefined;
  const app = await buildApp(config, https ? { https } : {});
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const scheme = https ? 'https' : 'http';
  const url = `${scheme}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  return { url, app, close: () => app.close() };
}

/** Runs until SIGINT/SIGTERM, then closes sockets (collectors reconnect and resend) and exits. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer(parseServerConfig(env));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`weft server: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
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
