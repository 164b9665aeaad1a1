import { LEVELS, TIMESERIES_GROUP_BY, TIMESERIES_METRICS, VIEWS } from '@weft/protocol';
import { hostileString, PROTO_NAMES } from './hostileValues.js';
import type { Prng } from './prng.js';

/**
 * Query strings for the REST and live fuzz: each parameter a route reads, given values near and past
 * what it accepts, hostile strings, inherited names, repeats, unknown parameters and broken encodings.
 */
export const PARAM_SAMPLES: Record<string, readonly string[]> = {
  view: [...VIEWS, 'MAP', 'map '],
  level: [...LEVELS, 'Pod', 'cluster'],
  namespace: [
    'production',
    'a,b,c',
    ',,,,',
    Array.from({ length: 500 }, (_, i) => `ns${i}`).join(','),
    'constructor',
  ],
  pod: ['production/api-5c8d7f9b6-h4j2k', 'constructor/__proto__', `a/${'b'.repeat(253)}`, 'a/', '/b'],
  workload: ['production/api', 'constructor/prototype', 'a/b/c'],
  focus: [
    'ns:production',
    'wl:production/api',
    'pod:a/b',
    'node:lab-node-1',
    'wl:a/b->wl:c/d',
    'ns:a->ns:b->ns:c',
    'ns:constructor',
    'world->others',
    `ns:${'a'.repeat(400)}`,
  ],
  protocol: ['tcp', 'TCP', 'icmpv6', 'sctp'],
  port: ['1', '65535', '0', '65536', '-1', '1e3', '080', ' 80 ', '99999999999999999999'],
  verdict: ['forwarded', 'dropped', 'both'],
  reason: [
    'policy_drop',
    'constructor',
    'prototype',
    'length',
    'tostring',
    '__proto__',
    'a'.repeat(64),
    'a'.repeat(65),
  ],
  from: [
    'now',
    'now-15m',
    'now-999999d',
    'now-0s',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999999Z',
    '2026-02-30T00:00:00Z',
    '0000-01-01T00:00:00Z',
    'now+1h',
    '-271821-04-20T00:00:00Z',
  ],
  to: ['now', 'now-1s', 'now-999999d', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00.000000001+23:59'],
  // Gone with the time model: links that still carry it get a 400 naming it.
  live: ['1', '0', 'true', 'yes'],
  at: ['now', 'now-10m', 'now-999999d', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', 'then', ''],
  compare: [
    'previous',
    'now-2h..now-1h',
    'now-1h..now-2h',
    'now..now',
    '..',
    'now-1h..now-30m..now',
    '1970-01-01T00:00:00Z..9999-12-31T23:59:59Z',
    'constructor',
  ],
  q: ['api', 'x'.repeat(200), 'x'.repeat(201), 'constructor'],
  src: ['10.0.0.1', '::1', '[::1]:80', '10.0.0.1:0', '1.2.3.4:65536', 'production/api', '999.1.1.1'],
  dst: ['10.244.1.11:80', 'production/api', '::', ':::::', '[zz]:80'],
  limit: ['1', '5000', '5001', '0', '-1', '1.5', '1e3', 'NaN', '99999999999999999999'],
  metric: [...TIMESERIES_METRICS, 'constructor', 'BYTES'],
  groupBy: [...TIMESERIES_GROUP_BY, 'constructor', '__proto__'],
  step: ['1', '86400', '86401', '0', '-5', '1.5', '1e2', 'Infinity'],
  since: ['15m', 'now-1h', '0s', '999999d', '1y', '1e3s'],
  format: ['prometheusrule', 'groups', 'yaml'],
};

/** What goes into a query string that a URL parser may choke on. */
const RAW_PIECES = [
  '%',
  '%zz',
  '%00',
  '%ff%fe',
  '&&&',
  '=',
  '===',
  '+',
  '%2526',
  '[]',
  'a[b]=c',
  '#frag',
  '?',
  '%E0%A4%A',
];

function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    // A lone surrogate cannot be encoded: sent as its replacement's bytes, as a browser would.
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

/** One value for `param`: one it accepts or nearly does, or a hostile one. */
export function paramValue(rng: Prng, param: string): string {
  const samples = PARAM_SAMPLES[param];
  if (samples && rng.chance(0.6)) return rng.pick(samples);
  return hostileString(rng, rng.chance(0.9) ? 300 : 5000);
}

/** A random query string over `params` (a route's own and the filter's), without the leading `?`. */
export function randomQuery(rng: Prng, params: readonly string[]): string {
  const parts: string[] = [];
  for (let n = rng.int(5); n >= 0; n--) {
    const r = rng.next();
    if (r < 0.75) {
      const p = rng.pick(params);
      parts.push(`${p}=${enc(paramValue(rng, p))}`);
    } else if (r < 0.85) {
      parts.push(
        `${enc(rng.chance(0.5) ? rng.pick(PROTO_NAMES) : hostileString(rng, 40))}=${enc(hostileString(rng, 40))}`,
      );
    } else parts.push(rng.pick(RAW_PIECES));
  }
  // Repeats: the same parameter twice.
  if (rng.chance(0.1) && parts.length > 0) parts.push(rng.pick(parts));
  return parts.join('&');
}
