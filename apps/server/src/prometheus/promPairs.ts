import type { PromVectorSample } from './prometheusClient.js';

/** One end of a series as its labels name it: namespace and pod label ('' where not filled). */
export interface LabelEnd {
  namespace: string;
  /** A pod name at metrics level `pod`, a workload name at `workload`, '' at `namespace` or off-cluster. */
  pod: string;
}

export const endKey = (e: LabelEnd) => `${e.namespace}/${e.pod}`;

export function sourceOf(m: Record<string, string>): LabelEnd {
  return { namespace: m.source_namespace ?? '', pod: m.source_pod ?? '' };
}

export function destinationOf(m: Record<string, string>): LabelEnd {
  return { namespace: m.destination_namespace ?? '', pod: m.destination_pod ?? '' };
}

/** A sample's value as a count (Prometheus sends strings; NaN and negatives count as nothing). */
export function sampleValue(s: PromVectorSample): number {
  const v = Number(s.value[1]);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * The DESIGN counting rule on metrics: a flow is seen at both pods' veths; egress is counted, ingress
 * only where the sender is behind no veth (no namespace: world or a node's host), as the store does.
 */
export function countsOnce(m: Record<string, string>): boolean {
  return m.direction !== 'ingress' || (m.source_namespace ?? '') === '';
}
