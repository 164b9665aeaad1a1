/** Faults switched on and off while the lab runs. */
export const FAULT_KINDS = [
  'policy-drop',
  'refused',
  'timeout',
  'dns-nxdomain',
  'dns-servfail',
  'dns-slow',
  'bandwidth-spike',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultSpec =
  /**
   * An ingress network policy at `to` dropping every packet from `from`: a bare nftables rule in the
   * pod, or, with `policy` (`namespace/name` of one of the topology's policies: a scenario's fault),
   * that NetworkPolicy, enforced and listed while the fault is on.
   */
  | { kind: 'policy-drop'; from: string; to: string; policy?: string }
  /** The target's server on `port` stops listening: the kernel answers RST. */
  | { kind: 'refused'; target: string; port: number }
  /** SYNs to the target's `port` vanish without a trace (policy routing blackhole in the pod). */
  | { kind: 'timeout'; target: string; port: number }
  | { kind: 'dns-nxdomain'; name: string | null }
  | { kind: 'dns-servfail'; name: string | null }
  /** One answer in `every` (1: each) for the name is `delayMs` late. */
  | { kind: 'dns-slow'; name: string | null; delayMs: number; every: number }
  /** A pod starts sending `bytesPerSec` to a service or external name: a new top talker. */
  | { kind: 'bandwidth-spike'; from: string; to: string; port: number | null; bytesPerSec: number };

/**
 * A fault that is on. `origin: 'scenario'`: one the scenario started with (ids `s1`, `s2`, ...), cleared
 * and listed like the others, and put back by its id (`weft lab fault add s1`).
 */
export type Fault = FaultSpec & { id: string; since: number; origin?: 'scenario' };

export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

const USAGE: Record<FaultKind, string> = {
  'policy-drop': 'policy-drop --from <ns/pod|ns/workload> --to <ns/pod|ns/workload>',
  refused: 'refused --target <ns/pod|ns/workload|ns/service> --port <port>',
  timeout: 'timeout --target <ns/pod|ns/workload|ns/service> --port <port>',
  'dns-nxdomain': 'dns-nxdomain [--name <dns name>]',
  'dns-servfail': 'dns-servfail [--name <dns name>]',
  'dns-slow': 'dns-slow [--name <dns name>] [--delay-ms <ms>] [--every <n>]',
  'bandwidth-spike':
    'bandwidth-spike --from <ns/pod|ns/workload> --to <service.ns|external name> [--port <port>] [--bytes-per-sec <n>]',
};

export function faultUsage(): string {
  return FAULT_KINDS.map((k) => `  ${USAGE[k]}`).join('\n');
}

function isKind(k: string): k is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(k);
}

const REF = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\/)?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

function text(kind: string, o: Record<string, unknown>, key: string, optional = false): string | null {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (optional) return null;
    throw new FaultError(`fault ${kind}: missing --${key}\nusage: ${USAGE[kind as FaultKind]}`);
  }
  if (typeof v !== 'string' || v.length > 253)
    throw new FaultError(`fault ${kind}: --${key} must be a name of at most 253 characters`);
  return v.toLowerCase();
}

function ref(kind: string, o: Record<string, unknown>, key: string): string {
  const v = text(kind, o, key)!;
  if (!REF.test(v))
    throw new FaultError(`fault ${kind}: --${key} "${v}" is not a pod, workload or service reference`);
  return v;
}

function int(
  kind: string,
  o: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  dflt?: number,
): number {
  const raw = o[key];
  if (raw === undefined || raw === null || raw === '') {
    if (dflt !== undefined) return dflt;
    throw new FaultError(`fault ${kind}: missing --${key}\nusage: ${USAGE[kind as FaultKind]}`);
  }
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new FaultError(
      `fault ${kind}: --${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    );
  return n;
}

function dnsName(kind: string, o: Record<string, unknown>): string | null {
  const v = text(kind, o, 'name', true);
  if (v === null) return null;
  const name = v.replace(/\.$/, '');
  if (!/^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/.test(name))
    throw new FaultError(`fault ${kind}: --name "${v}" is not a DNS name`);
  return name;
}

/** Checks a fault description (from the CLI or an API); unknown kinds and bad fields get a clear message. */
export function parseFaultSpec(input: Record<string, unknown>): FaultSpec {
  const kind = String(input.kind ?? '');
  if (!isKind(kind))
    throw new FaultError(
      `unknown fault ${kind ? `"${kind.slice(0, 40)}"` : '(none given)'}; known faults:\n${faultUsage()}`,
    );
  const o: Record<string, unknown> = {};
  // --delay-ms, delay-ms, delayMs are the same field.
  for (const [k, v] of Object.entries(input))
    o[k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  switch (kind) {
    case 'policy-drop': {
      const policy = o.policy === undefined ? null : ref(kind, o, 'policy');
      if (policy !== null && !policy.includes('/'))
        throw new FaultError(`fault ${kind}: --policy "${policy}" must be <namespace>/<name>`);
      return { kind, from: ref(kind, o, 'from'), to: ref(kind, o, 'to'), ...(policy ? { policy } : {}) };
    }
    case 'refused':
    case 'timeout':
      return { kind, target: ref(kind, o, 'target'), port: int(kind, o, 'port', 1, 65535) };
    case 'dns-nxdomain':
    case 'dns-servfail':
      return { kind, name: dnsName(kind, o) };
    case 'dns-slow':
      return {
        kind,
        name: dnsName(kind, o),
        delayMs: int(kind, o, 'delayMs', 1, 30_000, 500),
        every: int(kind, o, 'every', 1, 1000, 1),
      };
    case 'bandwidth-spike':
      return {
        kind,
        from: ref(kind, o, 'from'),
        to: ref(kind, o, 'to'),
        port: o.port === undefined ? null : int(kind, o, 'port', 1, 65535),
        bytesPerSec: int(kind, o, 'bytesPerSec', 1, 100_000_000, 2_000_000),
      };
  }
}

/** `weft lab fault add <kind> --key value ...` (or key=value) -> FaultSpec. */
export function parseFaultArgs(args: readonly string[]): FaultSpec {
  const [kind, ...rest] = args;
  const o: Record<string, unknown> = { kind: kind ?? '' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 2) o[a.slice(2, eq)] = a.slice(eq + 1);
    else if (a.startsWith('--')) {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith('--')) throw new FaultError(`fault ${kind}: ${a} needs a value`);
      o[a.slice(2)] = v;
      i++;
    } else if (eq > 0) o[a.slice(0, eq)] = a.slice(eq + 1);
    else throw new FaultError(`fault ${kind}: unexpected argument "${a.slice(0, 60)}"`);
  }
  if (!isKind(String(o.kind))) return parseFaultSpec(o);
  const allowed = new Set([
    'kind',
    ...(USAGE[o.kind as FaultKind].match(/--[a-z-]+/g) ?? []).map((s) => s.slice(2)),
  ]);
  for (const k of Object.keys(o))
    if (!allowed.has(k))
      throw new FaultError(`fault ${o.kind}: unknown option --${k}\nusage: ${USAGE[o.kind as FaultKind]}`);
  return parseFaultSpec(o);
}

/** One line per fault, for `weft lab fault list`; a scenario's own faults say so. */
export function describeFault(f: Fault): string {
  return f.origin === 'scenario' ? `${describeSpec(f)}  (built in: the scenario's)` : describeSpec(f);
}

function describeSpec(f: FaultSpec): string {
  switch (f.kind) {
    case 'policy-drop':
      return `policy-drop ${f.from} -> ${f.to}${f.policy ? ` (NetworkPolicy ${f.policy})` : ''}`;
    case 'refused':
    case 'timeout':
      return `${f.kind} ${f.target}:${f.port}`;
    case 'dns-nxdomain':
    case 'dns-servfail':
      return `${f.kind} ${f.name ?? '(every name)'}`;
    case 'dns-slow':
      return `dns-slow ${f.name ?? '(every name)'} +${f.delayMs} ms${f.every > 1 ? `, 1 answer in ${f.every}` : ''}`;
    case 'bandwidth-spike':
      return `bandwidth-spike ${f.from} -> ${f.to}${f.port ? `:${f.port}` : ''} ${f.bytesPerSec} B/s`;
  }
}
