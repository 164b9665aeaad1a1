import { MAX_SEQ_STEP, SEQ_STEP_PER_SECOND } from '@weft/protocol';

/** Sequence numbers remembered below the highest one, for dedupe. */
export const SEQ_WINDOW = 4096;

export type SeqVerdict = 'new' | 'duplicate' | 'implausible' | 'rebase';

/**
 * The sequence numbers stored for one collector boot, in a fixed 512 bytes: the highest, and a bit for
 * each of the SEQ_WINDOW below it. A resent batch is found here (duplicate); one older than the window
 * counts as stored (a collector resends in order, and welcome told it where the server stands). The
 * highest only moves forward by a plausible step (MAX_SEQ_STEP, plus SEQ_STEP_PER_SECOND for each
 * second since the last stored batch): a forged 2^53-1 would otherwise mark every future batch of that
 * boot as already seen. Where the server holds nothing for a boot (after a restart) any first number is
 * taken, so a forged one could still set the highest: but one boot numbers its batches in time order, so a
 * batch that is later in time than the highest and lower in number shows the highest was not this boot's
 * (`rebase`): it is stored and becomes the highest. A forger's batch may end at most a minute ahead
 * (batchPlausibilityProblem), so it can hide a real collector's batches for that minute at most.
 */
export class SeqWindow {
  private max = -1;
  /** End time of the batch numbered `max`. */
  private maxEnd = Number.NEGATIVE_INFINITY;
  private storedAt = 0;
  private readonly bits = new Uint8Array(SEQ_WINDOW / 8);

  /** Highest sequence number stored, -1 if none. */
  get highest(): number {
    return this.max;
  }

  /** Most `seq` may be at `now` (the first one stored for a boot can be anything). */
  limit(now: number): number {
    if (this.max < 0) return Number.MAX_SAFE_INTEGER;
    const seconds = Math.max(0, now - this.storedAt) / 1000;
    return this.max + MAX_SEQ_STEP + Math.floor(seconds * SEQ_STEP_PER_SECOND);
  }

  /** What a batch numbered `seq` that ends at `end` is to this boot. */
  check(seq: number, end: number, now: number): SeqVerdict {
    if (seq > this.max) return seq > this.limit(now) ? 'implausible' : 'new';
    // Equal ends are the parts of one interval split into several batches.
    if (end > this.maxEnd) return 'rebase';
    if (seq <= this.max - SEQ_WINDOW) return 'duplicate';
    return this.has(seq) ? 'duplicate' : 'new';
  }

  /** Records `seq`, ending at `end`, as stored (check said 'new' or 'rebase'). */
  store(seq: number, end: number, now: number): void {
    if (end > this.maxEnd && seq < this.max) {
      this.bits.fill(0);
      this.max = seq;
      this.maxEnd = end;
    } else if (seq > this.max) {
      // The bits of the numbers the window moves past now stand for the new ones: none stored yet.
      if (this.max < 0 || seq - this.max >= SEQ_WINDOW) this.bits.fill(0);
      else for (let s = this.max + 1; s <= seq; s++) this.set(s, false);
      this.max = seq;
      this.maxEnd = end;
    }
    this.set(seq, true);
    this.storedAt = now;
  }

  private has(seq: number): boolean {
    const i = seq % SEQ_WINDOW;
    return (this.bits[i >> 3]! & (1 << (i & 7))) !== 0;
  }

  private set(seq: number, on: boolean): void {
    const i = seq % SEQ_WINDOW;
    if (on) this.bits[i >> 3]! |= 1 << (i & 7);
    else this.bits[i >> 3]! &= ~(1 << (i & 7));
  }
}
