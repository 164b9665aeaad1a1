import {
  DIAGNOSE_PROBLEM_ORDER,
  type DiagnoseEvidence,
  type DiagnoseProblemKind,
  type DiagnoseStepId,
  type DiagnoseVerdict,
  formatByteRate,
  formatRate,
} from '@weft/protocol';
import { round } from '../store/window.js';

/** Thresholds of the rules; `dnsSlowMs` is a server setting (WEFT_DIAGNOSE_DNS_SLOW_MS). */
export interface RuleSettings {
  dnsSlowMs: number;
  /** The seed's latency alarm: p99 connect latency over 0.1 s. */
  connectSlowMs: number;
  rttSlowMs: number;
  /** Retransmitted or dropped packets as a share of the pair's packets before they are a problem. */
  lossRatio: number;
}

export const DEFAULT_RULES: Omit<RuleSettings, 'dnsSlowMs'> = {
  connectSlowMs: 100,
  rttSlowMs: 100,
  lossRatio: 0.01,
};

/** A few stray packets on a quiet pair are not a lossy path: the ratio rules want at least this many. */
const MIN_LOST = 3;

/** The figures the four steps judge, gathered from the store for one pair over one window. */
export interface PairFacts {
  seconds: number;
  /** Packets and bytes both ways. */
  packets: number;
  bytes: number;
  policyDrops: number;
  /** Drops for any other reason, by reason and side (`request`/`reply`) and kernel direction. */
  drops: { side: 'request' | 'reply'; reason: string; dir: string; packets: number }[];
  dnsQueries: number;
  dnsFailed: number;
  dnsP95Ms: number | null;
  /** Failed lookups of names that lead to the destination, most first. */
  lookups: { qname: string; rcode: string; count: number }[];
  /** The source's other failing lookups (not the destination's names), most first. */
  otherLookups: { qname: string; rcode: string; count: number }[];
  connects: number;
  refused: number;
  timeouts: number;
  resets: number;
  connectP50Ms: number | null;
  connectP95Ms: number | null;
  connectP99Ms: number | null;
  rttMs: number | null;
  retransmits: number;
}

export interface RuledProblem {
  kind: DiagnoseProblemKind;
  step: DiagnoseStepId;
  summary: string;
  evidence: DiagnoseEvidence[];
}

export interface RuledStep {
  id: DiagnoseStepId;
  title: string;
  status: 'ok' | 'problem' | 'no_data';
  rule: string;
  summary: string;
  evidence: DiagnoseEvidence[];
}

export interface Judgement {
  steps: RuledStep[];
  /** Worst first (DIAGNOSE_PROBLEM_ORDER), then by step order. */
  problems: RuledProblem[];
  verdict: DiagnoseVerdict;
  /** The verdict in words with its evidence. */
  summary: string;
}

export const fmtMs = (ms: number | null) =>
  ms === null ? 'n/a' : ms < 10 ? `${round(ms, 1)} ms` : `${Math.round(ms)} ms`;

const ev = (label: string, value: string | number): DiagnoseEvidence => ({ label, value: String(value) });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A step's status follows from its problems and nothing else: the two cannot disagree. */
function step(
  id: DiagnoseStepId,
  title: string,
  rule: string,
  hasData: boolean,
  problems: RuledProblem[],
  quiet: string,
  evidence: DiagnoseEvidence[],
): RuledStep {
  const status = problems.length > 0 ? 'problem' : hasData ? 'ok' : 'no_data';
  const summary = problems.length > 0 ? problems.map((p) => p.summary).join('; ') : quiet;
  return { id, title, status, rule, summary, evidence };
}

function dropsStep(f: PairFacts, r: RuleSettings): [RuledStep, RuledProblem[]] {
  const problems: RuledProblem[] = [];
  const byReason = new Map<string, number>();
  for (const d of f.drops) byReason.set(d.reason, (byReason.get(d.reason) ?? 0) + d.packets);
  const other = [...byReason.values()].reduce((a, b) => a + b, 0);
  // The place a policy explanation (which NetworkPolicy, which rule) joins the kernel's evidence.
  const evidence = [
    ev('policy drops', `${f.policyDrops} packets (${formatRate(f.policyDrops / f.seconds)})`),
    ...f.drops.map((d) => ev(`${d.side} drops, ${d.reason} (${d.dir})`, `${d.packets} packets`)),
  ];
  if (f.policyDrops > 0)
    problems.push({
      kind: 'blocked',
      step: 'policy_drops',
      summary: `blocked by network policy: ${plural(f.policyDrops, 'packet')} dropped (${formatRate(f.policyDrops / f.seconds)})`,
      evidence: evidence.filter((e) => e.label === 'policy drops' || e.label.includes('policy_drop')),
    });
  const lossy = other >= MIN_LOST && other >= r.lossRatio * (f.packets + other + f.policyDrops);
  if (lossy) {
    const reasons = [...byReason.entries()].sort((a, b) => b[1] - a[1]);
    problems.push({
      kind: 'dropped',
      step: 'policy_drops',
      summary: `dropped by the kernel: ${reasons.map(([k, n]) => `${n} ${k}`).join(', ')}`,
      evidence: evidence.filter((e) => e.label !== 'policy drops' && !e.label.includes('policy_drop')),
    });
  }
  const hasData = f.packets > 0 || f.policyDrops > 0 || other > 0 || f.connects > 0;
  const quiet =
    other > 0
      ? `no policy drops; ${plural(other, 'packet')} dropped for other reasons (under ${r.lossRatio * 100}% of the traffic)`
      : 'no packets dropped between them';
  return [
    step(
      'policy_drops',
      'Check for network policy drops',
      `problem when any packet between them is dropped by policy, or when kernel drops reach ${r.lossRatio * 100}% of the packets`,
      hasData,
      problems,
      quiet,
      evidence,
    ),
    problems,
  ];
}

function dnsStep(f: PairFacts, r: RuleSettings): [RuledStep, RuledProblem[]] {
  const problems: RuledProblem[] = [];
  const failed = f.lookups.reduce((a, l) => a + l.count, 0);
  const evidence = [
    ev('queries', f.dnsQueries),
    ev('failed', f.dnsFailed),
    ev('p95 lookup time', fmtMs(f.dnsP95Ms)),
    ...[...f.lookups, ...f.otherLookups].slice(0, 5).map((l) => ev(`${l.rcode} ${l.qname}`, l.count)),
  ];
  if (failed > 0) {
    const top = f.lookups[0]!;
    const rcodes = [...new Set(f.lookups.map((l) => l.rcode))];
    problems.push({
      kind: 'dns_failure',
      step: 'dns',
      summary: `DNS ${rcodes.join('/')} for ${shortName(top.qname)} (${plural(failed, 'failed lookup')})`,
      evidence: [
        ...f.lookups.slice(0, 5).map((l) => ev(`${l.rcode} ${l.qname}`, l.count)),
        ev('queries', f.dnsQueries),
      ],
    });
  }
  if (f.dnsP95Ms !== null && f.dnsP95Ms > r.dnsSlowMs)
    problems.push({
      kind: 'dns_slow',
      step: 'dns',
      summary: `DNS slow: p95 lookup time ${fmtMs(f.dnsP95Ms)} over ${plural(f.dnsQueries, 'lookup')} (threshold ${r.dnsSlowMs} ms)`,
      evidence: [
        ev('p95 lookup time', fmtMs(f.dnsP95Ms)),
        ev('threshold', `${r.dnsSlowMs} ms`),
        ev('queries', f.dnsQueries),
      ],
    });
  const otherFailed = f.otherLookups.reduce((a, l) => a + l.count, 0);
  const quiet =
    f.dnsQueries === 0
      ? 'no DNS queries from the source in the window'
      : `${plural(f.dnsQueries, 'lookup')}, p95 ${fmtMs(f.dnsP95Ms)}${
          otherFailed > 0
            ? `; ${otherFailed} failed for other names (${shortName(f.otherLookups[0]!.qname)}), none for the destination`
            : ', all answered'
        }`;
  return [
    step(
      'dns',
      'Check DNS resolution',
      `problem when a lookup of the destination's names fails (NXDOMAIN, SERVFAIL, no answer...), or when the source's p95 lookup time is over ${r.dnsSlowMs} ms`,
      f.dnsQueries > 0,
      problems,
      quiet,
      evidence,
    ),
    problems,
  ];
}

function tcpStep(f: PairFacts): [RuledStep, RuledProblem[]] {
  const failures = f.refused + f.timeouts + f.resets;
  const ok = f.connects - failures;
  const of = `of ${plural(f.connects, 'connection')}`;
  const problems: RuledProblem[] = [];
  const counts = [ev('attempts', f.connects), ev('established', ok)];
  if (f.refused > 0)
    problems.push({
      kind: 'refused',
      step: 'tcp',
      summary: `connection refused: ${f.refused} ${of} answered with RST (nothing listening)`,
      evidence: [...counts, ev('refused', f.refused)],
    });
  if (f.timeouts > 0)
    problems.push({
      kind: 'timeout',
      step: 'tcp',
      summary: `connection timed out: ${f.timeouts} ${of} never answered${f.retransmits > 0 ? ` (${plural(f.retransmits, 'retransmit')} seen)` : ''}`,
      evidence: [...counts, ev('timed out', f.timeouts), ev('retransmits', f.retransmits)],
    });
  if (f.resets > 0)
    problems.push({
      kind: 'reset',
      step: 'tcp',
      summary: `connection reset: ${f.resets} ${of} reset by the peer`,
      evidence: [...counts, ev('reset', f.resets)],
    });
  return [
    step(
      'tcp',
      'Check TCP connection attempts',
      'problem when any connection attempt is refused, times out (SYN unanswered) or is reset',
      f.connects > 0,
      problems,
      f.connects === 0
        ? 'no TCP connection attempts seen'
        : `${plural(f.connects, 'connection')}, all established`,
      [...counts, ev('refused', f.refused), ev('timed out', f.timeouts), ev('reset', f.resets)],
    ),
    problems,
  ];
}

function latencyStep(f: PairFacts, r: RuleSettings): [RuledStep, RuledProblem[]] {
  const reasons: string[] = [];
  if (f.connectP99Ms !== null && f.connectP99Ms > r.connectSlowMs)
    reasons.push(`p99 connect latency ${fmtMs(f.connectP99Ms)} (over ${r.connectSlowMs} ms)`);
  if (f.rttMs !== null && f.rttMs > r.rttSlowMs)
    reasons.push(`RTT ${fmtMs(f.rttMs)} (over ${r.rttSlowMs} ms)`);
  if (f.retransmits >= MIN_LOST && f.retransmits >= r.lossRatio * f.packets)
    reasons.push(`${plural(f.retransmits, 'retransmit')} in ${plural(f.packets, 'packet')}`);
  const evidence = [
    ev('connect p50', fmtMs(f.connectP50Ms)),
    ev('connect p95', fmtMs(f.connectP95Ms)),
    ev('connect p99', fmtMs(f.connectP99Ms)),
    ev('smoothed RTT', fmtMs(f.rttMs)),
    ev('retransmits', f.retransmits),
    ev('packets', f.packets),
  ];
  const problems: RuledProblem[] =
    reasons.length > 0
      ? [
          {
            kind: 'degraded',
            step: 'latency',
            summary: `slow or lossy path: ${reasons.join(', ')}`,
            evidence,
          },
        ]
      : [];
  const hasData = f.connectP95Ms !== null || f.rttMs !== null;
  return [
    step(
      'latency',
      'Check latency and retransmits',
      `problem when p99 connect latency is over ${r.connectSlowMs} ms, the smoothed RTT over ${r.rttSlowMs} ms, or retransmits reach ${r.lossRatio * 100}% of the packets`,
      hasData,
      problems,
      hasData
        ? `p95 connect latency ${fmtMs(f.connectP95Ms)}, p99 ${fmtMs(f.connectP99Ms)}, RTT ${fmtMs(f.rttMs)}, ${plural(f.retransmits, 'retransmit')}`
        : 'no latency samples',
      evidence,
    ),
    problems,
  ];
}

const RANK = new Map<DiagnoseProblemKind, number>(DIAGNOSE_PROBLEM_ORDER.map((k, i) => [k, i]));

/** Worst first; a stable sort keeps step order within one kind. */
export function worstFirst<P extends { kind: DiagnoseProblemKind }>(problems: P[]): P[] {
  return [...problems].sort((a, b) => RANK.get(a.kind)! - RANK.get(b.kind)!);
}

/**
 * The four steps, each judged by its own rule, and the verdict: the worst problem any step found,
 * stated with its evidence. No problem: healthy when the pair exchanged anything, no traffic otherwise.
 */
export function judge(f: PairFacts, r: RuleSettings): Judgement {
  const parts = [dropsStep(f, r), dnsStep(f, r), tcpStep(f), latencyStep(f, r)];
  const steps = parts.map(([s]) => s);
  const problems = worstFirst(parts.flatMap(([, p]) => p));
  const worst = problems[0];
  if (worst) return { steps, problems, verdict: worst.kind, summary: worst.summary };
  const established = f.connects - f.refused - f.timeouts - f.resets;
  if (established > 0)
    return {
      steps,
      problems,
      verdict: 'healthy',
      summary: `reachable, p95 connect latency ${fmtMs(f.connectP95Ms)}`,
    };
  if (f.bytes > 0)
    return {
      steps,
      problems,
      verdict: 'healthy',
      summary: `reachable, traffic flowing (${formatByteRate(f.bytes / f.seconds)}), no new connections in the window`,
    };
  return { steps, problems, verdict: 'no_traffic', summary: 'no traffic between them' };
}

/** `api-service.production.svc.cluster.local.` -> `api-service.production` */
export function shortName(qname: string): string {
  return qname.replace(/\.$/, '').replace(/\.svc(\.cluster\.local)?$/, '');
}
