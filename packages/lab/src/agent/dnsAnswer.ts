import * as dnsPacket from 'dns-packet';
import type { DnsZoneEntry } from './agentConfig.js';
import type { DnsFaultRule } from './agentFaults.js';

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
export type AnswerRcode = keyof typeof RCODE;

export interface DnsDecision {
  /** null when the query cannot be parsed: no answer at all (like a server ignoring garbage). */
  response: Buffer | null;
  rcode: AnswerRcode | null;
  qname: string;
  delayMs: number;
}

export interface DnsBehaviour {
  zone: ReadonlyMap<string, DnsZoneEntry>;
  faults: readonly DnsFaultRule[];
  slowEvery: number;
  slowMs: number;
  ttl: number;
}

function under(name: string, rule: string | null): boolean {
  return rule === null || name === rule || name.endsWith(`.${rule}`);
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * The lab DNS server's decision for one query: answers from the zone (A/AAAA of the backend pods,
 * authoritative), NXDOMAIN for unknown names, with faults (SERVFAIL, NXDOMAIN, delay) applied by name.
 * `seq` counts queries so "every n-th answer is slow" is deterministic.
 */
export function answerDns(query: Buffer, b: DnsBehaviour, seq: number): DnsDecision {
  let q: dnsPacket.DecodedPacket;
  try {
    q = dnsPacket.decode(query);
  } catch {
    return { response: null, rcode: null, qname: '', delayMs: 0 };
  }
  if (q.type !== 'query') return { response: null, rcode: null, qname: '', delayMs: 0 };
  const question = q.questions?.[0];
  const qname = question ? normalizeName(question.name) : '';
  let delayMs = b.slowEvery > 0 && seq % b.slowEvery === b.slowEvery - 1 ? b.slowMs : 0;
  let rcode: AnswerRcode = 'NOERROR';
  let answers: dnsPacket.Answer[] = [];
  if (!question || q.questions?.length !== 1) {
    rcode = 'NOTIMP';
  } else {
    const rules = b.faults.filter((f) => under(qname, f.name));
    for (const r of rules)
      if (r.mode === 'slow' && (r.every <= 1 || seq % r.every === r.every - 1))
        delayMs = Math.max(delayMs, r.delayMs);
    const entry = b.zone.get(qname);
    if (rules.some((r) => r.mode === 'servfail')) rcode = 'SERVFAIL';
    else if (rules.some((r) => r.mode === 'nxdomain') || !entry) rcode = 'NXDOMAIN';
    else if (question.type === 'A')
      answers = entry.a.map((data) => ({ type: 'A', name: question.name, ttl: b.ttl, data }));
    else if (question.type === 'AAAA')
      answers = entry.aaaa.map((data) => ({ type: 'AAAA', name: question.name, ttl: b.ttl, data }));
  }
  const rd = q.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
  const response = dnsPacket.encode({
    type: 'response',
    id: q.id ?? 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | rd | RCODE[rcode],
    questions: question ? [question] : [],
    answers,
  });
  return { response, rcode, qname, delayMs };
}
