import {
  DEFAULT_FILTER,
  type DiagnoseNextStep,
  type DiagnoseProblemKind,
  type FilterState,
  serializeFilter,
} from '@weft/protocol';

/** Where the pair is on the dashboard: map node ids of both ends, the source pod, the time selected. */
export interface PairPlace {
  /** `pod:ns/name`, `wl:ns/name`, `ns:ns`, `node:n`, `world`: the finest id both sides share; null if none. */
  srcId: string | null;
  dstId: string | null;
  /** Filters that find the source's DNS clients (`pod` or `workload` or `namespace`). */
  dnsClient: Partial<FilterState>;
  port: number | null;
  /** An address to search for when a side has no map node of its own. */
  q: string;
  time: Pick<FilterState, 'from' | 'to' | 'at'>;
}

function href(patch: Partial<FilterState>, p: PairPlace): string {
  return `/?${serializeFilter({ ...DEFAULT_FILTER, ...p.time, ...patch })}`;
}

function pairFilter(p: PairPlace): Partial<FilterState> {
  return {
    ...(p.srcId && p.dstId ? { focus: `${p.srcId}->${p.dstId}` } : p.q ? { q: p.q } : {}),
    ...(p.port !== null ? { port: p.port } : {}),
  };
}

/** The flows of this pair, always; then what the problem calls for. */
export function nextSteps(
  kind: DiagnoseProblemKind | 'healthy' | 'no_traffic',
  p: PairPlace,
): DiagnoseNextStep[] {
  const flows = { label: 'Open the flows of this pair', href: href({ view: 'flows', ...pairFilter(p) }, p) };
  switch (kind) {
    case 'blocked':
      return [
        {
          label: 'See the policy drops between them',
          href: href({ view: 'drops', ...pairFilter(p), reason: 'policy_drop' }, p),
        },
        flows,
      ];
    case 'dropped':
      return [
        { label: 'See the drops between them', href: href({ view: 'drops', ...pairFilter(p) }, p) },
        flows,
      ];
    case 'dns_failure':
    case 'dns_slow':
      return [
        { label: "See the source's DNS answers", href: href({ view: 'dns', ...p.dnsClient }, p) },
        flows,
      ];
    case 'refused':
    case 'timeout':
    case 'reset':
    case 'degraded':
      return [
        { label: 'See the TCP connections of this pair', href: href({ view: 'tcp', ...pairFilter(p) }, p) },
        flows,
      ];
    case 'healthy':
    case 'no_traffic':
      return [
        flows,
        {
          label: 'Show the pair on the map',
          href: href(
            { view: 'map', level: 'pod', ...(p.srcId && p.dstId ? { focus: `${p.srcId}->${p.dstId}` } : {}) },
            p,
          ),
        },
      ];
  }
}
