import type { Topology } from '../topology/topology.js';

export const SCENARIOS = ['default', 'clean'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function isScenario(s: string): s is Scenario {
  return (SCENARIOS as readonly string[]).includes(s);
}

/**
 * The topology a scenario runs: `clean` drops every item marked `trouble` (and pods only they use); a
 * fault's own clients are marked trouble with it.
 */
export function applyScenario(t: Topology, scenario: Scenario): Topology {
  if (scenario === 'default') return t;
  const keep = <T extends { trouble?: boolean | undefined }>(xs: T[] | undefined): T[] =>
    (xs ?? []).filter((x) => !x.trouble);
  const { dns, ...rest } = t;
  return {
    ...rest,
    pods: keep(t.pods),
    traffic: keep(t.traffic).filter((f) =>
      t.pods.some((p) => !p.trouble && p.namespace === f.from.namespace && p.workload === f.from.workload),
    ),
    lookups: keep(t.lookups),
    policies: keep(t.policies),
    faults: keep(t.faults),
    ...(dns && !dns.trouble ? { dns } : {}),
  };
}
