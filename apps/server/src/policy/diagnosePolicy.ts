import { clockInWords, type DiagnoseResponse, durationInWords, type PolicyFinding } from '@weft/protocol';
import type { PolicyChange } from './policyContexts.js';

/** The finding in one line: `denied by production/api-ingress: ...`, or why none is named. */
export function findingWords(f: PolicyFinding): string {
  if (f.verdict === 'denied' && f.policy)
    return `${f.flow}: denied by ${f.policy.namespace}/${f.policy.name} (${f.direction}): ${f.explanation}`;
  return `${f.flow}: ${f.explanation}`;
}

/**
 * What changed: the denying policy's latest change before the window's end, said against when the
 * pair began failing (`created 40 s before these drops began`), or null when none is known.
 */
export function changeWords(
  answer: DiagnoseResponse,
  finding: PolicyFinding,
  changes: readonly PolicyChange[],
  now: number,
): string | null {
  const p = finding.policy;
  if (!p) return null;
  const last = changes
    .filter((c) => c.policy.namespace === p.namespace && c.policy.name === p.name && c.at <= answer.end)
    .at(-1);
  if (!last) return null;
  const failing = answer.history.filter((h) => h.state === 'failing').at(-1);
  const subject = `${p.namespace}/${p.name} was ${last.change}`;
  if (!failing || last.at > failing.start) return `${subject} at ${clockInWords(last.at, now)} UTC`;
  return `${subject} ${durationInWords(failing.start - last.at)} before these drops began`;
}

/**
 * The policy drops step of a dropped or failing pair says which NetworkPolicy denies it, or that none
 * does: its evidence gets the sentence (and when the policy last changed), the step the finding
 * (`policyFinding`), and a policy that denies the pair is named in the step's summary.
 */
export function withPolicyFinding(
  answer: DiagnoseResponse,
  finding: PolicyFinding | null,
  changes: readonly PolicyChange[] = [],
  now = Date.now(),
): DiagnoseResponse {
  const step = answer.steps.find((s) => s.id === 'policy_drops');
  if (!finding || !step) return answer;
  step.policyFinding = finding;
  step.evidence.push({ label: 'NetworkPolicy', value: findingWords(finding) });
  const changed = changeWords(answer, finding, changes, now);
  if (changed) step.evidence.push({ label: 'what changed', value: changed });
  let words: string | null = null;
  if (finding.verdict === 'denied' && finding.policy)
    words = `denied by NetworkPolicy ${finding.policy.namespace}/${finding.policy.name}`;
  else if (step.status === 'problem' && finding.verdict === 'not_denied')
    words = 'no NetworkPolicy denies this pair: look at the CNI or host firewall';
  if (!words) return answer;
  step.summary += `; ${words}`;
  // The verdict names the policy too: the blocked problem (and the summary when it is the verdict).
  const blocked = answer.problems.find((p) => p.kind === 'blocked');
  if (blocked) {
    blocked.summary += `; ${words}`;
    blocked.evidence.push({ label: 'NetworkPolicy', value: findingWords(finding) });
    if (answer.verdict === 'blocked') answer.summary += `; ${words}`;
  }
  return answer;
}
