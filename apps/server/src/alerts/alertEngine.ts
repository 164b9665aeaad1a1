import type { AlertRule, AlertState } from '@weft/protocol';
import type { ServerConfig } from '../config.js';
import { visitWindow } from '../store/buckets.js';
import { EdgeBucket } from '../store/edgeBucket.js';
import type { Store } from '../store/store.js';
import { observedSeconds } from '../store/window.js';
import { type SeedRule, seedRules } from './seedRules.js';

const MAX_HISTORY = 50;
/**
 * Fired and resolved transitions kept for the timeline: as long as the store keeps data (its minute
 * tier's retention, a day by default), and at most this many (newest kept). With the default `for` of
 * 5 minutes a rule fires and resolves at most every 10 minutes, under 900 transitions a day for the
 * three rules; a rule with `for` 0 flapping every round is cut to its newest 2,000.
 */
const MAX_TRANSITIONS = 2_000;

/** A rule firing or resolving, for the timeline's incidents. */
export interface AlertTransition {
  rule: string;
  severity: string;
  state: 'firing' | 'resolved';
  at: number;
  value: number | null;
}

interface RuleState {
  rule: SeedRule;
  state: AlertState;
  value: number | null;
  activeSince: number | null;
  lastEvaluated: number | null;
  history: { state: string; at: number; value: number | null }[];
}

/**
 * Evaluates the seed's rules over the store's cluster totals, the way Prometheus would: the value is a
 * rate over the rule's window; above the threshold it is pending, and firing once it has stayed there
 * for the rule's `for`; when it drops back a firing alert is recorded as resolved.
 */
export class AlertEngine {
  private readonly states: RuleState[];
  /** Every rule's fired and resolved transitions, oldest first. */
  private readonly transitions: AlertTransition[] = [];

  constructor(
    private readonly store: Store,
    private readonly config: ServerConfig,
  ) {
    this.states = seedRules(config).map((rule) => ({
      rule,
      state: 'inactive',
      value: null,
      activeSince: null,
      lastEvaluated: null,
      history: [],
    }));
  }

  /** Totals over the rule window ending at `now`. */
  private window(now: number): { sum: EdgeBucket; seconds: number } {
    const start = now - this.config.alertWindowS * 1000;
    const sum = new EdgeBucket(0);
    const t = this.store.totals;
    visitWindow(t.fine, t.coarse, start, now + 1, this.store.fineFrom(now), now, (b) => sum.merge(b));
    return { sum, seconds: observedSeconds(this.store, { start, end: now }) };
  }

  evaluate(now = this.store.now()): void {
    const { sum, seconds } = this.window(now);
    const hasData =
      Number.isFinite(this.store.dataStart) && this.store.dataEnd >= now - this.config.alertWindowS * 1000;
    for (const s of this.states) {
      let value: number | null;
      switch (s.rule.name) {
        case 'HighPacketDropRate':
          value = hasData ? sum.dropPackets / seconds : null;
          break;
        case 'HighDNSFailureRate':
          value = sum.dnsQueries > 0 ? sum.dnsErrors / sum.dnsQueries : null;
          break;
        case 'HighTCPConnectionFailures':
          value = hasData ? sum.failures / seconds : null;
          break;
      }
      s.value = value === null ? null : Math.round(value * 1e4) / 1e4;
      s.lastEvaluated = now;
      const active = value !== null && value > s.rule.threshold;
      if (active) {
        if (s.state === 'inactive') {
          s.activeSince = now;
          s.state = s.rule.forS === 0 ? 'firing' : 'pending';
          this.record(s, s.state, now);
        } else if (s.state === 'pending' && now - s.activeSince! >= s.rule.forS * 1000) {
          s.state = 'firing';
          this.record(s, 'firing', now);
        }
      } else if (s.state !== 'inactive') {
        this.record(s, s.state === 'firing' ? 'resolved' : 'inactive', now);
        s.state = 'inactive';
        s.activeSince = null;
      }
    }
  }

  private record(s: RuleState, state: string, at: number): void {
    s.history.push({ state, at, value: s.value });
    if (s.history.length > MAX_HISTORY) s.history.splice(0, s.history.length - MAX_HISTORY);
    if (state !== 'firing' && state !== 'resolved') return;
    const t = this.transitions;
    t.push({ rule: s.rule.name, severity: s.rule.severity, state, at, value: s.value });
    const oldest = at - this.config.coarseRetentionS * 1000;
    let gone = Math.max(0, t.length - MAX_TRANSITIONS);
    while (gone < t.length && t[gone]!.at < oldest) gone++;
    if (gone > 0) t.splice(0, gone);
  }

  /** Fired and resolved transitions with start <= at < end, oldest first. */
  transitionsBetween(start: number, end: number): AlertTransition[] {
    return this.transitions.filter((x) => x.at >= start && x.at < end);
  }

  rules(): AlertRule[] {
    return this.states.map((s) => ({
      name: s.rule.name,
      expr: s.rule.expr,
      threshold: s.rule.threshold,
      for: s.rule.forS,
      severity: s.rule.severity,
      summary: s.rule.summary,
      state: s.state,
      value: s.value,
      activeSince: s.activeSince,
      lastEvaluated: s.lastEvaluated,
      history: s.history.map((h) => ({ ...h })),
    }));
  }

  count(state: AlertState): number {
    return this.states.filter((s) => s.state === state).length;
  }
}
