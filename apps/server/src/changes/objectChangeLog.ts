import type { ChangedObjectKind, ObjectChange } from '@weft/protocol';

/**
 * Newest changes kept per kind. Bounded so a churning cluster (a pod crash-looping, EndpointSlices
 * flapping) costs at most 6 kinds x 500 changes (about 0.5 MB) whatever its churn; the oldest go first.
 */
export const MAX_CHANGES_PER_KIND = 500;

/**
 * What changed in the cluster besides NetworkPolicies (Services, EndpointSlices, workloads, pods), as
 * the collectors' policy contexts bring it: every collector resends its newest changes, several see the
 * same cluster-wide ones, and each change (its id: uid, resourceVersion, change) is kept once.
 */
export class ObjectChangeLog {
  private readonly byKind = new Map<ChangedObjectKind, ObjectChange[]>();
  private readonly ids = new Set<string>();

  take(changes: readonly ObjectChange[]): void {
    for (const c of changes) {
      if (this.ids.has(c.id)) continue;
      const list = this.byKind.get(c.kind) ?? [];
      this.byKind.set(c.kind, list);
      this.ids.add(c.id);
      list.push(c);
      list.sort((a, b) => a.at - b.at);
      while (list.length > MAX_CHANGES_PER_KIND) {
        const gone = list.shift();
        if (gone) this.ids.delete(gone.id);
      }
    }
  }

  /** The changes in [from, to], oldest first. */
  changes(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): ObjectChange[] {
    return [...this.byKind.values()]
      .flat()
      .filter((c) => c.at >= from && c.at <= to)
      .sort((a, b) => a.at - b.at);
  }
}
