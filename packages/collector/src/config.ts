import { isIP } from 'node:net';
import { parseServerTargets, type ServerTarget } from './stream/serverTargets.js';

export type IdentityMode = 'kubernetes' | 'inventory';
export type MetricsLevel = 'pod' | 'workload' | 'namespace';

export interface CollectorConfig {
  node: string;
  /** The setting as given: one ingest URL, or several (comma list), one per server replica. */
  serverUrl: string;
  /** `serverUrl` parsed: every server this collector streams to, each on its own connection and spool. */
  servers: ServerTarget[];
  token: string;
  /** PEM file of the CA(s) that signed the server's certificate (wss://); empty: the system's CAs. */
  serverCaFile: string;
  /** Send the token over plain ws:// to a host other than this one (anyone on the path can read it). */
  allowInsecure: boolean;
  metricsHost: string;
  metricsPort: number;
  identity: IdentityMode;
  inventoryFile: string;
  /** Kubernetes: watch every pod of the cluster, not only this node's (names remote ends). */
  remoteContext: boolean;
  ifaces: string[];
  ifacePrefixes: string[];
  intervalMs: number;
  metricsLevel: MetricsLevel;
  metricsIncludeNamespaces: string[];
  metricsExcludeNamespaces: string[];
  /** Also export the AKS add-on's families (Hubble's and Retina's) its Grafana dashboards read. */
  metricsCompat: 'on' | 'off';
  spoolSeconds: number;
  /** Byte bound of each server's spool (beside the age bound): what a replica that was away can catch up on. */
  spoolMaxBytes: number;
  /** Seconds the series of a deleted pod stay exported (so a last scrape sees their final values). */
  seriesTtlSeconds: number;
  probe: string;
  simulated: boolean;
}

export type ParseCollectorConfigResult =
  | { kind: 'config'; config: CollectorConfig }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

interface FlagSpec {
  flag: string;
  env?: string;
  key: keyof CollectorConfig;
  kind: 'string' | 'int' | 'list' | 'bool' | 'enum';
  values?: readonly string[];
  min?: number;
  max?: number;
  help: string;
}

const SPECS: readonly FlagSpec[] = [
  {
    flag: '--node',
    env: 'WEFT_NODE_NAME',
    key: 'node',
    kind: 'string',
    help: 'name of this node (required)',
  },
  {
    flag: '--server',
    env: 'WEFT_SERVER_URL',
    key: 'serverUrl',
    kind: 'string',
    help:
      'ingest WebSocket URL of the Weft server, or a comma list of up to 4 (one per server replica: each gets ' +
      'the whole stream on its own connection and spool; default ws://127.0.0.1:8080/api/v1/ingest)',
  },
  {
    flag: '--token',
    env: 'WEFT_INGEST_TOKEN',
    key: 'token',
    kind: 'string',
    help: 'bearer token for ingest (prefer the variable: a flag shows in ps)',
  },
  {
    flag: '--server-ca',
    env: 'WEFT_SERVER_CA_FILE',
    key: 'serverCaFile',
    kind: 'string',
    help: "PEM file of the CA that signed the server's certificate, for wss:// (default: the system's CAs)",
  },
  {
    flag: '--allow-insecure',
    env: 'WEFT_ALLOW_INSECURE',
    key: 'allowInsecure',
    kind: 'bool',
    help: 'send the token over plain ws:// to a host other than this one (readable by anyone on the path)',
  },
  {
    flag: '--metrics-host',
    env: 'WEFT_METRICS_HOST',
    key: 'metricsHost',
    kind: 'string',
    help: 'address /metrics listens on (default 127.0.0.1; the DaemonSet gives the pod IP)',
  },
  {
    flag: '--metrics-port',
    env: 'WEFT_METRICS_PORT',
    key: 'metricsPort',
    kind: 'int',
    min: 0,
    max: 65535,
    help: 'port of /metrics (default 10093; 0 picks a free port)',
  },
  {
    flag: '--identity',
    env: 'WEFT_IDENTITY',
    key: 'identity',
    kind: 'enum',
    values: ['kubernetes', 'inventory'],
    help: 'where pod names come from: kubernetes (in-cluster or KUBECONFIG) or inventory (a JSON file)',
  },
  {
    flag: '--inventory',
    env: 'WEFT_INVENTORY',
    key: 'inventoryFile',
    kind: 'string',
    help: 'inventory JSON file (required with --identity inventory; reread when it changes)',
  },
  {
    flag: '--remote-context',
    env: 'WEFT_REMOTE_CONTEXT',
    key: 'remoteContext',
    kind: 'bool',
    help: 'kubernetes: watch all pods of the cluster, not only this node',
  },
  {
    flag: '--iface',
    env: 'WEFT_IFACE',
    key: 'ifaces',
    kind: 'list',
    help: 'interface(s) the probe attaches to (repeatable or comma list)',
  },
  {
    flag: '--iface-prefix',
    env: 'WEFT_IFACE_PREFIX',
    key: 'ifacePrefixes',
    kind: 'list',
    help: 'attach to every interface whose name starts with this (repeatable or comma list)',
  },
  {
    flag: '--interval-ms',
    env: 'WEFT_INTERVAL_MS',
    key: 'intervalMs',
    kind: 'int',
    min: 100,
    max: 60_000,
    help: 'aggregation interval and batch period (default 1000)',
  },
  {
    flag: '--metrics-level',
    env: 'WEFT_METRICS_LEVEL',
    key: 'metricsLevel',
    kind: 'enum',
    values: ['pod', 'workload', 'namespace'],
    help: 'identity labels filled: pod (pod names), workload (pod labels hold the workload), namespace (pod labels empty)',
  },
  {
    flag: '--metrics-include-namespaces',
    env: 'WEFT_METRICS_INCLUDE_NAMESPACES',
    key: 'metricsIncludeNamespaces',
    kind: 'list',
    help: 'only export series touching these namespaces (comma list; empty = all)',
  },
  {
    flag: '--metrics-exclude-namespaces',
    env: 'WEFT_METRICS_EXCLUDE_NAMESPACES',
    key: 'metricsExcludeNamespaces',
    kind: 'list',
    help: 'never export series whose only namespaces are these (comma list)',
  },
  {
    flag: '--metrics-compat',
    env: 'WEFT_METRICS_COMPAT',
    key: 'metricsCompat',
    kind: 'enum',
    values: ['on', 'off'],
    help: "also export the families the AKS add-on's (Retina's, Hubble's) Grafana dashboards read (default on)",
  },
  {
    flag: '--spool-seconds',
    env: 'WEFT_SPOOL_SECONDS',
    key: 'spoolSeconds',
    kind: 'int',
    min: 1,
    max: 3600,
    help: 'how long unacknowledged batches are kept for resending (default 60)',
  },
  {
    flag: '--spool-max-bytes',
    env: 'WEFT_SPOOL_MAX_BYTES',
    key: 'spoolMaxBytes',
    kind: 'int',
    min: 1024 * 1024,
    max: 4 * 1024 * 1024 * 1024,
    help: 'bytes of unacknowledged batches kept for resending, per server (default 67108864, 64 MiB)',
  },
  {
    flag: '--series-ttl-seconds',
    env: 'WEFT_SERIES_TTL_SECONDS',
    key: 'seriesTtlSeconds',
    kind: 'int',
    min: 1,
    max: 86_400,
    help: 'how long series of deleted pods stay exported (default 300)',
  },
  {
    flag: '--probe',
    env: 'WEFT_PROBE',
    key: 'probe',
    kind: 'string',
    help: 'path of the weft-probe binary (default: the one built in @weft/bpf)',
  },
  {
    flag: '--simulated',
    env: 'WEFT_SIMULATED',
    key: 'simulated',
    kind: 'bool',
    help: 'mark the stream as coming from the simulated lab',
  },
];

export const DEFAULT_SERVER_URL = 'ws://127.0.0.1:8080/api/v1/ingest';

function defaults(): CollectorConfig {
  return {
    node: '',
    serverUrl: DEFAULT_SERVER_URL,
    servers: [],
    token: '',
    serverCaFile: '',
    allowInsecure: false,
    metricsHost: '127.0.0.1',
    metricsPort: 10093,
    identity: 'kubernetes',
    inventoryFile: '',
    remoteContext: false,
    ifaces: [],
    ifacePrefixes: [],
    intervalMs: 1000,
    metricsLevel: 'pod',
    metricsIncludeNamespaces: [],
    metricsExcludeNamespaces: [],
    metricsCompat: 'on',
    spoolSeconds: 60,
    spoolMaxBytes: 64 * 1024 * 1024,
    seriesTtlSeconds: 300,
    probe: '',
    simulated: false,
  };
}

export function collectorHelp(): string {
  const lines = ['Usage: weft collector [flags]', '', 'Flags (environment variable in brackets):'];
  for (const s of SPECS) {
    const arg = s.kind === 'bool' ? '' : s.kind === 'enum' ? ` ${s.values?.join('|')}` : ' VALUE';
    lines.push(`  ${s.flag}${arg}${s.env ? `  [${s.env}]` : ''}`, `      ${s.help}`);
  }
  lines.push('  --help', '      print this text');
  return `${lines.join('\n')}\n`;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Raw = { spec: FlagSpec; value: string; source: string };

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function applyValue(cfg: CollectorConfig, { spec, value, source }: Raw, append: boolean): string | null {
  const target = cfg as unknown as Record<string, unknown>;
  switch (spec.kind) {
    case 'string':
      // A token read from a file usually ends in a newline, which would never match the server's.
      target[spec.key] = spec.key === 'token' ? value.trim() : value;
      return null;
    case 'bool': {
      const v = value.toLowerCase();
      if (['1', 'true', 'yes', 'on', ''].includes(v)) target[spec.key] = true;
      else if (['0', 'false', 'no', 'off'].includes(v)) target[spec.key] = false;
      else return `${source}: expected true or false, got ${JSON.stringify(value)}`;
      return null;
    }
    case 'int': {
      if (!/^\d+$/.test(value)) return `${source}: expected a whole number, got ${JSON.stringify(value)}`;
      const n = Number(value);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        return `${source}: ${n} is outside ${spec.min}..${spec.max}`;
      }
      target[spec.key] = n;
      return null;
    }
    case 'enum':
      if (!spec.values?.includes(value)) {
        return `${source}: expected one of ${spec.values?.join(', ')}, got ${JSON.stringify(value)}`;
      }
      target[spec.key] = value;
      return null;
    case 'list': {
      const prev = append ? (target[spec.key] as string[]) : [];
      target[spec.key] = [...prev, ...splitList(value)];
      return null;
    }
  }
}

/**
 * Flags win over environment variables; list flags may repeat. Never throws: a bad value comes back
 * as a message naming the flag or variable, so the CLI can print it and exit non-zero.
 */
export function parseCollectorConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParseCollectorConfigResult {
  const cfg = defaults();
  const byFlag = new Map(SPECS.map((s) => [s.flag, s]));

  for (const spec of SPECS) {
    const v = spec.env ? env[spec.env] : undefined;
    if (v === undefined || v === '') continue;
    const err = applyValue(cfg, { spec, value: v, source: spec.env! }, false);
    if (err) return { kind: 'error', message: err };
  }

  const seenLists = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help', text: collectorHelp() };
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byFlag.get(name);
    if (!spec) return { kind: 'error', message: `unknown flag ${JSON.stringify(arg)} (see --help)` };
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (spec.kind === 'bool') value = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined) return { kind: 'error', message: `${name} needs a value` };
      value = next;
      i++;
    }
    const append = seenLists.has(spec.flag);
    if (spec.kind === 'list') seenLists.add(spec.flag);
    const err = applyValue(cfg, { spec, value, source: name }, append);
    if (err) return { kind: 'error', message: err };
  }

  // An inventory file alone is enough to say where names come from.
  if (cfg.inventoryFile && !explicitIdentity(argv, env)) cfg.identity = 'inventory';
  const serverSource =
    argv.some((a) => a === '--server' || a.startsWith('--server=')) || !env.WEFT_SERVER_URL
      ? '--server'
      : 'WEFT_SERVER_URL';
  const problem = validate(cfg, serverSource);
  if (problem) return { kind: 'error', message: problem };
  return { kind: 'config', config: cfg };
}

function explicitIdentity(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.WEFT_IDENTITY) || argv.some((a) => a === '--identity' || a.startsWith('--identity='));
}

/** 127.0.0.0/8, ::1 and `localhost`: only this machine is on the path. */
function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

function validate(cfg: CollectorConfig, serverSource: string): string | null {
  if (!cfg.node) return 'the node name is required: --node NAME or WEFT_NODE_NAME';
  if (!NODE_NAME.test(cfg.node))
    return `--node: ${JSON.stringify(cfg.node)} is not a valid Kubernetes node name`;
  const parsed = parseServerTargets(cfg.serverUrl, serverSource);
  if (parsed.kind === 'error') return parsed.message;
  cfg.servers = parsed.targets;
  for (const { url: raw } of cfg.servers) {
    const url = new URL(raw);
    if (url.protocol === 'ws:' && cfg.token && !cfg.allowInsecure && !isLoopbackHost(url.hostname)) {
      return (
        `${serverSource}: refusing to send the ingest token in clear text over ws:// to ${url.hostname}: ` +
        'use a wss:// URL (the server with WEFT_TLS_CERT_FILE and WEFT_TLS_KEY_FILE, this collector trusting ' +
        'its CA with WEFT_SERVER_CA_FILE), or set WEFT_ALLOW_INSECURE=1 to accept that anyone on the path ' +
        'can read the token'
      );
    }
    if (cfg.serverCaFile && url.protocol !== 'wss:') {
      return `--server-ca: a CA is only used with a wss:// server URL, got ${JSON.stringify(raw)}`;
    }
  }
  if (cfg.metricsHost !== 'localhost' && isIP(cfg.metricsHost) === 0) {
    return `--metrics-host: ${JSON.stringify(cfg.metricsHost)} is not an IP address`;
  }
  if (cfg.identity === 'inventory' && !cfg.inventoryFile) {
    return '--identity inventory needs --inventory FILE (or WEFT_INVENTORY)';
  }
  for (const [flag, list] of [
    ['--metrics-include-namespaces', cfg.metricsIncludeNamespaces],
    ['--metrics-exclude-namespaces', cfg.metricsExcludeNamespaces],
  ] as const) {
    const bad = list.find((ns) => !NAMESPACE.test(ns));
    if (bad !== undefined) return `${flag}: ${JSON.stringify(bad)} is not a valid namespace name`;
  }
  for (const name of [...cfg.ifaces, ...cfg.ifacePrefixes]) {
    if (name.length > 15 || /[\s/]/.test(name)) {
      return `--iface/--iface-prefix: ${JSON.stringify(name)} is not a valid interface name`;
    }
  }
  return null;
}
