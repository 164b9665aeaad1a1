import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER,
  type FilterState,
  isSubject,
  parseFilter,
  serializeFilter,
  VIEWS,
} from './filter.js';

const roundTrip = (s: FilterState) => parseFilter(serializeFilter(s));

describe('filter URL state', () => {
  it('defaults to the live namespace map', () => {
    const { state, issues } = parseFilter('');
    expect(state).toEqual(DEFAULT_FILTER);
    expect(issues).toEqual([]);
    expect(serializeFilter(state)).toBe('');
  });

  it('takes source=store|prometheus|auto and names the parameter when it is anything else', () => {
    expect(parseFilter('source=auto').state.source).toBe('auto');
    expect(parseFilter('source=store').state.source).toBe('store');
    const bad = parseFilter('source=thanos&level=pod');
    expect(bad.state.source).toBe('');
    expect(bad.state.level).toBe('pod');
    expect(bad.issues).toEqual([
      { param: 'source', value: 'thanos', reason: 'must be one of store, prometheus, auto' },
    ]);
  });

  it.each(VIEWS)('round-trips every parameter in view %s', (view) => {
    const state: FilterState = {
      view,
      level: 'pod',
      namespace: ['production', 'kube-system'],
      pod: 'production/frontend-abc123',
      workload: 'production/api',
      focus: 'wl:production/api',
      protocol: 'tcp',
      port: 5432,
      verdict: 'dropped',
      reason: 'policy_drop',
      from: '2026-11-27T09:00:00Z',
      to: '2026-11-27T10:30:00.500+01:00',
      at: '2026-11-27T09:15:00Z',
      compare: 'now-2h..now-1h',
      source: 'prometheus',
      q: 'api <script>&x=1',
      src: 'production/frontend-abc123',
      dst: '10.0.0.7:5432',
    };
    const first = roundTrip(state);
    expect(first.issues).toEqual([]);
    expect(first.state).toEqual(state);
    const second = parseFilter(serializeFilter(first.state));
    expect(second.state).toEqual(first.state);
    expect(serializeFilter(second.state)).toBe(serializeFilter(state));
  });

  it('round-trips the defaults of each view to a minimal URL', () => {
    for (const view of VIEWS) {
      const s = { ...DEFAULT_FILTER, view };
      expect(serializeFilter(s)).toBe(view === 'map' ? '' : `view=${view}`);
      expect(roundTrip(s).state).toEqual(s);
    }
  });

  it('keeps what is valid and reports what it ignored in a garbage URL', () => {
    const { state, issues } = parseFilter(
      '?view=nope&level=pod&namespace=prod,BAD_NS,,kube-system&port=99999&protocol=TCP&verdict=maybe' +
        '&from=yesterday&live=2&focus=<img src=x>&foo=bar&pod=noslash&src=1.2.3.4:80&view=flows',
    );
    expect(state.view).toBe('map');
    expect(state.level).toBe('pod');
    expect(state.namespace).toEqual(['prod', 'kube-system']);
    expect(state.protocol).toBe('tcp');
    expect(state.port).toBeNull();
    expect(state.from).toBe('');
    expect(issues.find((i) => i.param === 'live')?.reason).toMatch(/no longer used/);
    expect(state.focus).toBe('');
    expect(state.src).toBe('1.2.3.4:80');
    expect(issues.map((i) => i.param).sort()).toEqual(
      ['focus', 'foo', 'from', 'live', 'namespace', 'pod', 'port', 'verdict', 'view', 'view'].sort(),
    );
    expect(issues.find((i) => i.param === 'foo')?.reason).toBe('unknown parameter');
  });

  it('takes an edge between two map nodes as focus, and nothing that only looks like one', () => {
    for (const focus of [
      'pod:production/frontend-7d9f8-abc12->pod:production/db-0',
      'ns:production->world',
      'wl:monitoring/prometheus->svc:production/api',
      'host:node-a->others',
    ]) {
      const { state, issues } = parseFilter(`focus=${encodeURIComponent(focus)}`);
      expect(issues).toEqual([]);
      expect(state.focus).toBe(focus);
      expect(roundTrip(state).state.focus).toBe(focus);
    }
    for (const focus of [
      'pod:a/x->',
      '->world',
      'world',
      'ns:a->ns:b->ns:c',
      'ns:a->evil<b>',
      'ns:a-->ns:b',
    ]) {
      const { state, issues } = parseFilter(`focus=${encodeURIComponent(focus)}`);
      expect(state.focus).toBe('');
      expect(issues.map((i) => i.param)).toEqual(['focus']);
    }
  });

  it('falls back to live when from is after to', () => {
    const { state, issues } = parseFilter('from=now-5m&to=now-1h');
    expect(state.from).toBe('');
    expect(state.to).toBe('');
    expect(issues).toHaveLength(1);
  });

  it('names a bad at or compare, and keeps the rest', () => {
    const { state, issues } = parseFilter('at=2099-01-01T00:00:00Z&compare=now..now-1h&level=pod');
    expect(state.at).toBe('');
    expect(state.compare).toBe('');
    expect(state.level).toBe('pod');
    expect(issues.map((i) => `${i.param}: ${i.reason}`)).toEqual([
      'at: is in the future; live is shown instead',
      'compare: must be previous or <from>..<to> with from before to',
    ]);
    expect(parseFilter('at=now-10m&compare=previous').issues).toEqual([]);
  });

  it('leaves caller-owned parameters alone', () => {
    const { issues } = parseFilter('limit=10&metric=drops', ['limit', 'metric']);
    expect(issues).toEqual([]);
  });

  it('never throws on hostile input', () => {
    const nasty = [
      '%E0%A4%A',
      '&&&==',
      `q=${'x'.repeat(10_000)}`,
      `namespace=${'a,'.repeat(5000)}`,
      '\u0000=\u0000',
    ];
    for (const s of nasty) expect(() => parseFilter(s)).not.toThrow();
  });
});

describe('isSubject', () => {
  it('takes every diagnose subject form and refuses what is none', () => {
    for (const s of [
      'production/api',
      'ns:monitoring',
      'node:lab-node-1',
      'pod:production/db-0',
      'wl:production/api',
      'svc:production/api',
      'monitoring',
      '10.0.1.5',
      '10.0.1.5:80',
      '[fd00::1]:443',
      'api.payments.example',
      'api.production.svc.cluster.local.',
    ])
      expect(isSubject(s), s).toBe(true);
    for (const s of ['', '10.0.1', '10.0.1.5:0', 'a/b/c', '<x>', 'a b', 'ns:', '-bad'])
      expect(isSubject(s), s).toBe(false);
  });
});
