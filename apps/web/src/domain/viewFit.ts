/**
 * When the map fits its view to what it shows. A new question (level, focus, filter: a new layout
 * key) always fits; so does new content (another set of nodes) while the view is still the map's own.
 * Once the user panned or zoomed, their view is kept while the question stays the same: live updates
 * that add or drop a pod do not take it from them.
 */
export class ViewFit {
  private content: string | null = null;
  private userMoved = false;

  /** A model is being applied; true when the view should fit it. */
  onModel(fresh: boolean, content: string): boolean {
    const changed = content !== this.content;
    this.content = content;
    if (!fresh && (!changed || this.userMoved)) return false;
    this.userMoved = false;
    return true;
  }

  /** The user panned, zoomed or pinched. */
  userMove(): void {
    this.userMoved = true;
  }
}

/** Which nodes a model shows, as a short text (their count and a hash of their ids). */
export function contentOf(ids: Iterable<string>): string {
  // FNV-1a over the ids in order: the model's nodes come in one order for one set.
  let h = 0x811c9dc5;
  let n = 0;
  for (const id of ids) {
    n++;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x2c, 0x01000193);
  }
  return `${n}:${(h >>> 0).toString(36)}`;
}

/** How long the view takes to glide to a new fit. */
export const FIT_MS = 250;

/** Ease-out: quick at first, settling gently. */
export function easeOut(t: number): number {
  const c = Math.min(1, Math.max(0, t));
  return 1 - (1 - c) ** 3;
}
