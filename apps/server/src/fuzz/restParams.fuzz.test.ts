import { FILTER_PARAMS } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { testApp } from '../fixtures/testApp.js';
import { nullsText, strayNulls } from './apiInvariants.js';
import { type Finding, findingsReport, signature } from './fuzzRun.js';
import { HOSTILE_STRINGS, PROTO_NAMES } from './hostileValues.js';
import { fuzzSeed, Prng } from './prng.js';
import { PARAM_SAMPLES, randomQuery } from './queryStrings.js';

/**
 * Every REST route with every parameter it reads given near-valid, invalid and hostile values (a fixed
 * corpus, then random query strings): never a 5xx, a body that is JSON (the text exports excepted when
 * they succeed), a 400 that starts by naming a parameter of the request or of the route, and a 200
 * without stray nulls. WEFT_FUZZ_SEED=<n> replays or explores.
 */
const SEED = fuzzSeed(12_003);
const RANDOM_CASES = 1500;

const FILTER = FILTER_PARAMS as readonly string[];
const ROUTES: { path: string; params: readonly string[]; text?: boolean; needs?: string }[] = [
  { path: '/api/v1/status', params: FILTER },
  { path: '/api/v1/graph', params: FILTER },
  { path: '/api/v1/drops', params: FILTER },
  { path: '/api/v1/dns', params: FILTER },
  { path: '/api/v1/alerts', params: FILTER },
  { path: '/api/v1/flows', params: [...FILTER, 'limit'] },
  { path: '/api/v1/timeseries', params: [...FILTER, 'metric', 'groupBy', 'step'], needs: 'metric=bytes' },
  { path: '/api/v1/timeline', params: FILTER },
  {
    path: '/api/v1/diagnose',
    params: ['from', 'to', 'src', 'dst', 'since'],
    needs: 'src=production/frontend&dst=production/api',
  },
  { path: '/api/v1/export/grafana', params: [] },
  { path: '/api/v1/export/prometheus-rules', params: ['format', 'namespace'], text: true },
  { path: '/api/v1/export/mermaid', params: FILTER, text: true },
  { path: '/metrics', params: [], text: true },
  { path: '/healthz', params: [] },
  { path: '/readyz', params: [] },
];

type Route = (typeof ROUTES)[number];

/** What is wrong with one answer (empty when it holds). */
function problems(
  route: Route,
  query: string,
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
): string[] {
  const at = route.path;
  if (res.statusCode >= 500) return [`${at} answered ${res.statusCode}`];
  if (res.statusCode === 404) return [`${at} answered 404`];
  if (res.statusCode === 200 && route.text) return [];
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [`${at} answered ${res.statusCode} with a body that is not JSON`];
  }
  if (res.statusCode === 200) {
    const nulls = strayNulls(body);
    return nulls.length > 0 ? [`${at} has null at ${nullsText(nulls)}`] : [];
  }
  if (res.statusCode !== 400) return [`${at} answered ${res.statusCode}`];
  const message = (body as { message?: unknown }).message;
  if (typeof message !== 'string' || message === '') return [`${at}: a 400 without a message`];
  // The parameter as the server decoded it: a broken escape stays as sent, an empty name is a name too.
  const keys = new Set([...new URLSearchParams(query).keys(), ...route.params]);
  const named = /^([^:]*):/.exec(message)?.[1];
  if (named !== undefined && named !== 'querystring' && (keys.has(named) || query.includes(named))) return [];
  return [`${at}: a 400 that names no parameter: ${message.replace(/^[^:]*:/, '').slice(0, 60)}`];
}

describe('REST parameters (fuzz)', () => {
  it('answers every route and parameter without a 5xx, in JSON, naming what was wrong', {
    timeout: 120_000,
  }, async () => {
    const rng = new Prng(SEED);
    const { app } = await testApp({ seconds: 30, policyDropsPerSec: 2, nxdomainPerSec: 1, refusedPerSec: 1 });
    const findings = new Map<string, Finding>();
    let cases = 0;
    const run = async (route: Route, query: string) => {
      cases++;
      const full = route.needs ? `${route.needs}&${query}` : query;
      const url = `${route.path}?${full}`;
      const res = await app.inject({ method: 'GET', url });
      for (const p of problems(route, full, res)) {
        const key = signature(p);
        const f = findings.get(key);
        if (f) f.occurrences++;
        else
          findings.set(key, {
            problem: `${p} (${res.body.slice(0, 160)})`,
            input: `GET ${url.slice(0, 300)}`,
            occurrences: 1,
          });
      }
    };
    const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
    // Corpus: every parameter of every route, each sample and each hostile value, alone.
    for (const route of ROUTES) {
      await run(route, '');
      for (const name of [...PROTO_NAMES, 'unknown']) await run(route, `${enc(name)}=1`);
      for (const p of route.params) {
        for (const v of [...(PARAM_SAMPLES[p] ?? []), ...HOSTILE_STRINGS, ...PROTO_NAMES])
          await run(route, `${p}=${enc(v)}`);
        await run(route, `${p}=a&${p}=b`);
      }
    }
    for (let i = 0; i < RANDOM_CASES; i++) {
      const route = rng.pick(ROUTES);
      await run(route, randomQuery(rng, route.params.length > 0 ? route.params : ['x']));
    }
    await app.close();
    const list = [...findings.values()];
    console.log(`REST parameters: ${cases} requests, seed ${SEED}, ${list.length} finding(s)`);
    expect(list, findingsReport('REST parameters', SEED, list)).toEqual([]);
  });
});
