import {
  type FilterState,
  type Incident,
  parseNodeId,
  type TimelineResponse,
  type TimeWindow,
} from '@weft/protocol';
import type { AlertTransition } from '../alerts/alertEngine.js';
import { EdgeBucket } from '../store/edgeBucket.js';
import { BYTES, DNS_ERRORS, DROP_PACKETS, type EdgeTier, FAILURES } from '../store/edgeTier.js';
import { seriesFor } from '../store/graphQuery.js';
import { levelNode } from '../store/levelNode.js';
import { focusEdge, MATCH_ALL, type PairMatcher, pairMatcher } from '../store/match.js';
import type { EdgeSeries } from '../store/series.js';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';
import { round } from '../store/window.js';
import { dropTransitions } from './dropTransitions.js';
import { type TimelineGrid, timelineGrid } from './timelineGrid.js';

/** Incidents in one answer at most (the newest kept): markers closer than a pixel help no one. */
export const MAX_INCIDENTS = 200;
/** Numbers per step in the sums: EdgeTier's scalar columns. */
const SCALARS = 10;
/** Bucket times may lead the wall clock a little (node clock skew), as graphQuery allows. */
const SKEW_MS = 120_000;

export interface TimelineSources {
  /** The alert engine's fired and resolved transitions inside the range, oldest first. */
  alerts: AlertTransition[];
  /** The alert rules' window: the span an alert's value was computed over, for naming its edge. */
  alertWindowMs: number;
  now: number;
  /**
   * The newest second every collector has delivered (the context's liveEnd()), where the live map ends;
   * without it, the start of the current second.
   */
  liveEnd?: number;
}

/** Which column of the sums an alert rule watches (for the edge most involved in it). */
const RULE_COLUMN: Record<string, number> = {
  HighPacketDropRate: DROP_PACKETS,
  HighDNSFailureRate: DNS_ERRORS,
  HighTCPConnectionFailures: FAILURES,
};

/**
 * The series the strip sums for a filter, as cheaply as they answer it: the cluster totals when the
 * filter keeps every pair; the namespace rollups when it narrows by nothing finer than namespaces,
 * protocol, port or a namespace focus (rollups keep those apart); else every pod-level series that
 * matches (pod, workload, a finer focus, `q`: a pass over the store, still one sum per step per
 * matching series). `verdict` and `reason` do not narrow the strip: it always shows the traffic, drops
 * (of every reason), DNS errors and TCP failures of the matching pairs. `level` only matters for
 * incidents (the edge they name).
 */
function stripSeries(
  store: Store,
  f: FilterState,
): { list: readonly (EdgeSeries | null)[]; match: PairMatcher } {
  const match = pairMatcher(f);
  if (match === MATCH_ALL) return { list: [store.totals], match };
  const ends = focusEdge(f.focus) ?? (f.focus ? [f.focus] : []);
  const coarse = !f.pod && !f.workload && !f.q && ends.every((e) => parseNodeId(e)?.kind === 'ns');
  return { list: coarse ? store.rollupList.items : store.edgeList.items, match };
}

/** Adds each step's sums of `tier` to out[i * SCALARS + column], reading only the steps it has buckets in. */
function addSteps(tier: EdgeTier, g: TimelineGrid, out: Float64Array): void {
  const n = tier.length;
  if (n === 0 || g.count === 0) return;
  const step = g.stepS * 1000;
  const first = tier.lowerBound(g.start);
  if (first >= n) return;
  const from = Math.floor((tier.timeAt(first) - g.start) / step);
  const to = Math.min(g.count, Math.floor((tier.timeAt(n - 1) - g.start) / step) + 1);
  for (let i = from; i < to; i++) {
    const a = g.start + i * step;
    tier.addWindow(a, a + step, out, i * SCALARS);
  }
}

/** A series that may name an incident's edge: its edge at the request's level. */
interface Candidate {
  s: EdgeSeries;
  id: string;
  label: string;
}

/**
 * Names the edge (at the request's level, as the graph's ids) most involved in incidents: of the series
 * that had any drops, TCP failures or DNS errors in the range (one sum each, found on first use), the
 * edge whose series sum highest in the incident's column over its evidence window. The graph may fold
 * that edge's ends into `others` when the level is dense; the id is the unfolded one.
 */
class IncidentEdges {
  private candidates: Candidate[] | null = null;
  private withDns = false;
  private readonly row = new Float64Array(SCALARS);
  private readonly read: StoreRead;

  constructor(
    private readonly store: Store,
    private readonly f: FilterState,
    private readonly range: TimeWindow,
    now: number,
  ) {
    this.read = new StoreRead(store, now);
  }

  private sum(s: EdgeSeries, win: TimeWindow): Float64Array {
    this.row.fill(0);
    this.read.edgeRow(s, win, this.row);
    return this.row;
  }

  /**
   * `dns`: whether DNS errors are asked for. Drops and TCP connects mark a series `detail`, DNS answers
   * do not: without DNS incidents the pass reads only the few detail series of a 50,000-series store.
   */
  private list(dns: boolean): Candidate[] {
    if (this.candidates && (this.withDns || !dns)) return this.candidates;
    this.withDns = dns;
    const match = pairMatcher(this.f);
    const out: Candidate[] = [];
    const seenAfter = this.range.start - SKEW_MS;
    for (const s of seriesFor(this.store, this.f)) {
      if (!s || s.lastSeen < seenAfter || (!dns && !s.detail)) continue;
      if (!match(s.client, s.server, s.proto, s.port)) continue;
      const r = this.sum(s, this.range);
      if (r[DROP_PACKETS] === 0 && r[FAILURES] === 0 && r[DNS_ERRORS] === 0) continue;
      const a = levelNode(s.client, this.f.level);
      const b = levelNode(s.server, this.f.level);
      out.push({ s, id: `${a.id}->${b.id}`, label: `${a.label} -> ${b.label}` });
    }
    this.candidates = out;
    return out;
  }

  /** The edge with the most of `column` in `win` (ties: the smaller id), and its series. */
  top(column: number, win: TimeWindow): { id: string; label: string; series: EdgeSeries[] } | null {
    const byEdge = new Map<string, { label: string; n: number; series: EdgeSeries[] }>();
    for (const c of this.list(column === DNS_ERRORS)) {
      const n = this.sum(c.s, win)[column]!;
      if (n === 0) continue;
      let e = byEdge.get(c.id);
      if (!e) {
        e = { label: c.label, n: 0, series: [] };
        byEdge.set(c.id, e);
      }
      e.n += n;
      e.series.push(c.s);
    }
    let best: { id: string; label: string; series: EdgeSeries[]; n: number } | null = null;
    for (const [id, e] of byEdge)
      if (!best || e.n > best.n || (e.n === best.n && id < best.id)) best = { id, ...e };
    return best;
  }

  /** The drop reason with the most packets on `series` in `win`. */
  reason(series: EdgeSeries[], win: TimeWindow): string | null {
    const acc = new EdgeBucket(0);
    for (const s of series) this.read.edgeSum(s, win, acc);
    const byReason = new Map<string, number>();
    if (acc.drops)
      for (const c of acc.drops.values()) byReason.set(c.reason, (byReason.get(c.reason) ?? 0) + c.packets);
    let best: string | null = null;
    for (const [r, n] of byReason)
      if (best === null || n > byReason.get(best)! || (n === byReason.get(best) && r < best)) best = r;
    return best;
  }
}

function alertValue(a: AlertTransition): string {
  if (a.value === null) return '';
  return a.rule === 'HighDNSFailureRate' ? ` (${round(a.value * 100, 1)}%)` : ` (${round(a.value, 2)}/s)`;
}

/** An incident before its edge is named: what to look for and where. */
interface Pending {
  incident: Incident;
  column: number;
  evidence: TimeWindow;
}

/**
 * `/api/v1/timeline`: traffic, drops, DNS errors and TCP failures per second over the selection's range
 * (`range`, timeSelection.ts) on the grid timelineGrid chooses, and the incidents inside it: alerts that
 * fired or resolved (cluster-wide, whatever the filter) and the steps where the strip's drops started or
 * stopped, each naming the edge most involved where the store can tell.
 */
export function queryTimeline(
  store: Store,
  f: FilterState,
  range: TimeWindow,
  src: TimelineSources,
): TimelineResponse {
  const now = src.now;
  const newest = Math.floor((src.liveEnd ?? now) / 1000) * 1000;
  const g = timelineGrid(range, store.fineFrom(now), newest);
  const step = g.stepS * 1000;
  const sums = new Float64Array(g.count * SCALARS);
  const { list, match } = stripSeries(store, f);
  const seenAfter = g.start - SKEW_MS;
  for (const s of list) {
    if (!s) continue;
    if (s !== store.totals && (s.lastSeen < seenAfter || !match(s.client, s.server, s.proto, s.port)))
      continue;
    addSteps(g.fine ? s.fine : s.coarse, g, sums);
  }
  const t: number[] = new Array(g.count);
  const column = (k: number) => {
    const out: number[] = new Array(g.count);
    for (let i = 0; i < g.count; i++) out[i] = round(sums[i * SCALARS + k]! / g.stepS);
    return out;
  };
  for (let i = 0; i < g.count; i++) t[i] = g.start + i * step;
  const drops = new Float64Array(g.count);
  for (let i = 0; i < g.count; i++) drops[i] = sums[i * SCALARS + DROP_PACKETS]!;

  const pending: Pending[] = [];
  for (const a of src.alerts) {
    const fired = a.state === 'firing';
    pending.push({
      incident: {
        kind: fired ? 'alert_fired' : 'alert_resolved',
        at: a.at,
        label: fired ? `${a.rule} fired${alertValue(a)}` : `${a.rule} resolved`,
        rule: a.rule,
        severity: a.severity,
      },
      column: RULE_COLUMN[a.rule] ?? DROP_PACKETS,
      evidence: { start: a.at - src.alertWindowMs, end: a.at },
    });
  }
  for (const d of dropTransitions(drops)) {
    const at = g.start + d.step * step;
    const from = g.start + d.evidence * step;
    pending.push({
      incident: { kind: d.kind, at, label: d.kind === 'drops_started' ? 'drops started' : 'drops stopped' },
      column: DROP_PACKETS,
      evidence: { start: from, end: from + step },
    });
  }
  // Stable: at one time, alerts before drops (the order they were listed in).
  pending.sort((a, b) => a.incident.at - b.incident.at);
  const kept = pending.slice(Math.max(0, pending.length - MAX_INCIDENTS));
  const edges = new IncidentEdges(store, f, range, now);
  const incidents = kept.map(({ incident, column, evidence }) => {
    const top = edges.top(column, evidence);
    if (!top) return incident;
    incident.edge = top.id;
    if (incident.kind === 'drops_started' || incident.kind === 'drops_stopped') {
      const reason = edges.reason(top.series, evidence);
      incident.label = `${reason ? `${reason} ` : ''}${incident.label} on ${top.label}`;
    }
    return incident;
  });

  return {
    start: range.start,
    end: range.end,
    step: g.stepS,
    t,
    bytesPerSec: column(BYTES),
    dropsPerSec: column(DROP_PACKETS),
    dnsErrorsPerSec: column(DNS_ERRORS),
    tcpFailuresPerSec: column(FAILURES),
    incidents,
  };
}
