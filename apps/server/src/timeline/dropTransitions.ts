/** Where a timeline's drops started or stopped: `step` is the point it happened at. */
export interface DropTransition {
  kind: 'drops_started' | 'drops_stopped';
  step: number;
  /** The step whose drops name the edge: the first with drops, or the last before they stopped. */
  evidence: number;
}

/**
 * Drops started at a step with drops after a step without, and stopped at a step without after one
 * with. Drops already under way at the first point started before the range: nothing is reported for
 * them until they stop. `drops` holds each step's drop count.
 */
export function dropTransitions(drops: ArrayLike<number>): DropTransition[] {
  const out: DropTransition[] = [];
  for (let i = 1; i < drops.length; i++) {
    const now = drops[i]! > 0;
    const before = drops[i - 1]! > 0;
    if (now && !before) out.push({ kind: 'drops_started', step: i, evidence: i });
    else if (!now && before) out.push({ kind: 'drops_stopped', step: i, evidence: i - 1 });
  }
  return out;
}
