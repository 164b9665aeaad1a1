import type { PolicyFinding as Finding } from '@weft/protocol';
import { Name } from '../Name/Name.js';

/** `production/api-ingress`, or what stands for none in the drops by policy. */
export function findingLabel(f: Pick<Finding, 'verdict' | 'policy'>): string {
  if (f.policy) return `${f.policy.namespace}/${f.policy.name}`;
  return f.verdict === 'not_denied'
    ? 'no NetworkPolicy denies these (CNI or host firewall?)'
    : 'NetworkPolicies not known yet';
}

/**
 * What the NetworkPolicies say of a dropped or failing pair: the policy that denies it and what it
 * allows (the explanation in the tooltip), or that none does. `compact`: one line for tables.
 */
export function PolicyFinding({ finding, compact = false }: { finding: Finding; compact?: boolean }) {
  const denied = finding.verdict === 'denied' && finding.policy;
  if (compact)
    return (
      <span
        className={`block truncate text-xs ${denied ? 'text-danger' : 'text-muted'}`}
        title={finding.explanation}
        data-testid="policy-finding"
      >
        {denied ? `denied by ${findingLabel(finding)}` : findingLabel(finding)}
      </span>
    );
  return (
    <div className="text-sm" data-testid="policy-finding" title={finding.explanation}>
      {denied ? (
        <>
          <p>
            <span className="font-semibold text-danger">Denied by NetworkPolicy </span>
            <Name value={findingLabel(finding)} max={48} />
            {finding.direction && <span className="text-muted"> ({finding.direction})</span>}
          </p>
          {finding.rule && <p className="text-xs text-muted">{finding.rule}</p>}
          <p className="text-xs text-muted">{finding.flow}</p>
        </>
      ) : (
        <p className="text-muted">{finding.explanation}</p>
      )}
    </div>
  );
}
