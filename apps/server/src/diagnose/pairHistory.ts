import type { DiagnosePeriod, TimeWindow } from '@weft/protocol';
import { COARSE_MS, FINE_MS, type Tier } from '../store/buckets.js';
import type { DnsBucket } from '../store/dnsBucket.js';
import type { EdgeBucket } from '../store/edgeBucket.js';
import type { DnsSeries, EdgeSeries } from '../store/series.js';
import type { Store } from '../store/store.js';

/** The series of one diagnosed pair: source -> destination, the reverse, and the source's DNS. */
export interface PairSeries {
  forward: EdgeSeries[];
  reverse: EdgeSeries[];
  dns: DnsSeries[];
}

/**
 * A silence shorter than this keeps the state before it: a pair that talks every few seconds is not
 * "no traffic" between two requests, and a failing pair has not recovered until a request succeeds.
 */
export const QUIET_GAP_MS = 60_000;
/** Beyond this many periods the fine part is read in coarser slots (10 s, then 1 min), then cut to the newest. */
export const MAX_PERIODS = 200;
const FINE_SLOTS_MS = [FINE_MS, 10 * FINE_MS, COARSE_MS];

/** `traffic`: packets but no connect, drop or failed lookup to judge by (a long-lived connection, a RST). */
type SlotState = 'failing' | 'healthy' | 'traffic' | null;

class Slots {
  readonly t: Float64Array;
  readonly ok: Float64Array;
  readonly failed: Float64Array;
  readonly policy: Float64Array;
  readonly lookupsFailed: Float64Array;
  readonly activity: Float64Array;
  constructor(
    readonly n: number,
    readonly len: (i: number) => number,
  ) {
    this.t = new Float64Array(n);
    this.ok = new Float64Array(n);
    this.failed = new Float64Array(n);
    this.policy = new Float64Array(n);
    this.lookupsFailed = new Float64Array(n);
    this.activity = new Float64Array(n);
  }

  /**
   * Failing when packets were dropped by policy, when at least half the connects failed, or when the
   * source's lookups of the destination failed and nothing connected: the verdict's own rules, read
   * per slot (a few failures among many successes are not an outage to mark on the pair's timeline).
   */
  state(i: number): SlotState {
    if (this.activity[i] === 0) return null;
    const failing =
      this.policy[i]! > 0 ||
      (this.failed[i]! > 0 && this.failed[i]! >= this.ok[i]!) ||
      (this.lookupsFailed[i]! > 0 && this.ok[i] === 0);
    if (failing) return 'failing';
    return this.ok[i]! > 0 || this.failed[i]! > 0 ? 'healthy' : 'traffic';
  }
}

/**
 * The pair over `range`, oldest first, adjacent periods of one state merged: when it started failing,
 * when it recovered. Read from the pair's own buckets only: the 1 s tier where it still reaches (whole
 * minutes from there on), the 1 min tier before.
 */
export function pairHistory(
  store: Store,
  pair: PairSeries,
  lookupsFailed: (b: DnsBucket) => number,
  range: TimeWindow,
  now: number,
): DiagnosePeriod[] {
  if (range.end <= range.start) return [];
  // Nothing is kept before the 1 min tier's retention: a range reaching further back (now-999999d) is
  // no traffic there, not a billion empty slots to walk.
  const oldest = Math.floor((now - store.opts.coarseRetentionS * 1000) / COARSE_MS) * COARSE_MS - COARSE_MS;
  if (range.end <= oldest) return [{ state: 'no_traffic', start: range.start, end: range.end }];
  const held = { start: Math.max(range.start, oldest), end: range.end };
  let periods: DiagnosePeriod[] = [];
  for (const fineSlotMs of FINE_SLOTS_MS) {
    periods = toPeriods(fill(store, pair, lookupsFailed, held, now, fineSlotMs), held);
    if (periods.length <= MAX_PERIODS) break;
  }
  periods = periods.slice(-MAX_PERIODS);
  if (held.start > range.start && periods.length < MAX_PERIODS) {
    const first = periods[0];
    if (first?.state === 'no_traffic' && first.start === held.start) first.start = range.start;
    else periods.unshift({ state: 'no_traffic', start: range.start, end: held.start });
  }
  return periods;
}

function fill(
  store: Store,
  pair: PairSeries,
  lookupsFailed: (b: DnsBucket) => number,
  range: TimeWindow,
  now: number,
  fineSlotMs: number,
): Slots {
  // The first whole minute the fine tier holds: minutes before it come from the coarse tier.
  const split = Math.ceil(store.fineFrom(now) / COARSE_MS) * COARSE_MS;
  const coarseStart = Math.floor(range.start / COARSE_MS) * COARSE_MS;
  const coarseEnd =
    split <= range.start ? coarseStart : Math.min(split, Math.ceil(range.end / COARSE_MS) * COARSE_MS);
  const nCoarse = (coarseEnd - coarseStart) / COARSE_MS;
  const fineStart = Math.floor(Math.max(range.start, coarseEnd) / fineSlotMs) * fineSlotMs;
  const nFine = coarseEnd >= range.end ? 0 : Math.ceil((range.end - fineStart) / fineSlotMs);
  const slots = new Slots(nCoarse + nFine, (i) => (i < nCoarse ? COARSE_MS : fineSlotMs));
  for (let i = 0; i < nCoarse; i++) slots.t[i] = coarseStart + i * COARSE_MS;
  for (let i = 0; i < nFine; i++) slots.t[nCoarse + i] = fineStart + i * fineSlotMs;

  const visit = <B extends { t: number }>(
    s: { fine: Tier<B>; coarse: Tier<B> },
    add: (slot: number, b: B) => void,
  ) => {
    if (nCoarse > 0)
      for (let i = s.coarse.lowerBound(coarseStart); i < s.coarse.length; i++) {
        const t = s.coarse.timeAt(i);
        if (t >= coarseEnd) break;
        add((t - coarseStart) / COARSE_MS, s.coarse.at(i));
      }
    if (nFine > 0)
      for (let i = s.fine.lowerBound(fineStart); i < s.fine.length; i++) {
        const t = s.fine.timeAt(i);
        if (t >= range.end) break;
        add(nCoarse + Math.floor((t - fineStart) / fineSlotMs), s.fine.at(i));
      }
  };
  const edge = (forward: boolean) => (i: number, b: EdgeBucket) => {
    const policy = b.dropsFor('policy_drop');
    slots.policy[i]! += policy;
    slots.activity[i]! += b.bytes + b.packets + b.dropPackets + (forward ? b.connects : 0);
    if (!forward) return;
    slots.ok[i]! += b.connects - b.failures;
    slots.failed[i]! += b.failures;
  };
  for (const s of pair.forward) visit(s, edge(true));
  for (const s of pair.reverse) visit(s, edge(false));
  for (const s of pair.dns)
    visit(s, (i, b: DnsBucket) => {
      const n = lookupsFailed(b);
      slots.lookupsFailed[i]! += n;
      slots.activity[i]! += n;
    });
  return slots;
}

function toPeriods(slots: Slots, range: TimeWindow): DiagnosePeriod[] {
  const out: DiagnosePeriod[] = [];
  const push = (state: DiagnosePeriod['state'], start: number, end: number) => {
    const s = Math.max(start, range.start);
    const e = Math.min(end, range.end);
    if (e <= s) return;
    const last = out[out.length - 1];
    if (last && last.state === state && last.end === s) last.end = e;
    else out.push({ state, start: s, end: e });
  };
  let previous: 'failing' | 'healthy' | null = null;
  let i = 0;
  while (i < slots.n) {
    const slot = slots.state(i);
    if (slot !== null) {
      // Packets alone do not change the pair's state: the RSTs of refused connects are not a recovery.
      const state: 'failing' | 'healthy' = slot === 'traffic' ? (previous ?? 'healthy') : slot;
      push(state, slots.t[i]!, slots.t[i]! + slots.len(i));
      previous = state;
      i++;
      continue;
    }
    // A run of silent slots: short ones carry the state before them (see QUIET_GAP_MS).
    let j = i;
    while (j < slots.n && slots.state(j) === null) j++;
    const start = slots.t[i]!;
    const end = slots.t[j - 1]! + slots.len(j - 1);
    const quiet = Math.min(end, range.end) - Math.max(start, range.start);
    push(previous !== null && quiet < QUIET_GAP_MS ? previous : 'no_traffic', start, end);
    i = j;
  }
  return out;
}
