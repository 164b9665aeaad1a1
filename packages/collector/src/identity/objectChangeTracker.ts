import type { ChangedObjectKind, ObjectChange } from '@weft/protocol/core';
import { changeBetween, type Tracked } from './objectChanges.js';

/**
 * Newest changes kept per kind: a churning cluster (pods restarting in a loop) must not grow the
 * collector's memory or its context message; the server accumulates what each message brings.
 */
export const CHANGES_PER_KIND = 50;

/**
 * Follows Services, EndpointSlices, workloads and pods as their list/watch loops deliver them, and
 * keeps the changes seen after each kind's first list: the initial list, and everything before it, is
 * state, not change. A relist after 410 Gone does count (what changed during the gap). The objects'
 * summaries are a few hundred bytes each, as many as the list/watch stores hold.
 */
export class ObjectChangeTracker {
  private readonly seen = new Map<string, Tracked>();
  private readonly live = new Set<ChangedObjectKind>();
  private readonly log = new Map<ChangedObjectKind, ObjectChange[]>();

  constructor(
    private readonly onChange: (changes: ObjectChange[]) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** This kind's first list was applied: from now on its differences are changes. */
  listed(kind: ChangedObjectKind): void {
    this.live.add(kind);
  }

  upsert(t: Tracked): void {
    const key = `${t.kind}/${t.uid}`;
    const before = this.seen.get(key);
    this.seen.set(key, t);
    this.record(changeBetween(before, t, this.now()));
  }

  delete(t: Tracked): void {
    const key = `${t.kind}/${t.uid}`;
    const before = this.seen.get(key) ?? t;
    this.seen.delete(key);
    this.record(changeBetween({ ...before, resourceVersion: t.resourceVersion }, undefined, this.now()));
  }

  /** The kept changes, oldest first. */
  changes(): ObjectChange[] {
    return [...this.log.values()].flat().sort((a, b) => a.at - b.at);
  }

  private record(c: ObjectChange | null): void {
    if (!c || !this.live.has(c.kind)) return;
    const list = this.log.get(c.kind) ?? [];
    this.log.set(c.kind, list);
    list.push(c);
    if (list.length > CHANGES_PER_KIND) list.splice(0, list.length - CHANGES_PER_KIND);
    this.onChange(this.changes());
  }
}
