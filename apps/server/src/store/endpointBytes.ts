import type { Endpoint } from '@weft/protocol';

/**
 * Estimated bytes of an endpoint object and its eight strings (object and string headers, one byte a
 * character): the unit the memory shares of the flow ring and the interner count in.
 */
export function endpointBytes(e: Endpoint): number {
  return (
    224 +
    e.ip.length +
    e.kind.length +
    e.namespace.length +
    e.name.length +
    e.workloadKind.length +
    e.workload.length +
    e.service.length +
    e.node.length
  );
}
