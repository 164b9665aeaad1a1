import type { LabPlan } from '../topology/addressPlan.js';

function set(items: readonly string[]): string {
  return `{ ${items.join(', ')} }`;
}

/**
 * The host-side safety net: nothing with a lab source leaves through a non-lab interface, and nothing
 * from a non-lab interface reaches a lab address. Lab interfaces all start with the prefix.
 */
export function guardRuleset(plan: LabPlan): string {
  const ifs = `"${plan.prefix}*"`;
  const lines: string[] = [];
  for (const [fam, ranges] of [
    ['ip', plan.ranges4],
    ['ip6', plan.ranges6],
  ] as const) {
    if (ranges.length === 0) continue;
    lines.push(`    ${fam} saddr ${set(ranges)} oifname != ${ifs} counter drop`);
    lines.push(`    ${fam} daddr ${set(ranges)} iifname != ${ifs} counter drop`);
  }
  const out: string[] = [];
  for (const [fam, ranges] of [
    ['ip', plan.ranges4],
    ['ip6', plan.ranges6],
  ] as const) {
    if (ranges.length === 0) continue;
    out.push(`    ${fam} saddr ${set(ranges)} oifname != ${ifs} oifname != "lo" counter drop`);
  }
  return [
    `table inet ${plan.guardTable} {`,
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
    ...lines,
    '  }',
    '  chain output {',
    '    type filter hook output priority -10; policy accept;',
    ...out,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * An ingress policy inside a pod: packets from these addresses are dropped by netfilter (the kernel
 * reports NETFILTER_DROP, shown as policy_drop). Replaces the table atomically; no addresses = no table.
 */
export function podPolicyRuleset(table: string, dropFrom: readonly string[]): string {
  const v4 = dropFrom.filter((a) => !a.includes(':'));
  const v6 = dropFrom.filter((a) => a.includes(':'));
  const lines = [`table inet ${table}`, `delete table inet ${table}`];
  if (v4.length + v6.length > 0) {
    lines.push(
      `table inet ${table} {`,
      '  chain input {',
      '    type filter hook input priority filter; policy accept;',
    );
    if (v4.length) lines.push(`    ip saddr ${set(v4)} counter drop`);
    if (v6.length) lines.push(`    ip6 saddr ${set(v6)} counter drop`);
    lines.push('  }', '}');
  }
  return `${lines.join('\n')}\n`;
}
