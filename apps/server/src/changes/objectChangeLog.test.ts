import { type ObjectChange, parseFilter } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_CHANGES_PER_KIND, ObjectChangeLog } from './objectChangeLog.js';
import { objectIncidents } from './objectIncidents.js';

const change = (over: Partial<ObjectChange>): ObjectChange => ({
  id: 'u@1:restarted',
  at: 1_000,
  kind: 'Pod',
  change: 'restarted',
  namespace: 'production',
  name: 'api-0',
  owner: 'api',
  detail: 'restarts 0 -> 1',
  ...over,
});

describe('ObjectChangeLog', () => {
  it('keeps a change resent by several collectors once, oldest first', () => {
    const log = new ObjectChangeLog();
    const svc = change({ id: 's@7:updated', at: 500, kind: 'Service', change: 'updated', name: 'api' });
    log.take([change({})]);
    log.take([svc, change({})]);
    expect(log.changes().map((c) => c.id)).toEqual(['s@7:updated', 'u@1:restarted']);
    expect(log.changes(600, 2_000).map((c) => c.id)).toEqual(['u@1:restarted']);
  });

  it(`keeps the newest ${MAX_CHANGES_PER_KIND} per kind, so churn cannot grow it`, () => {
    const log = new ObjectChangeLog();
    const many = Array.from({ length: MAX_CHANGES_PER_KIND * 2 }, (_, i) => change({ id: `u@${i}`, at: i }));
    log.take(many);
    log.take([change({ id: 'd@1', kind: 'Deployment', change: 'rolled_out', name: 'api' })]);
    const kept = log.changes();
    expect(kept.filter((c) => c.kind === 'Pod')).toHaveLength(MAX_CHANGES_PER_KIND);
    expect(kept[0]?.id).toBe(`u@${MAX_CHANGES_PER_KIND}`);
    expect(kept.some((c) => c.kind === 'Deployment')).toBe(true);
    // An evicted change resent is new again only if it is newer than what is kept; the oldest goes again.
    log.take([change({ id: 'u@0', at: 0 })]);
    expect(log.changes().filter((c) => c.kind === 'Pod')).toHaveLength(MAX_CHANGES_PER_KIND);
  });
});

describe('objectIncidents', () => {
  it("names the object and its change, within the range and the filter's namespaces", () => {
    const changes = [
      change({}),
      change({
        id: 'd',
        at: 2_000,
        kind: 'Deployment',
        change: 'rolled_out',
        name: 'api',
        detail: 'pod template changed',
      }),
      change({
        id: 'e',
        at: 2_500,
        kind: 'EndpointSlice',
        change: 'updated',
        namespace: 'monitoring',
        name: 'prom-x',
      }),
      change({ id: 'late', at: 9_000, kind: 'Service', change: 'deleted', detail: '' }),
    ];
    const all = objectIncidents(changes, parseFilter({}).state, { start: 0, end: 5_000 });
    expect(all.map((i) => i.kind)).toEqual(['pod_restarted', 'workload_changed', 'endpoints_changed']);
    expect(all[0]).toEqual({
      kind: 'pod_restarted',
      at: 1_000,
      label: 'Pod production/api-0 restarted (restarts 0 -> 1)',
      object: { kind: 'Pod', namespace: 'production', name: 'api-0' },
    });
    expect(all[1]?.label).toBe('Deployment production/api rolled out (pod template changed)');
    const monitoring = objectIncidents(changes, parseFilter({ namespace: 'monitoring' }).state, {
      start: 0,
      end: 5_000,
    });
    expect(monitoring.map((i) => i.object?.name)).toEqual(['prom-x']);
  });
});
