import type { FilterState, Incident, IncidentKind, ObjectChange, TimeWindow } from '@weft/protocol';

function incidentKind(c: ObjectChange): IncidentKind {
  if (c.kind === 'Service') return 'service_changed';
  if (c.kind === 'EndpointSlice') return 'endpoints_changed';
  if (c.kind === 'Pod') return c.change === 'restarted' ? 'pod_restarted' : 'pod_deleted';
  return 'workload_changed';
}

/** `Pod production/api-5d9-x2 restarted (restarts 1 -> 2)`. */
export function changeLabel(c: ObjectChange): string {
  const what = `${c.kind} ${c.namespace}/${c.name} ${c.change.replace('_', ' ')}`;
  return c.detail ? `${what} (${c.detail})` : what;
}

/**
 * Service, EndpointSlice, workload and pod changes in the range as timeline incidents ("what
 * changed"), those of the filter's namespaces when it names some.
 */
export function objectIncidents(
  changes: readonly ObjectChange[],
  f: FilterState,
  range: TimeWindow,
): Incident[] {
  const namespaces = new Set(f.namespace);
  return changes
    .filter((c) => c.at >= range.start && c.at <= range.end)
    .filter((c) => namespaces.size === 0 || namespaces.has(c.namespace))
    .map((c) => ({
      kind: incidentKind(c),
      at: c.at,
      label: changeLabel(c),
      object: { kind: c.kind, namespace: c.namespace, name: c.name },
    }));
}
