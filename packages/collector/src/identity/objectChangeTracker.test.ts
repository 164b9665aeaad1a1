import { describe, expect, it } from 'vitest';
import { trackPod, trackService } from './objectChanges.js';
import { CHANGES_PER_KIND, ObjectChangeTracker } from './objectChangeTracker.js';

const pod = (rv: number, restarts: number) =>
  trackPod(
    {
      metadata: { name: 'api-0', namespace: 'production', uid: 'u0', resourceVersion: String(rv) },
      status: { containerStatuses: [{ restartCount: restarts }] },
    },
    'api',
  )!;

describe('ObjectChangeTracker', () => {
  it('never reports the first list, only what changed after it', () => {
    const sent: number[] = [];
    let now = 0;
    const t = new ObjectChangeTracker(
      (list) => sent.push(list.length),
      () => now++,
    );
    const svc = trackService({ metadata: { name: 'api', namespace: 'production', uid: 's' } })!;
    t.upsert(svc);
    t.upsert(pod(1, 0));
    // A restart seen during the list is state, not change.
    t.upsert(pod(2, 1));
    expect(t.changes()).toEqual([]);
    t.listed('Pod');
    t.upsert(pod(3, 2));
    t.delete(svc);
    expect(t.changes().map((c) => `${c.kind} ${c.change}`)).toEqual(['Pod restarted']);
    t.listed('Service');
    t.delete(svc);
    t.delete(pod(4, 2));
    expect(t.changes().map((c) => `${c.kind} ${c.change} ${c.at}`)).toEqual([
      'Pod restarted 3',
      'Service deleted 5',
      'Pod deleted 6',
    ]);
    expect(sent).toEqual([1, 2, 3]);
  });

  it(`keeps the newest ${CHANGES_PER_KIND} changes per kind`, () => {
    let now = 0;
    const t = new ObjectChangeTracker(undefined, () => now++);
    t.listed('Pod');
    t.listed('Service');
    t.upsert(trackService({ metadata: { name: 'api', namespace: 'p', uid: 's', resourceVersion: '1' } })!);
    for (let i = 1; i <= CHANGES_PER_KIND * 3; i++) t.upsert(pod(i, i));
    const kept = t.changes();
    expect(kept.filter((c) => c.kind === 'Pod')).toHaveLength(CHANGES_PER_KIND);
    expect(kept.filter((c) => c.kind === 'Service')).toHaveLength(1);
    expect(kept.at(-1)?.detail).toBe(`restarts ${CHANGES_PER_KIND * 3 - 1} -> ${CHANGES_PER_KIND * 3}`);
  });
});
