import type { AlertRule } from '@weft/protocol';
import { momentLabel, spanWords, type TimeLabelOptions } from './timeLabel.js';

/**
 * A rule's history (its state transitions, oldest first) as the times it fired and resolved, newest
 * first: what the alert list shows and what a click looks at.
 */
export interface AlertEpisode {
  firedAt: number;
  /** null while it still fires. */
  resolvedAt: number | null;
  /** The expression's value when it fired. */
  value: number | null;
}

export function alertEpisodes(history: AlertRule['history']): AlertEpisode[] {
  const out: AlertEpisode[] = [];
  let open: AlertEpisode | null = null;
  for (const h of history) {
    if (h.state === 'firing') {
      if (!open) {
        open = { firedAt: h.at, resolvedAt: null, value: h.value };
        out.push(open);
      }
    } else if (open) {
      open.resolvedAt = h.at;
      open = null;
    }
  }
  return out.reverse();
}

/** "for 3 min" (resolved), "for 3 min so far" (still firing). */
export function episodeSpan(e: AlertEpisode, now: number): string {
  return e.resolvedAt === null
    ? `for ${spanWords(now - e.firedAt)} so far`
    : `for ${spanWords(e.resolvedAt - e.firedAt)}`;
}

/** "fired 10:14:05 today, resolved 10:17:05 today (for 3 min)", for screen readers and titles. */
export function episodeWords(e: AlertEpisode, now: number, opts: TimeLabelOptions = {}): string {
  const fired = `fired ${momentLabel(e.firedAt, now, opts)}`;
  if (e.resolvedAt === null) return `${fired}, still firing (${episodeSpan(e, now)})`;
  return `${fired}, resolved ${momentLabel(e.resolvedAt, now, opts)} (${episodeSpan(e, now)})`;
}
