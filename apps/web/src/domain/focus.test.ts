import { DEFAULT_FILTER, type FilterState, parseFilter, serializeFilter, withFilter } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import {
  apiParams,
  breadcrumbs,
  drillInto,
  drillUp,
  parseEdgeFocus,
  parseFocus,
  subjectFor,
} from './focus.js';

const base: FilterState = { ...DEFAULT_FILTER, namespace: [] };

/** Walks a patch through the URL, the way the app does: serialize, then parse what the browser holds. */
function go(state: FilterState, patch: Partial<FilterState>): FilterState {
  const parsed = parseFilter(serializeFilter(withFilter(state, patch)));
  expect(parsed.issues).toEqual([]);
  return parsed.state;
}

describe('drill-down', () => {
  it('namespace -> workload -> pod, every step a URL that round-trips', () => {
    const ns = go(base, drillInto({ id: 'ns:production', kind: 'namespace' })!);
    expect(ns).toMatchObject({ focus: 'ns:production', level: 'workload' });
    const wl = go(ns, drillInto({ id: 'wl:production/api', kind: 'workload' })!);
    expect(wl).toMatchObject({ focus: 'wl:production/api', level: 'pod', workload: 'production/api' });
    const pod = go(wl, drillInto({ id: 'pod:production/api-5c6b7-def34', kind: 'pod' })!);
    expect(pod).toMatchObject({
      focus: 'pod:production/api-5c6b7-def34',
      level: 'pod',
      workload: 'production/api',
    });
    expect(breadcrumbs(pod).map((c) => c.label)).toEqual([
      'All namespaces',
      'production',
      'api',
      'api-5c6b7-def34',
    ]);
    // And back up, one crumb at a time, to the default view.
    const up1 = go(pod, drillUp(pod)!);
    expect(up1).toMatchObject({ focus: 'wl:production/api', level: 'pod' });
    const up2 = go(up1, drillUp(up1)!);
    expect(up2).toMatchObject({ focus: 'ns:production', level: 'workload', workload: '' });
    const up3 = go(up2, drillUp(up2)!);
    expect(serializeFilter(up3)).toBe('');
    expect(drillUp(up3)).toBeNull();
  });
  it('a Kubernetes node opens into its pods', () => {
    const n = go({ ...base, level: 'node' }, drillInto({ id: 'node:weft-node-a', kind: 'node' })!);
    expect(n).toMatchObject({ focus: 'node:weft-node-a', level: 'pod' });
    expect(breadcrumbs(n).map((c) => c.label)).toEqual(['All nodes', 'node weft-node-a']);
    expect(drillUp(n)).toMatchObject({ focus: '', level: 'node' });
  });
  it('world, host and others do not open', () => {
    expect(drillInto({ id: 'world', kind: 'world' })).toBeNull();
    expect(drillInto({ id: 'host:weft-node-a', kind: 'host' })).toBeNull();
    expect(drillInto({ id: 'others:production', kind: 'others' })).toBeNull();
  });
  it('an edge as focus: selected on the map of its ends, with breadcrumbs back to its namespace', () => {
    const focus = 'wl:production/api->wl:kube-system/coredns';
    const state = go({ ...base, level: 'workload' }, { focus });
    expect(parseEdgeFocus(state.focus)).toEqual({
      source: 'wl:production/api',
      target: 'wl:kube-system/coredns',
    });
    expect(parseFocus(state.focus)).toBeNull();
    const p = apiParams(state);
    expect(p.get('focus')).toBeNull();
    expect(p.get('namespace')).toBe('production,kube-system');
    expect(p.get('level')).toBe('workload');
    const crumbs = breadcrumbs(state);
    expect(crumbs.map((c) => c.label)).toEqual(['All namespaces', 'production', 'api → coredns']);
    expect(crumbs[2]!.current).toBe(true);
    expect(drillUp(state)).toMatchObject({ focus: 'ns:production', level: 'workload' });
    const toWorld = { ...base, level: 'namespace' as const, focus: 'ns:production->world' };
    expect(apiParams(toWorld).get('namespace')).toBe('production');
    expect(breadcrumbs(toWorld).map((c) => c.label)).toEqual(['All namespaces', 'production → world']);
    expect(drillUp(toWorld)).toMatchObject({ focus: '', level: 'namespace' });
    expect(parseEdgeFocus('ns:production')).toBeNull();
  });
  it('the last crumb is current', () => {
    const crumbs = breadcrumbs({ focus: 'ns:a', level: 'workload', workload: '' });
    expect(crumbs.map((c) => c.current)).toEqual([false, true]);
  });
  it('parses focus values', () => {
    expect(parseFocus('wl:ns/name')).toEqual({ kind: 'wl', namespace: 'ns', name: 'name' });
    expect(parseFocus('node:n1')).toEqual({ kind: 'node', namespace: '', name: 'n1' });
    expect(parseFocus('wl:broken')).toBeNull();
    expect(parseFocus('')).toBeNull();
  });
  it('diagnose subjects from map nodes', () => {
    expect(subjectFor('pod:production/db-0')).toBe('production/db-0');
    expect(subjectFor('wl:production/api')).toBe('production/api');
    expect(subjectFor('svc:production/api-service')).toBe('production/api-service');
    expect(subjectFor('ns:production')).toBe('ns:production');
    expect(subjectFor('node:lab-node-1')).toBe('node:lab-node-1');
    expect(subjectFor('host:lab-node-1')).toBe('node:lab-node-1');
    expect(subjectFor('others')).toBe('');
    expect(subjectFor('world')).toBe('');
  });
});

describe('apiParams', () => {
  it('adds the filter the focus implies', () => {
    const p = apiParams({ ...base, focus: 'ns:production', level: 'workload' });
    expect(p.get('namespace')).toBe('production');
    expect(p.get('focus')).toBe('ns:production');
    const w = apiParams({ ...base, focus: 'pod:production/db-0', level: 'pod', workload: 'production/db' });
    expect(w.get('pod')).toBe('production/db-0');
    expect(w.get('workload')).toBeNull();
  });
  it('produces only parameters the server parses without complaint', () => {
    const state: FilterState = {
      ...base,
      focus: 'wl:production/api',
      level: 'pod',
      protocol: 'tcp',
      port: 5432,
      verdict: 'dropped',
      reason: 'policy_drop',
      q: 'db',
    };
    const p = apiParams(state, { limit: '10' });
    const parsed = parseFilter(p, ['limit']);
    expect(parsed.issues).toEqual([]);
    expect(parsed.state).toMatchObject({ workload: 'production/api', port: 5432, reason: 'policy_drop' });
  });
});
