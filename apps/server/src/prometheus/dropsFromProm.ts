import type { DropPair, DropsResponse, FilterState, TimeWindow } from '@weft/protocol';
import type { PromVectorSample } from './prometheusClient.js';
import { destinationOf, type LabelEnd, sampleValue, sourceOf } from './promPairs.js';
import type { DropsQueryName } from './promQueries.js';

const TOP_PAIRS = 20;

/** endpointLabel for a metrics end: `ns/pod`, the namespace alone at namespace level, `world` off-cluster. */
function label(e: LabelEnd): string {
  if (e.namespace === '') return 'world';
  return e.pod === '' ? e.namespace : `${e.namespace}/${e.pod}`;
}

function keep(f: FilterState, a: LabelEnd, b: LabelEnd): boolean {
  if (f.namespace.length > 0 && !f.namespace.includes(a.namespace) && !f.namespace.includes(b.namespace))
    return false;
  if (f.pod && label(a) !== f.pod && label(b) !== f.pod) return false;
  return true;
}

/** The drops panel from networkobservability_drop_count / _bytes, shaped as the store's answer. */
export function dropsFromProm(
  answers: Record<DropsQueryName, PromVectorSample[]>,
  f: FilterState,
  win: TimeWindow,
): DropsResponse {
  const bytesOf = new Map<string, number>();
  const key = (m: Record<string, string>) =>
    [m.reason, m.direction, m.source_namespace, m.source_pod, m.destination_namespace, m.destination_pod]
      .map((v) => v ?? '')
      .join('\u001f');
  for (const s of answers.bytes)
    bytesOf.set(key(s.metric), (bytesOf.get(key(s.metric)) ?? 0) + sampleValue(s));
  const byReason = new Map<string, { packets: number; bytes: number }>();
  const byDirection = new Map<string, number>();
  const pairs = new Map<string, DropPair>();
  let packets = 0;
  let bytes = 0;
  for (const s of answers.packets) {
    const n = Math.round(sampleValue(s));
    if (n === 0) continue;
    const m = s.metric;
    const reason = m.reason ?? '';
    if (f.reason && reason !== f.reason) continue;
    const src = sourceOf(m);
    const dst = destinationOf(m);
    if (!keep(f, src, dst)) continue;
    const b = Math.round(bytesOf.get(key(m)) ?? 0);
    const direction = m.direction ?? '';
    packets += n;
    bytes += b;
    const r = byReason.get(reason) ?? { packets: 0, bytes: 0 };
    r.packets += n;
    r.bytes += b;
    byReason.set(reason, r);
    byDirection.set(direction, (byDirection.get(direction) ?? 0) + n);
    const source = label(src);
    const destination = label(dst);
    const k = `${source}\u001f${destination}\u001f${reason}\u001f${direction}`;
    const p = pairs.get(k);
    if (p) {
      p.packets += n;
      p.bytes += b;
    } else pairs.set(k, { source, destination, reason, direction, packets: n, bytes: b });
  }
  return {
    start: win.start,
    end: win.end,
    packets,
    bytes,
    byReason: [...byReason.entries()]
      .map(([reason, v]) => ({ reason, ...v }))
      .sort((a, b) => b.packets - a.packets || (a.reason < b.reason ? -1 : 1)),
    byDirection: [...byDirection.entries()]
      .map(([direction, n]) => ({ direction, packets: n }))
      .sort((a, b) => b.packets - a.packets),
    topPairs: [...pairs.values()].sort((a, b) => b.packets - a.packets).slice(0, TOP_PAIRS),
    source: 'prometheus',
  };
}
