import type { AlertRule, AlertState } from '@weft/protocol';
import type { ServerConfig } from '../config.js';
import type { EdgeBucket } from '../store/edgeBucket.js';
import type { Store } from '../store/store.js';
import { StoreRead } from '../store/storeRead.js';
import { observedSeconds } from '../store/window.js';
import { type SeedRule, seedRules } from './seedRules.js';

/**
 * Transitions are kept for a day, so the alert list and the timeline can show when each rule fired and
 * resolved over the longest range they offer, and at most this many per rule: a rule flapping at every
 * evaluation (15 s) with `for: 0` would record 5,760 a day, so a pathological rule keeps its newest hours.
 */
export const HISTORY_MS = 86_400_000;
export const MAX_HISTORY = 3_000;

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
    const sum = new StoreRead(this.store, now).edgeSum(this.store.totals, { start, end: now + 1 });
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
      } else if (s.state === 'firing') {
        this.record(s, 'resolved', now);
        s.state = 'inactive';
        s.activeSince = null;
      } else if (s.state === 'pending') {
        // It never fired: nobody was alerted, and a rule hovering at its threshold would otherwise fill
        // the history with pending/inactive pairs and push its real firings out.
        if (s.history[s.history.length - 1]?.state === 'pending') s.history.pop();
        s.state = 'inactive';
        s.activeSince = null;
      }
      this.prune(s, now);
    }
  }

  private record(s: RuleState, state: string, at: number): void {
    s.history.push({ state, at, value: s.value });
  }

  /** Older than a day goes, except the transition still in force then (a firing that began before it). */
  private prune(s: RuleState, now: number): void {
    const h = s.history;
    let drop = 0;
    while (drop + 1 < h.length && h[drop + 1]!.at < now - HISTORY_MS) drop++;
    drop = Math.max(drop, h.length - MAX_HISTORY);
    if (drop > 0) h.splice(0, drop);
  }

  /** Every rule's fired and resolved transitions with start <= at < end, oldest first. */
  transitionsBetween(start: number, end: number): AlertTransition[] {
    const out: AlertTransition[] = [];
    for (const s of this.states)
      for (const h of s.history)
        if ((h.state === 'firing' || h.state === 'resolved') && h.at >= start && h.at < end)
          out.push({
            rule: s.rule.name,
            severity: s.rule.severity,
            state: h.state,
            at: h.at,
            value: h.value,
          });
    return out.sort((a, b) => a.at - b.at);
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
