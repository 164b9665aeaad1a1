import type { LabPlan } from './addressPlan.js';

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
