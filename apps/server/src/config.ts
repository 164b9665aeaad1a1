import { fileURLToPath } from 'node:url';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { ingestExposureProblems } from './ingestExposure.js';
import { parseAllowedHosts } from './plugins/allowedHost.js';
import { parseAllowedOrigins } from './plugins/allowedOrigin.js';
import { prometheusSettingsProblems } from './prometheus/prometheusSettings.js';

/**
 * Server configuration, read from the environment. Every variable is checked against one schema so a
 * typo fails at start with a message naming the variable, instead of a surprise at 3 a.m.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ServerConfig = Type.Object({
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /**
   * Empty: ingest accepts any collector, allowed only on a loopback address (ingestExposure.ts also
   * refuses the committed placeholder and short tokens).
   */
  ingestToken: Type.String(),
  /** PEM certificate chain and key: both set, the server listens with HTTPS (collectors use wss://). */
  tlsCertFile: Type.String(),
  tlsKeyFile: Type.String(),
  webRoot: Type.String({ minLength: 1 }),
  logLevel: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))),
  /** How long 1-second buckets are kept (seconds). */
  fineRetentionS: Type.Integer({ minimum: 60, maximum: 86_400 }),
  /** How long 1-minute buckets are kept (seconds). */
  coarseRetentionS: Type.Integer({ minimum: 600, maximum: 30 * 86_400 }),
  /**
   * Where the history is kept on disk so it outlives the process (history/batchJournal.ts): written within
   * a second, read back at start, deleted past the coarse retention. Empty: memory only.
   */
  dataDir: Type.String(),
  /**
   * The faults file of a lab on this machine (`weft start` sets it): its faults, built-in and added,
   * are listed in /api/v1/status and the Status view. Empty: no lab.
   */
  labFaultsFile: Type.String(),
  /** Upper bound on stored series (edge, DNS client); idle ones are evicted first. */
  maxSeries: Type.Integer({ minimum: 100, maximum: 10_000_000 }),
  /** Upper bound on 1-second buckets across all series. */
  maxFineBuckets: Type.Integer({ minimum: 1_000, maximum: 200_000_000 }),
  /** Recent flow rows kept for /api/v1/flows. */
  maxFlowRows: Type.Integer({ minimum: 100, maximum: 5_000_000 }),
  /**
   * Memory the store may hold, in MiB (flow ring, endpoints, series and buckets, per-bucket maps: see
   * MemoryBudget), whatever the count bounds above allow. Set it well under the process's heap limit;
   * the Deployment sets it from its memory limit.
   */
  memoryBudgetMiB: Type.Integer({ minimum: 16, maximum: 65_536 }),
  /** Graph nodes shown per level before the smallest are folded into `others`. */
  graphMaxNodes: Type.Integer({ minimum: 10, maximum: 100_000 }),
  /** Malformed messages one collector may send before it is disconnected. */
  maxBadMessages: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  liveIntervalMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
  /** The live rate window (timeSelection.ts): the map, the Now panel and Diagnose are rates over it. */
  rateWindowS: Type.Integer({ minimum: 2, maximum: 300 }),
  /** Diagnose calls the source's DNS slow when its p95 lookup time is over this. */
  diagnoseDnsSlowMs: Type.Integer({ minimum: 1, maximum: 60_000 }),
  alertIntervalS: Type.Integer({ minimum: 1, maximum: 3_600 }),
  /** The seed's rules: rate windows and `for` durations are 5m there. */
  alertWindowS: Type.Integer({ minimum: 10, maximum: 86_400 }),
  alertForS: Type.Integer({ minimum: 0, maximum: 86_400 }),
  alertDropRate: Type.Number({ minimum: 0 }),
  alertDnsFailureRatio: Type.Number({ minimum: 0, maximum: 1 }),
  alertTcpFailureRate: Type.Number({ minimum: 0 }),
  /** Origins besides the server's own whose pages may open its WebSockets (comma list; empty: none). */
  allowedOrigins: Type.String(),
  /** Host names besides IP literals, localhost and cluster names the API answers to (comma list). */
  allowedHosts: Type.String(),
  /** Live WebSocket clients at once, in total and from one remote address. */
  liveMaxClients: Type.Integer({ minimum: 1, maximum: 100_000 }),
  liveMaxClientsPerAddress: Type.Integer({ minimum: 1, maximum: 100_000 }),
  /** Messages a live client may send at once; beyond it only its newest is kept, for the next round. */
  liveMessageBurst: Type.Integer({ minimum: 1, maximum: 100_000 }),
  liveMessagesPerSecond: Type.Number({ minimum: 0.001, maximum: 10_000 }),
  /** A live client that has not subscribed this long after connecting is closed. */
  liveSubscribeTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  /**
   * A live client that has not answered the ping after its last update this long (it reads nothing) is
   * closed; until it answers, no update is computed for it.
   */
  liveUnreadTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  /** A WebSocket from which nothing (message, ping, pong) arrives this long is closed; pings go at half. */
  wsIdleTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  /**
   * A Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics, Azure Monitor managed
   * Prometheus) that scrapes the collectors: ranges older than the store are answered from it. Empty: none.
   */
  prometheusUrl: Type.String(),
  /** A file holding the bearer token sent to it (read on every query, so a rotated token is picked up). */
  prometheusBearerTokenFile: Type.String(),
  /** Extra headers sent to it, `Name: value` pairs separated by newlines or `;` (X-Scope-OrgID for Mimir). */
  prometheusHeaders: Type.String(),
  /** A PEM file of the CA that signed its certificate (added to the system ones). */
  prometheusCaFile: Type.String(),
  prometheusTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
  /** The collectors' WEFT_METRICS_LEVEL: which graph levels the metrics can answer. */
  prometheusMetricsLevel: Type.Union([
    Type.Literal('pod'),
    Type.Literal('workload'),
    Type.Literal('namespace'),
  ]),
});
export type ServerConfig = Static<typeof ServerConfig>;

type Key = keyof ServerConfig;

interface EnvVar {
  key: Key;
  kind: 'string' | 'int' | 'number';
  hint: string;
}

/** Environment variable -> field, with what the variable must hold (used in error messages). */
export const ENV_VARS: Record<string, EnvVar> = {
  WEFT_HOST: { key: 'host', kind: 'string', hint: 'an address to listen on' },
  WEFT_PORT: { key: 'port', kind: 'int', hint: 'a port from 0 to 65535' },
  WEFT_INGEST_TOKEN: { key: 'ingestToken', kind: 'string', hint: 'the collectors’ bearer token' },
  WEFT_TLS_CERT_FILE: { key: 'tlsCertFile', kind: 'string', hint: 'a PEM certificate (chain) file' },
  WEFT_TLS_KEY_FILE: {
    key: 'tlsKeyFile',
    kind: 'string',
    hint: 'the PEM private key file of that certificate',
  },
  WEFT_WEB_ROOT: { key: 'webRoot', kind: 'string', hint: 'the built web app directory' },
  WEFT_LOG_LEVEL: { key: 'logLevel', kind: 'string', hint: `one of ${LOG_LEVELS.join(', ')}` },
  WEFT_FINE_RETENTION_S: { key: 'fineRetentionS', kind: 'int', hint: 'seconds from 60 to 86400' },
  WEFT_COARSE_RETENTION_S: { key: 'coarseRetentionS', kind: 'int', hint: 'seconds from 600 to 2592000' },
  WEFT_DATA_DIR: {
    key: 'dataDir',
    kind: 'string',
    hint: 'a directory for the history (made if missing), or empty for memory only',
  },
  WEFT_LAB_FAULTS_FILE: {
    key: 'labFaultsFile',
    kind: 'string',
    hint: "a lab's faults.json (weft start sets it), or empty",
  },
  WEFT_MAX_SERIES: { key: 'maxSeries', kind: 'int', hint: 'an integer from 100 to 10000000' },
  WEFT_MAX_FINE_BUCKETS: { key: 'maxFineBuckets', kind: 'int', hint: 'an integer from 1000 to 200000000' },
  WEFT_MAX_FLOW_ROWS: { key: 'maxFlowRows', kind: 'int', hint: 'an integer from 100 to 5000000' },
  WEFT_GRAPH_MAX_NODES: { key: 'graphMaxNodes', kind: 'int', hint: 'an integer from 10 to 100000' },
  WEFT_MAX_BAD_MESSAGES: { key: 'maxBadMessages', kind: 'int', hint: 'an integer from 1 to 1000000' },
  WEFT_LIVE_INTERVAL_MS: { key: 'liveIntervalMs', kind: 'int', hint: 'milliseconds from 100 to 60000' },
  WEFT_RATE_WINDOW_S: { key: 'rateWindowS', kind: 'int', hint: 'seconds from 2 to 300' },
  WEFT_DIAGNOSE_DNS_SLOW_MS: {
    key: 'diagnoseDnsSlowMs',
    kind: 'int',
    hint: 'milliseconds from 1 to 60000',
  },
  WEFT_ALERT_INTERVAL_S: { key: 'alertIntervalS', kind: 'int', hint: 'seconds from 1 to 3600' },
  WEFT_ALERT_WINDOW_S: { key: 'alertWindowS', kind: 'int', hint: 'seconds from 10 to 86400' },
  WEFT_ALERT_FOR_S: { key: 'alertForS', kind: 'int', hint: 'seconds from 0 to 86400' },
  WEFT_ALERT_DROP_RATE: { key: 'alertDropRate', kind: 'number', hint: 'packets per second, 0 or more' },
  WEFT_ALERT_DNS_FAILURE_RATIO: {
    key: 'alertDnsFailureRatio',
    kind: 'number',
    hint: 'a ratio from 0 to 1 (0.05 = 5%)',
  },
  WEFT_ALERT_TCP_FAILURE_RATE: {
    key: 'alertTcpFailureRate',
    kind: 'number',
    hint: 'failed connections per second, 0 or more',
  },
  WEFT_ALLOWED_HOSTS: {
    key: 'allowedHosts',
    kind: 'string',
    hint: 'a comma list of host names such as weft.example.com or *.example.com',
  },
  WEFT_ALLOWED_ORIGINS: {
    key: 'allowedOrigins',
    kind: 'string',
    hint: 'a comma list of origins such as https://weft.example.com',
  },
  WEFT_LIVE_MAX_CLIENTS: { key: 'liveMaxClients', kind: 'int', hint: 'an integer from 1 to 100000' },
  WEFT_LIVE_MAX_CLIENTS_PER_ADDRESS: {
    key: 'liveMaxClientsPerAddress',
    kind: 'int',
    hint: 'an integer from 1 to 100000',
  },
  WEFT_LIVE_MESSAGE_BURST: { key: 'liveMessageBurst', kind: 'int', hint: 'an integer from 1 to 100000' },
  WEFT_LIVE_MESSAGES_PER_SECOND: {
    key: 'liveMessagesPerSecond',
    kind: 'number',
    hint: 'messages a second from 0.001 to 10000',
  },
  WEFT_LIVE_SUBSCRIBE_TIMEOUT_MS: {
    key: 'liveSubscribeTimeoutMs',
    kind: 'int',
    hint: 'milliseconds from 100 to 3600000',
  },
  WEFT_LIVE_UNREAD_TIMEOUT_MS: {
    key: 'liveUnreadTimeoutMs',
    kind: 'int',
    hint: 'milliseconds from 100 to 3600000',
  },
  WEFT_WS_IDLE_TIMEOUT_MS: { key: 'wsIdleTimeoutMs', kind: 'int', hint: 'milliseconds from 100 to 3600000' },
  WEFT_PROMETHEUS_URL: {
    key: 'prometheusUrl',
    kind: 'string',
    hint: 'the http(s) URL of a Prometheus-compatible query API (the part before /api/v1)',
  },
  WEFT_PROMETHEUS_BEARER_TOKEN_FILE: {
    key: 'prometheusBearerTokenFile',
    kind: 'string',
    hint: 'a file holding the bearer token for WEFT_PROMETHEUS_URL',
  },
  WEFT_PROMETHEUS_HEADERS: {
    key: 'prometheusHeaders',
    kind: 'string',
    hint: '`Name: value` headers separated by `;` or newlines',
  },
  WEFT_PROMETHEUS_CA_FILE: { key: 'prometheusCaFile', kind: 'string', hint: 'a PEM CA certificate file' },
  WEFT_PROMETHEUS_TIMEOUT_MS: {
    key: 'prometheusTimeoutMs',
    kind: 'int',
    hint: 'milliseconds from 100 to 600000',
  },
  WEFT_PROMETHEUS_METRICS_LEVEL: {
    key: 'prometheusMetricsLevel',
    kind: 'string',
    hint: 'pod, workload or namespace (the collectors’ WEFT_METRICS_LEVEL)',
  },
  WEFT_MEMORY_BUDGET_MB: { key: 'memoryBudgetMiB', kind: 'int', hint: 'MiB from 16 to 65536' },
};

/** Variables that may be set to the empty string. */
const MAY_BE_EMPTY = new Set([
  'WEFT_INGEST_TOKEN',
  'WEFT_DATA_DIR',
  'WEFT_LAB_FAULTS_FILE',
  'WEFT_ALLOWED_ORIGINS',
  'WEFT_ALLOWED_HOSTS',
  'WEFT_PROMETHEUS_URL',
  'WEFT_PROMETHEUS_BEARER_TOKEN_FILE',
  'WEFT_PROMETHEUS_HEADERS',
  'WEFT_PROMETHEUS_CA_FILE',
]);

/** apps/web/dist, found from this file whether it runs from src/ or dist/. */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

export const DEFAULT_CONFIG: Readonly<ServerConfig> = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  ingestToken: '',
  tlsCertFile: '',
  tlsKeyFile: '',
  webRoot: defaultWebRoot(),
  logLevel: 'info',
  fineRetentionS: 900,
  coarseRetentionS: 86_400,
  dataDir: '',
  labFaultsFile: '',
  maxSeries: 200_000,
  maxFineBuckets: 20_000_000,
  maxFlowRows: 50_000,
  memoryBudgetMiB: 512,
  graphMaxNodes: 150,
  maxBadMessages: 10,
  liveIntervalMs: 1_000,
  rateWindowS: 10,
  diagnoseDnsSlowMs: 200,
  alertIntervalS: 15,
  alertWindowS: 300,
  alertForS: 300,
  alertDropRate: 100,
  alertDnsFailureRatio: 0.05,
  alertTcpFailureRate: 50,
  allowedOrigins: '',
  allowedHosts: '',
  // Behind a port-forward or an ingress every browser shares one address: the per-address cap only
  // stops one runaway script, the total bounds memory (each client may queue up to 1 MiB).
  liveMaxClients: 256,
  liveMaxClientsPerAddress: 64,
  // A person retyping a filter stays inside this; a flood is coalesced, one message a round.
  liveMessageBurst: 20,
  liveMessagesPerSecond: 5,
  liveSubscribeTimeoutMs: 10_000,
  liveUnreadTimeoutMs: 30_000,
  wsIdleTimeoutMs: 60_000,
  prometheusUrl: '',
  prometheusBearerTokenFile: '',
  prometheusHeaders: '',
  prometheusCaFile: '',
  prometheusTimeoutMs: 30_000,
  prometheusMetricsLevel: 'pod',
}) as ServerConfig;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid server configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const check = Compile(ServerConfig);
const INT = /^-?\d{1,12}$/;
const NUM = /^-?(\d{1,12}(\.\d{0,12})?|\.\d{1,12})$/;

/** Reads WEFT_* variables over the defaults; throws ConfigError listing every bad variable. */
export function parseServerConfig(env: NodeJS.ProcessEnv, base: Partial<ServerConfig> = {}): ServerConfig {
  const cfg: Record<string, unknown> = { ...DEFAULT_CONFIG, ...base };
  const problems: string[] = [];
  for (const [name, v] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw === undefined) continue;
    const value = raw.trim();
    if (v.kind === 'string') {
      if (!MAY_BE_EMPTY.has(name) && value === '') {
        problems.push(`${name} is empty: must be ${v.hint}`);
        continue;
      }
      // `value` is trimmed: a token read from a file usually ends in a newline the collectors don't send.
      cfg[v.key] = value;
    } else if ((v.kind === 'int' ? INT : NUM).test(value)) {
      cfg[v.key] = Number(value);
    } else {
      problems.push(`${name}=${JSON.stringify(raw.slice(0, 60))}: must be ${v.hint}`);
    }
  }
  if (problems.length === 0 && !check.Check(cfg)) {
    const byKey = new Map(Object.entries(ENV_VARS).map(([name, v]) => [v.key as string, [name, v] as const]));
    const seen = new Set<string>();
    for (const e of check.Errors(cfg)) {
      const key = e.instancePath.replace(/^\//, '').split('/')[0] ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      const found = byKey.get(key);
      if (found) problems.push(`${found[0]}=${JSON.stringify(String(cfg[key]))}: must be ${found[1].hint}`);
      else problems.push(`${key || 'configuration'}: ${e.message}`);
    }
  }
  if (typeof cfg.allowedOrigins === 'string')
    for (const p of parseAllowedOrigins(cfg.allowedOrigins).problems)
      problems.push(`WEFT_ALLOWED_ORIGINS: ${p}`);
  if (typeof cfg.allowedHosts === 'string')
    for (const p of parseAllowedHosts(cfg.allowedHosts).problems) problems.push(`WEFT_ALLOWED_HOSTS: ${p}`);
  if (typeof cfg.prometheusUrl === 'string')
    for (const p of prometheusSettingsProblems(cfg as ServerConfig)) problems.push(p);
  if (problems.length > 0) throw new ConfigError(problems);
  if (cfg.coarseRetentionS !== undefined && (cfg.coarseRetentionS as number) < (cfg.fineRetentionS as number))
    throw new ConfigError(['WEFT_COARSE_RETENTION_S must not be shorter than WEFT_FINE_RETENTION_S']);
  const exposure = [...ingestExposureProblems(cfg as ServerConfig), ...tlsProblems(cfg as ServerConfig)];
  if (exposure.length > 0) throw new ConfigError(exposure);
  return cfg as ServerConfig;
}

/** A certificate without its key (or the reverse) would silently serve plain HTTP. */
export function tlsProblems(cfg: Pick<ServerConfig, 'tlsCertFile' | 'tlsKeyFile'>): string[] {
  if ((cfg.tlsCertFile === '') === (cfg.tlsKeyFile === '')) return [];
  return ['WEFT_TLS_CERT_FILE and WEFT_TLS_KEY_FILE go together: set both to serve HTTPS, or neither'];
}
