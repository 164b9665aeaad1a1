import type { AlertEngine } from './alerts/alertEngine.js';
import type { ServerConfig } from './config.js';
import type { BatchJournal } from './history/batchJournal.js';
import type { ReplayResult } from './history/journalReplay.js';
import type { SnapshotLoad, StoreSnapshots } from './history/storeSnapshots.js';
import type { CollectorRegistry } from './ingest/collectorRegistry.js';
import type { LiveHub } from './live/liveHub.js';
import type { PolicyContexts } from './policy/policyContexts.js';
import type { PromHistory } from './prometheus/promHistory.js';
import type { ServerMetrics } from './serverMetrics.js';
import type { Store } from './store/store.js';

/** Everything the routes share, decorated on the Fastify instance as `weft`. */
export interface WeftContext {
  config: ServerConfig;
  store: Store;
  collectors: CollectorRegistry;
  alerts: AlertEngine;
  live: LiveHub;
  metrics: ServerMetrics;
  /** The NetworkPolicies, namespaces and pod labels the collectors sent, for explaining drops. */
  policyContexts: PolicyContexts;
  startedAt: number;
  now: () => number;
  /**
   * Where the live rate window ends now: the newest whole second every connected collector has
   * delivered, bounded by now (live/liveEnd.ts). Routes pass it to filterFromQuery.
   */
  liveEnd: () => number;
  /** History from WEFT_PROMETHEUS_URL for ranges older than the store; null when not configured. */
  prometheus?: PromHistory | null;
  /** The durable history (WEFT_DATA_DIR): its journal and what was read back at start; null: memory only. */
  history?: {
    journal: BatchJournal;
    replay: ReplayResult;
    snapshots: StoreSnapshots;
    loaded: SnapshotLoad;
  } | null;
  /** False while starting and once shutdown began (/readyz answers 503). */
  ready: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    weft: WeftContext;
  }
}
