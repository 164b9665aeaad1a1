import { Type } from 'typebox';
import type { FilterIssue } from './filter.js';
import { isIp } from './filter.js';
import { FLOW_DIRECTIONS } from './wireCodes.js';

/**
 * `/api/v1/flows`'s own parameters, beside the shared filter (filter.ts): paging, order, and the filters
 * only flow rows have. Like parseFilter, parsing reports every bad value by its parameter and never
 * throws, so the server's 400, the CLI's message and the web's notice say the same thing.
 */
export const FLOW_SORTS = ['time', 'bytes', 'packets'] as const;
export type FlowSort = (typeof FLOW_SORTS)[number];
export const MAX_FLOWS_LIMIT = 5000;
export const DEFAULT_FLOWS_LIMIT = 100;

/** The TCP flag names `flags=` takes (a comma list; a row matches when it has every one). */
export const TCP_FLAG_NAMES = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr'] as const;

export const FLOW_SEARCH_PARAMS = [
  'limit',
  'sort',
  'cursor',
  'after',
  'service',
  'node',
  'ip',
  'dir',
  'flags',
  'merge',
  'dns',
] as const;
export type FlowSearchParam = (typeof FLOW_SEARCH_PARAMS)[number];

export const FlowSearchQuery = Type.Object(
  Object.fromEntries(FLOW_SEARCH_PARAMS.map((p) => [p, Type.Optional(Type.String({ maxLength: 256 }))])),
);

/** Where the previous page ended: its last row's sort key and seq (rows sort by key, then seq, both descending). */
export interface FlowCursor {
  sort: FlowSort;
  key: number;
  seq: number;
}

/** An address, or a network in CIDR form. */
export interface IpFilter {
  text: string;
  /** The network's address (the address itself without a prefix) and its prefix length. */
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export interface FlowSearch {
  limit: number;
  sort: FlowSort;
  cursor: FlowCursor | null;
  /** Only rows that arrived after the row with this seq (following). */
  after: number | null;
  /** `namespace/service`: either end. */
  service: string;
  /** A node: either end's, or the node that observed the row. */
  node: string;
  ip: IpFilter | null;
  dir: (typeof FLOW_DIRECTIONS)[number] | '';
  /** TCP flag bits that must all be set (0: any). */
  flags: number;
  /**
   * `connection`: the matching observations of one connection in one interval (the sender's egress, the
   * receiver's ingress or its drop, on one node or two) are one row, with what each point saw in `seen`.
   */
  merge: '' | 'connection';
  /**
   * A DNS name, lower case: rows whose name (flowDnsMatches) is it or ends in it at a label boundary
   * (`dns=example.com` finds api.example.com too).
   */
  dns: string;
}

export const DEFAULT_FLOW_SEARCH: Readonly<FlowSearch> = Object.freeze({
  limit: DEFAULT_FLOWS_LIMIT,
  sort: 'time',
  cursor: null,
  after: null,
  service: '',
  node: '',
  ip: null,
  dir: '',
  flags: 0,
  merge: '',
  dns: '',
});

const DNS_NAME = /^[a-z0-9_*]([a-z0-9_.*-]{0,251}[a-z0-9_])?$/;

/** Whether a row's DNS name is `dns` (lower case, as FlowSearch.dns) or a name below it. */
export function flowDnsMatches(name: string, dns: string): boolean {
  const n = name.toLowerCase();
  return n === dns || (n.length > dns.length && n.endsWith(dns) && n[n.length - dns.length - 1] === '.');
}

const NS_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const NODE_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const SORT_LETTER: Record<FlowSort, string> = { time: 't', bytes: 'b', packets: 'p' };

/** The opaque text of a cursor (the client hands it back as it came). */
export function encodeFlowCursor(c: FlowCursor): string {
  return `${SORT_LETTER[c.sort]}${c.key.toString(36)}.${c.seq.toString(36)}`;
}

export function decodeFlowCursor(s: string): FlowCursor | null {
  const m = /^([tbp])([0-9a-z]{1,12})\.([0-9a-z]{1,12})$/.exec(s);
  if (!m) return null;
  const sort = FLOW_SORTS.find((k) => SORT_LETTER[k] === m[1])!;
  const key = Number.parseInt(m[2]!, 36);
  const seq = Number.parseInt(m[3]!, 36);
  if (!Number.isSafeInteger(key) || !Number.isSafeInteger(seq)) return null;
  return { sort, key, seq };
}

/** `10.0.0.0/8`, `fd00::/64`, or an address; null when neither. */
export function parseIpFilter(s: string): IpFilter | null {
  const slash = s.indexOf('/');
  const address = (slash < 0 ? s : s.slice(0, slash)).toLowerCase();
  if (!isIp(address)) return null;
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  const max = family === 'ipv4' ? 32 : 128;
  if (slash < 0) return { text: s, address, prefix: max, family };
  const p = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return null;
  return { text: s, address, prefix: Number(p), family };
}

type Query = Partial<Record<string, string | string[] | undefined>>;

/** The flow search's own parameters from a query; other parameters are left to parseFilter. */
export function parseFlowSearch(query: Query): { search: FlowSearch; issues: FilterIssue[] } {
  const search: FlowSearch = { ...DEFAULT_FLOW_SEARCH };
  const issues: FilterIssue[] = [];
  const bad = (param: string, value: string, reason: string) => issues.push({ param, value, reason });
  let cursorText = '';
  for (const param of FLOW_SEARCH_PARAMS) {
    const raw = query[param];
    if (raw === undefined) continue;
    if (Array.isArray(raw) && raw.length > 1) bad(param, raw.join(','), 'repeated parameter');
    const value = (Array.isArray(raw) ? (raw[0] ?? '') : raw).trim();
    if (value === '') continue;
    switch (param) {
      case 'limit':
        if (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_FLOWS_LIMIT)
          search.limit = Number(value);
        else bad(param, value, `must be a whole number from 1 to ${MAX_FLOWS_LIMIT}`);
        break;
      case 'sort':
        if ((FLOW_SORTS as readonly string[]).includes(value)) search.sort = value as FlowSort;
        else bad(param, value, `must be one of ${FLOW_SORTS.join(', ')}`);
        break;
      case 'cursor':
        cursorText = value;
        search.cursor = decodeFlowCursor(value);
        if (!search.cursor) bad(param, value, "is not a cursor from this API's `next`");
        break;
      case 'after':
        if (/^\d{1,15}$/.test(value)) search.after = Number(value);
        else bad(param, value, 'must be a row seq (a whole number, as in `head`)');
        break;
      case 'service':
        if (NS_NAME.test(value)) search.service = value;
        else bad(param, value, 'must be namespace/service');
        break;
      case 'node':
        if (NODE_NAME.test(value)) search.node = value;
        else bad(param, value, 'must be a node name');
        break;
      case 'ip':
        search.ip = parseIpFilter(value);
        if (!search.ip) bad(param, value, 'must be an IP address or a CIDR network (10.0.0.0/8, fd00::/64)');
        break;
      case 'dir':
        if ((FLOW_DIRECTIONS as readonly string[]).includes(value)) search.dir = value as FlowSearch['dir'];
        else bad(param, value, `must be one of ${FLOW_DIRECTIONS.join(', ')}`);
        break;
      case 'dns': {
        const name = value.toLowerCase().replace(/\.$/, '');
        if (DNS_NAME.test(name)) search.dns = name;
        else bad(param, value, 'must be a DNS name (example.com finds it and the names below it)');
        break;
      }
      case 'merge':
        if (value === 'connection') search.merge = value;
        else bad(param, value, 'must be connection');
        break;
      case 'flags': {
        const names = value.toLowerCase().split(',');
        const unknown = names.filter((n) => !(TCP_FLAG_NAMES as readonly string[]).includes(n));
        if (unknown.length > 0) bad(param, value, `must be TCP flags among ${TCP_FLAG_NAMES.join(', ')}`);
        else
          search.flags = names.reduce(
            (m, n) => m | (1 << (TCP_FLAG_NAMES as readonly string[]).indexOf(n)),
            0,
          );
        break;
      }
    }
  }
  if (search.cursor && search.cursor.sort !== search.sort)
    bad('cursor', cursorText, `was made for sort=${search.cursor.sort}, not sort=${search.sort}`);
  return { search, issues };
}

/** `search` as query parameters, only what differs from the defaults (the cursor included). */
export function flowSearchParams(search: FlowSearch): Record<string, string> {
  const out: Record<string, string> = {};
  if (search.limit !== DEFAULT_FLOWS_LIMIT) out.limit = String(search.limit);
  if (search.sort !== 'time') out.sort = search.sort;
  if (search.cursor) out.cursor = encodeFlowCursor(search.cursor);
  if (search.after !== null) out.after = String(search.after);
  if (search.service) out.service = search.service;
  if (search.node) out.node = search.node;
  if (search.ip) out.ip = search.ip.text;
  if (search.dir) out.dir = search.dir;
  if (search.dns) out.dns = search.dns;
  if (search.flags) out.flags = TCP_FLAG_NAMES.filter((_n, i) => (search.flags & (1 << i)) !== 0).join(',');
  return out;
}
