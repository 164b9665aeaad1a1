import type { BatchContent } from './batchParts.js';
import {
  cutInterval,
  IngestClient,
  type IngestClientOptions,
  type IngestClientStats,
} from './ingestClient.js';
import type { ServerTarget } from './serverTargets.js';

export interface IngestFanoutOptions extends Omit<IngestClientOptions, 'url'> {
  servers: readonly ServerTarget[];
}

export interface ServerStats extends IngestClientStats {
  server: string;
}

/**
 * One IngestClient per server replica, each with its own connection, backoff, boot, sequence and
 * spool: a replica that is away holds back nothing of the others', and gets, when it comes back,
 * whatever its own spool still holds. An interval is cut once and the parts shared (the spools keep
 * references, so a second replica costs its bookkeeping, not a second copy of every batch).
 */
export class IngestFanout {
  readonly clients: readonly { server: string; client: IngestClient }[];

  constructor(opts: IngestFanoutOptions) {
    const { servers, log, ...rest } = opts;
    if (servers.length === 0) throw new Error('IngestFanout: no server to stream to');
    const several = servers.length > 1;
    this.clients = servers.map((t) => ({
      server: t.label,
      client: new IngestClient({
        ...rest,
        url: t.url,
        // Two entries that reach one replica (a Service beside the replicas' own names) are two
        // streams of one node into it: the server refuses the second, whose spool then gives up.
        ...(several
          ? {
              conflictHint:
                'several servers are listed: do two entries of WEFT_SERVER_URL reach the same replica, e.g. through a Service?',
            }
          : {}),
        // With several servers a log line says which one it is about.
        ...(log
          ? { log: several ? (m: string) => log(m.replace(/^ingest: /, `ingest ${t.label}: `)) : log }
          : {}),
      }),
    }));
  }

  /** Boot ids, one per server (each is its own stream to the server it goes to). */
  get boots(): string[] {
    return this.clients.map((c) => c.client.boot);
  }

  get stats(): ServerStats[] {
    return this.clients.map((c) => ({ server: c.server, ...c.client.stats }));
  }

  start(): void {
    for (const c of this.clients) c.client.start();
  }

  hooksKnown(): void {
    for (const c of this.clients) c.client.hooksKnown();
  }

  enqueue(content: BatchContent, now = Date.now()): void {
    const parts = cutInterval(content);
    for (const c of this.clients) c.client.enqueueParts(parts, now);
  }

  /** Resolves true once every server acknowledged everything, false if one had not by `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const done = await Promise.all(this.clients.map((c) => c.client.drain(timeoutMs)));
    return done.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.client.stop()));
  }
}
