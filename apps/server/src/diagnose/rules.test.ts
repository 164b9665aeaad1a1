import {
  DIAGNOSE_PROBLEM_ORDER,
  type DiagnoseProblemKind,
  DiagnoseProblemKind as Schema,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, judge, type PairFacts } from './rules.js';

const RULES = { ...DEFAULT_RULES, dnsSlowMs: 200 };

const BASE: PairFacts = {
  seconds: 10,
  packets: 0,
  bytes: 0,
  policyDrops: 0,
  drops: [],
  dnsQueries: 0,
  dnsFailed: 0,
  dnsP95Ms: null,
  lookups: [],
  otherLookups: [],
  connects: 0,
  refused: 0,
  timeouts: 0,
  resets: 0,
  connectP50Ms: null,
  connectP95Ms: null,
  connectP99Ms: null,
  rttMs: null,
  retransmits: 0,
};

/** One outcome of one step: the facts that produce it and the problems it must give. */
type Variant = [name: string, patch: Partial<PairFacts>, kinds: DiagnoseProblemKind[]];

const kernel = (packets: number) => [
  { side: 'request' as const, reason: 'no_socket', dir: 'ingress', packets },
];
const lookup = (rcode: string) => [{ qname: 'api.production.svc.cluster.local', rcode, count: 4 }];

const DROPS: Variant[] = [
  ['no packets', {}, []],
  ['packets, no drops', { packets: 500, bytes: 50_000 }, []],
  ['a stray kernel drop', { packets: 500, bytes: 50_000, drops: kernel(2) }, []],
  ['policy drops', { policyDrops: 6 }, ['blocked']],
  ['kernel drops', { packets: 100, bytes: 9000, drops: kernel(20) }, ['dropped']],
  ['policy and kernel drops', { packets: 100, policyDrops: 3, drops: kernel(20) }, ['blocked', 'dropped']],
];
const DNS: Variant[] = [
  ['no lookups', {}, []],
  ['answered', { dnsQueries: 20, dnsP95Ms: 4 }, []],
  ['other names fail', { dnsQueries: 20, dnsFailed: 4, dnsP95Ms: 4, otherLookups: lookup('NXDOMAIN') }, []],
  ['NXDOMAIN', { dnsQueries: 20, dnsFailed: 4, dnsP95Ms: 4, lookups: lookup('NXDOMAIN') }, ['dns_failure']],
  ['SERVFAIL', { dnsQueries: 20, dnsFailed: 4, dnsP95Ms: 4, lookups: lookup('SERVFAIL') }, ['dns_failure']],
  ['slow', { dnsQueries: 20, dnsP95Ms: 805 }, ['dns_slow']],
  ['at the threshold', { dnsQueries: 20, dnsP95Ms: 200 }, []],
  [
    'slow and failing',
    { dnsQueries: 20, dnsFailed: 4, dnsP95Ms: 900, lookups: lookup('TIMEOUT') },
    ['dns_failure', 'dns_slow'],
  ],
];
const TCP: Variant[] = [
  ['no attempts', {}, []],
  ['established', { connects: 10, connectP50Ms: 2, connectP95Ms: 3, connectP99Ms: 4 }, []],
  ['refused', { connects: 10, refused: 10 }, ['refused']],
  ['some time out', { connects: 10, timeouts: 3, connectP95Ms: 3, connectP99Ms: 4 }, ['timeout']],
  ['reset', { connects: 4, resets: 1 }, ['reset']],
  ['refused and timed out', { connects: 10, refused: 5, timeouts: 5 }, ['refused', 'timeout']],
];
const LATENCY: Variant[] = [
  ['no samples', {}, []],
  ['fast', { rttMs: 0.4 }, []],
  ['slow connects', { connectP95Ms: 90, connectP99Ms: 250 }, ['degraded']],
  ['high RTT', { rttMs: 180 }, ['degraded']],
  ['retransmits', { rttMs: 1, retransmits: 40 }, ['degraded']],
];

const RANK = (k: string) => DIAGNOSE_PROBLEM_ORDER.indexOf(k as DiagnoseProblemKind);

describe('diagnose rules', () => {
  it('keep the problem order and the schema the same', () => {
    expect(Schema.anyOf.map((s: { const: string }) => s.const)).toEqual([...DIAGNOSE_PROBLEM_ORDER]);
  });

  it('never let the verdict and the steps disagree, over every combination of step outcomes', () => {
    let combos = 0;
    for (const d of DROPS)
      for (const n of DNS)
        for (const t of TCP)
          for (const l of LATENCY) {
            combos++;
            const facts: PairFacts = { ...BASE, ...d[1], ...n[1], ...t[1], ...l[1] };
            // Packets from the drops variant decide whether retransmits are a share worth naming.
            if (l[0] === 'retransmits') facts.packets = Math.max(facts.packets, 100);
            const what = `${d[0]} / ${n[0]} / ${t[0]} / ${l[0]}`;
            const j = judge(facts, RULES);
            const kinds = j.problems.map((p) => p.kind);
            expect(new Set(kinds), what).toEqual(new Set([...d[2], ...n[2], ...t[2], ...l[2]]));
            // Worst first.
            for (let i = 1; i < kinds.length; i++)
              expect(RANK(kinds[i]!), what).toBeGreaterThanOrEqual(RANK(kinds[i - 1]!));
            // A step is a problem exactly when it gave one; its summary says it.
            for (const s of j.steps) {
              const mine = j.problems.filter((p) => p.step === s.id);
              expect(s.status === 'problem', `${what}: ${s.id}`).toBe(mine.length > 0);
              for (const p of mine) expect(s.summary).toContain(p.summary);
              expect(s.rule).toMatch(/^problem when /);
            }
            if (j.problems.length > 0) {
              expect(j.verdict, what).toBe(j.problems[0]!.kind);
              expect(j.summary).toBe(j.problems[0]!.summary);
              for (const p of j.problems) expect(p.evidence.length, `${what}: ${p.kind}`).toBeGreaterThan(0);
            } else {
              expect(['healthy', 'no_traffic'], what).toContain(j.verdict);
              expect(
                j.steps.every((s) => s.status !== 'problem'),
                what,
              ).toBe(true);
            }
          }
    expect(combos).toBe(DROPS.length * DNS.length * TCP.length * LATENCY.length);
  });

  it('calls a pair that exchanged something healthy, and one that did not no traffic', () => {
    expect(judge({ ...BASE, ...TCP[1]![1] }, RULES).verdict).toBe('healthy');
    expect(judge({ ...BASE, packets: 40, bytes: 4000 }, RULES).verdict).toBe('healthy');
    expect(judge({ ...BASE, dnsQueries: 3, dnsP95Ms: 2 }, RULES).verdict).toBe('no_traffic');
    expect(judge(BASE, RULES).verdict).toBe('no_traffic');
  });

  it('states slow DNS with its figure and the threshold, which is a setting', () => {
    const f = { ...BASE, dnsQueries: 120, dnsP95Ms: 805, connects: 10, connectP95Ms: 3, connectP99Ms: 3 };
    const j = judge(f, RULES);
    expect(j.verdict).toBe('dns_slow');
    expect(j.summary).toBe('DNS slow: p95 lookup time 805 ms over 120 lookups (threshold 200 ms)');
    expect(j.steps[1]!.rule).toContain('over 200 ms');
    expect(judge(f, { ...RULES, dnsSlowMs: 1000 }).verdict).toBe('healthy');
  });

  it('names the rcodes and the name of failing lookups', () => {
    const j = judge(
      {
        ...BASE,
        dnsQueries: 10,
        lookups: [
          { qname: 'api.payments.example', rcode: 'SERVFAIL', count: 6 },
          { qname: 'api.payments.example', rcode: 'NXDOMAIN', count: 1 },
        ],
      },
      RULES,
    );
    expect(j.summary).toBe('DNS SERVFAIL/NXDOMAIN for api.payments.example (7 failed lookups)');
    expect(j.problems[0]!.evidence).toContainEqual({ label: 'SERVFAIL api.payments.example', value: '6' });
  });
});
