import { stringify } from 'yaml';
import type { NetworkPolicy } from './networkPolicy.js';
import { networkPolicyObject } from './networkPolicyObject.js';

/** Policies as multi-document YAML for kubectl apply (or `weft lab apply`), a header comment first. */
export function policiesYaml(policies: readonly NetworkPolicy[], header: readonly string[] = []): string {
  const head = header.map((l) => `# ${l}\n`).join('');
  const docs = policies.map((p) => stringify(networkPolicyObject(p), { lineWidth: 0 }));
  return head + docs.join('---\n');
}
