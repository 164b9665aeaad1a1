import { Type } from 'typebox';
import { SOURCE_CHOICES, type SourceChoice } from './dataSource.js';
import { isTimeExpr, resolveTimeExpr } from './timeRange.js';
import { isCompareExpr, MAX_FUTURE_SKEW_MS } from './timeSelection.js';

/**
 * The shared filter: the web app's URL state and the API's query parameters are the same thing, so a
 * pasted URL reproduces the same view anywhere. Parsing never throws: what is invalid is dropped and
 * reported, and the rest of the view still works.
 */
export const VIEWS = [
  'map',
  'flows',
  'drops',
  'dns',
  'tcp',
  'alerts',
  'diagnose',
  'policy',
  'status',
] as const;
export type View = (typeof VIEWS)[number];
export const LEVELS = ['node', 'namespace', 'workload', 'pod'] as const;
export type Level = (typeof LEVELS)[number];
export const FILTER_PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6'] as const;
export type FilterProtocol = (typeof FILTER_PROTOCOLS)[number];
export const VERDICTS = ['forwarded', 'dropped'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface FilterState {
  view: View;
  level: Level;
  /** Namespaces to keep; empty = all. */
  namespace: string[];
  /** `namespace/pod` */
  pod: string;
  /** `namespace/workload` */
  workload: string;
  /** The map node drilled into: `ns:<ns>`, `wl:<ns>/<name>`, `pod:<ns>/<name>`, `node:<name>`. */
  focus: string;
  protocol: FilterProtocol | '';
  port: number | null;
  verdict: Verdict | '';
  reason: string;
  /** The selected range (`now-1h`, RFC 3339); empty = none. With `at` also empty, the view is live. */
  from: string;
  to: string;
  /** A past moment: the live rate window ending there (timeSelection.ts). */
  at: string;
  /** Baseline to compare with: `previous` or `<from>..<to>`; empty = no comparison. */
  compare: string;
  /** Which store answers (dataSource.ts); empty = auto: Prometheus only for what the server no longer holds. */
  source: SourceChoice | '';
  q: string;
  /** Diagnose subjects: `ns/pod`, `ns/service`, `ip`, or `ip:port`. */
  src: string;
  dst: string;
}

export const DEFAULT_FILTER: Readonly<FilterState> = Object.freeze({
  view: 'map',
  level: 'namespace',
  namespace: [],
  pod: '',
  workload: '',
  focus: '',
  protocol: '',
  port: null,
  verdict: '',
  reason: '',
  from: '',
  to: '',
  at: '',
  compare: '',
  source: '',
  q: '',
  src: '',
  dst: '',
}) as FilterState;

export const FILTER_PARAMS = Object.keys(DEFAULT_FILTER) as (keyof FilterState)[];

export interface FilterIssue {
  param: string;
  value: string;
  reason: string;
}

export interface ParsedFilter {
  state: FilterState;
  issues: FilterIssue[];
}

/** Query string schema for the API: every filter parameter is an optional string, checked by parseFilter. */
export const FilterQuery = Type.Object(
  Object.fromEntries(FILTER_PARAMS.map((p) => [p, Type.Optional(Type.String({ maxLength: 2048 }))])),
);
export type FilterQuery = Partial<Record<keyof FilterState, string>>;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const NS_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\/([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)$/;
const FOCUS_NODE = /^(ns|wl|pod|node):[a-z0-9]([a-z0-9./-]{0,300}[a-z0-9])?$/;
/** A map node id as an edge end: the drillable kinds, services, hosts, world and the folded rest. */
const EDGE_END =
  /^((ns|wl|pod|node|svc|host|others):[a-z0-9]([a-z0-9./-]{0,300}[a-z0-9])?|world|host|others)$/;

/** `focus` names a map node (`ns:`, `wl:`, `pod:`, `node:`) or an edge between two (`<source>-><target>`). */
export function isFocus(value: string): boolean {
  if (FOCUS_NODE.test(value)) return true;
  const arrow = value.indexOf('->');
  return (
    arrow > 0 &&
    value.indexOf('->', arrow + 2) < 0 &&
    EDGE_END.test(value.slice(0, arrow)) &&
    EDGE_END.test(value.slice(arrow + 2))
  );
}
const REASON = /^[a-z][a-z0-9_]{0,63}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]{2,39}$/i;

export function isIp(s: string): boolean {
  return IPV4.test(s) || (IPV6.test(s) && s.includes(':') && s.split('::').length <= 2);
}

/** A map node id a diagnose subject may be given as (`ns:production`, `wl:production/api`, ...). */
const SUBJECT_NODE_ID = /^(ns|node|pod|wl|svc):[a-z0-9]([a-z0-9./-]{0,300}[a-z0-9])?$/;
/** A DNS name: a namespace or node as one label, a name outside the cluster with dots. */
const SUBJECT_DNS_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/i;

/**
 * A diagnose subject: `ns/name` (pod, workload, service), a map node id (`ns:`, `node:`, `pod:`, `wl:`,
 * `svc:`), an IP, `ip:port`, `[ipv6]:port`, a bare namespace or node name, or a DNS name.
 */
export function isSubject(s: string): boolean {
  if (NS_NAME.test(s) || isIp(s) || SUBJECT_NODE_ID.test(s)) return true;
  const v6 = /^\[([0-9a-f:]+)\]:(\d{1,5})$/i.exec(s);
  if (v6) return isIp(v6[1]!) && isPort(v6[2]!);
  const v4 = /^([\d.]+):(\d{1,5})$/.exec(s);
  if (v4) return IPV4.test(v4[1]!) && isPort(v4[2]!);
  // All digits and dots is a mistyped address, not a name.
  return !/^[\d.]+$/.test(s) && SUBJECT_DNS_NAME.test(s);
}

/** What isSubject accepts, in the words of a bad-parameter message. */
export const SUBJECT_FORMS =
  'namespace/name (pod, workload, service), ns:<namespace>, node:<node>, an IP, ip:port, or a DNS name';

function isPort(s: string): boolean {
  const n = Number(s);
  return /^\d{1,5}$/.test(s) && n >= 1 && n <= 65535;
}

type Input = string | URLSearchParams | Record<string, string | string[] | undefined>;

function toEntries(input: Input): [string, string][] {
  if (typeof input === 'string')
    return [...new URLSearchParams(input.startsWith('?') ? input.slice(1) : input)];
  if (input instanceof URLSearchParams) return [...input];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}

/**
 * Parses a query string (or its entries). `extra` names parameters that belong to the caller (an API
 * route's `limit`, say): they are neither applied nor reported as unknown.
 */
export function parseFilter(input: Input, extra: readonly string[] = []): ParsedFilter {
  const state: FilterState = { ...DEFAULT_FILTER, namespace: [] };
  const issues: FilterIssue[] = [];
  const seen = new Set<string>();
  const bad = (param: string, value: string, reason: string) => issues.push({ param, value, reason });

  for (const [param, raw] of toEntries(input)) {
    if (extra.includes(param)) continue;
    const value = raw.trim();
    if (param === 'live') {
      // Links made before the time model: live is now what a view shows when from, to and at are absent.
      bad(param, raw, 'no longer used: a view is live when from, to and at are absent');
      continue;
    }
    if (!(FILTER_PARAMS as string[]).includes(param)) {
      bad(param, raw, 'unknown parameter');
      continue;
    }
    if (seen.has(param)) {
      bad(param, raw, 'repeated parameter; the first one is used');
      continue;
    }
    seen.add(param);
    if (value === '') continue;
    const key = param as keyof FilterState;
    switch (key) {
      case 'view':
        if ((VIEWS as readonly string[]).includes(value)) state.view = value as View;
        else bad(param, raw, `must be one of ${VIEWS.join(', ')}`);
        break;
      case 'level':
        if ((LEVELS as readonly string[]).includes(value)) state.level = value as Level;
        else bad(param, raw, `must be one of ${LEVELS.join(', ')}`);
        break;
      case 'namespace': {
        const names = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const invalid = names.filter((n) => !DNS_LABEL.test(n));
        if (invalid.length > 0) bad(param, raw, `not a namespace name: ${invalid.join(', ').slice(0, 120)}`);
        state.namespace = [...new Set(names.filter((n) => DNS_LABEL.test(n)))].slice(0, 100);
        break;
      }
      case 'pod':
      case 'workload':
        if (NS_NAME.test(value)) state[key] = value;
        else bad(param, raw, 'must be namespace/name');
        break;
      case 'focus':
        if (isFocus(value)) state.focus = value;
        else
          bad(
            param,
            raw,
            'must be ns:<ns>, wl:<ns>/<name>, pod:<ns>/<name>, node:<name> or <source>-><target>',
          );
        break;
      case 'protocol': {
        const v = value.toLowerCase();
        if ((FILTER_PROTOCOLS as readonly string[]).includes(v)) state.protocol = v as FilterProtocol;
        else bad(param, raw, `must be one of ${FILTER_PROTOCOLS.join(', ')}`);
        break;
      }
      case 'port':
        if (isPort(value)) state.port = Number(value);
        else bad(param, raw, 'must be a port number from 1 to 65535');
        break;
      case 'verdict':
        if ((VERDICTS as readonly string[]).includes(value)) state.verdict = value as Verdict;
        else bad(param, raw, `must be one of ${VERDICTS.join(', ')}`);
        break;
      case 'reason':
        if (REASON.test(value)) state.reason = value;
        else bad(param, raw, 'must be a drop reason such as policy_drop');
        break;
      case 'from':
      case 'to':
        if (isTimeExpr(value)) state[key] = value;
        else bad(param, raw, 'must be now, now-<n>s|m|h|d, or an RFC 3339 time');
        break;
      case 'at':
        if (!isTimeExpr(value)) bad(param, raw, 'must be now, now-<n>s|m|h|d, or an RFC 3339 time');
        else if ((resolveTimeExpr(value, Date.now()) as number) > Date.now() + MAX_FUTURE_SKEW_MS)
          bad(param, raw, 'is in the future; live is shown instead');
        else state.at = value;
        break;
      case 'compare':
        if (isCompareExpr(value)) state.compare = value;
        else bad(param, raw, 'must be previous or <from>..<to> with from before to');
        break;
      case 'source':
        if ((SOURCE_CHOICES as readonly string[]).includes(value)) state.source = value as SourceChoice;
        else bad(param, raw, `must be one of ${SOURCE_CHOICES.join(', ')}`);
        break;
      case 'q':
        if (value.length <= 200) state.q = value;
        else bad(param, `${raw.slice(0, 40)}...`, 'longer than 200 characters');
        break;
      case 'src':
      case 'dst':
        if (isSubject(value)) state[key] = value;
        else bad(param, raw, `must be ${SUBJECT_FORMS}`);
        break;
    }
  }
  const now = Date.now();
  const start = resolveTimeExpr(state.from, now);
  const end = resolveTimeExpr(state.to, now);
  if (start !== undefined && end !== undefined && start >= end) {
    bad('from', state.from, 'must be before to; live is shown instead');
    state.from = DEFAULT_FILTER.from;
    state.to = DEFAULT_FILTER.to;
  }
  return { state, issues };
}

/** Serializes to a query string (no leading `?`) holding only what differs from the defaults, in a stable order. */
export function serializeFilter(state: FilterState): string {
  const params = new URLSearchParams();
  for (const key of FILTER_PARAMS) {
    const v = state[key];
    const d = DEFAULT_FILTER[key];
    if (key === 'namespace') {
      if ((v as string[]).length > 0) params.set(key, (v as string[]).join(','));
    } else if (key === 'port') {
      if (v !== null) params.set(key, String(v));
    } else if (v !== d) {
      params.set(key, String(v));
    }
  }
  return params.toString();
}

/** A copy of `state` with `patch` applied; the caller serializes it to navigate. */
export function withFilter(state: FilterState, patch: Partial<FilterState>): FilterState {
  return { ...state, ...patch, namespace: patch.namespace ?? state.namespace };
}
