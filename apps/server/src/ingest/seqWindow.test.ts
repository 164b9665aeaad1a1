import { MAX_SEQ_STEP, SEQ_STEP_PER_SECOND } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { SEQ_WINDOW, SeqWindow } from './seqWindow.js';

describe('SeqWindow', () => {
  it('finds a resent batch, takes one that was skipped, and counts one below the window as stored', () => {
    const w = new SeqWindow();
    expect(w.highest).toBe(-1);
    for (const s of [0, 1, 3]) {
      expect(w.check(s, 0, 0)).toBe('new');
      w.store(s, 0, 0);
    }
    expect([w.check(1, 0, 0), w.check(2, 0, 0), w.check(3, 0, 0), w.check(4, 0, 0)]).toEqual([
      'duplicate',
      'new',
      'duplicate',
      'new',
    ]);
    w.store(SEQ_WINDOW + 2, 0, 0);
    // 2 is now out of the window (stored or not, a collector never sends it again); 3, stored, is in it.
    expect([w.check(2, 0, 0), w.check(3, 0, 0), w.check(SEQ_WINDOW + 1, 0, 0)]).toEqual([
      'duplicate',
      'duplicate',
      'new',
    ]);
    // The bits the window moved past stand for new numbers: none of them is a duplicate.
    for (let s = 4; s <= SEQ_WINDOW + 1; s++) expect(w.check(s, 0, 0)).toBe('new');
  });

  it('takes any first number, then refuses a jump ahead past the step plausible since the last stored', () => {
    const w = new SeqWindow();
    expect(w.check(Number.MAX_SAFE_INTEGER - 1, 0, 0)).toBe('new');
    w.store(5_000, 0, 1_000);
    expect(w.check(5_000 + MAX_SEQ_STEP, 0, 1_000)).toBe('new');
    expect(w.check(5_000 + MAX_SEQ_STEP + 1, 0, 1_000)).toBe('implausible');
    expect(w.check(Number.MAX_SAFE_INTEGER, 0, 1_000)).toBe('implausible');
    // After an hour away, a collector's spool may have given up an hour of batches.
    const hour = 3_600_000;
    expect(w.check(5_000 + MAX_SEQ_STEP + 3600 * SEQ_STEP_PER_SECOND, 0, 1_000 + hour)).toBe('new');
    expect(w.check(5_000 + MAX_SEQ_STEP + 3600 * SEQ_STEP_PER_SECOND + 1, 0, 1_000 + hour)).toBe(
      'implausible',
    );
  });

  it('takes a batch later in time than the highest number as proof the highest was forged', () => {
    // The server restarted and holds nothing for this boot: a forger's 2^53-1 (ending a minute ahead) is
    // the first number it sees.
    const w = new SeqWindow();
    const t0 = 1_000_000;
    expect(w.check(Number.MAX_SAFE_INTEGER, t0 + 60_000, t0)).toBe('new');
    w.store(Number.MAX_SAFE_INTEGER, t0 + 60_000, t0);
    // The real collector's batches within that minute are hidden (taken for old resends) ...
    expect(w.check(700, t0 + 1_000, t0 + 1_000)).toBe('duplicate');
    // ... and the first one later than the forged batch takes the numbering back.
    expect(w.check(760, t0 + 61_000, t0 + 61_000)).toBe('rebase');
    w.store(760, t0 + 61_000, t0 + 61_000);
    expect(w.highest).toBe(760);
    expect(w.check(761, t0 + 62_000, t0 + 62_000)).toBe('new');
    expect(w.check(760, t0 + 61_000, t0 + 62_000)).toBe('duplicate');
    // Parts of one interval share its end: a lower-numbered part is not taken for a rebase.
    w.store(761, t0 + 62_000, t0 + 62_000);
    expect(w.check(759, t0 + 60_000, t0 + 62_000)).toBe('new');
    expect(w.check(761, t0 + 62_000, t0 + 62_000)).toBe('duplicate');
  });
});
