import { MAX_SEQ_STEP, SEQ_STEP_PER_SECOND } from '@weft/protocol';

/** Sequence numbers remembered below the highest one, for dedupe. */
export const SEQ_WINDOW = 4096;

export type SeqVerdict = 'new' | 'duplicate' | 'implausible';

/**
 * The sequence numbers stored for one collector boot, in a fixed 512 bytes: the highest, and a bit for
 * each of the SEQ_WINDOW below it. A resent batch is found here (duplicate); one older than the window
 * counts as stored (a collector resends in order, and welcome told it where the server stands). The
 * highest only moves forward by a plausible step (MAX_SEQ_STEP, plus SEQ_STEP_PER_SECOND for each
 * second since the last stored batch): a forged 2^53-1 would otherwise mark every future batch of that
 * boot as already seen.
 */
export class SeqWindow {
  private max = -1;
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

  check(seq: number, now: number): SeqVerdict {
    if (seq > this.max) return seq > this.limit(now) ? 'implausible' : 'new';
    if (seq <= this.max - SEQ_WINDOW) return 'duplicate';
    return this.has(seq) ? 'duplicate' : 'new';
  }

  /** Records `seq` as stored (check said 'new'). */
  store(seq: number, now: number): void {
    if (seq > this.max) {
      // The bits of the numbers the window moves past now stand for the new ones: none stored yet.
      if (this.max < 0 || seq - this.max >= SEQ_WINDOW) this.bits.fill(0);
      else for (let s = this.max + 1; s <= seq; s++) this.set(s, false);
      this.max = seq;
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
