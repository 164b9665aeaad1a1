import type { DiagnoseResponse, PolicyFinding } from '@weft/protocol';

/** The finding in one line: `denied by production/api-ingress: ...`, or why none is named. */
export function findingWords(f: PolicyFinding): string {
  if (f.verdict === 'denied' && f.policy)
    return `${f.flow}: denied by ${f.policy.namespace}/${f.policy.name} (${f.direction}): ${f.explanation}`;
  return `${f.flow}: ${f.explanation}`;
}

/**
 * The policy drops step of a dropped or failing pair says which NetworkPolicy denies it, or that none
 * does: its evidence gets the sentence, the step the finding (`policyFinding`), and a policy that
 * denies the pair is named in the step's summary.
 */
export function withPolicyFinding(answer: DiagnoseResponse, finding: PolicyFinding | null): DiagnoseResponse {
  const step = answer.steps.find((s) => s.id === 'policy_drops');
  if (!finding || !step) return answer;
  step.policyFinding = finding;
  step.evidence.push({ label: 'NetworkPolicy', value: findingWords(finding) });
  if (finding.verdict === 'denied' && finding.policy)
    step.summary += `; denied by NetworkPolicy ${finding.policy.namespace}/${finding.policy.name}`;
  else if (step.status === 'problem' && finding.verdict === 'not_denied')
    step.summary += '; no NetworkPolicy denies this pair: look at the CNI or host firewall';
  return answer;
}
