import { type Level, nodeIdOf, type WhatIfResponse } from '@weft/protocol';
import type { MapModel } from './mapModel.js';

/** Map edge id -> what the what-if says of it ("would be denied by production/api-ingress"). */
export function whatIfEdgeWords(answer: WhatIfResponse, level: Level): Map<string, string> {
  const by = new Map<string, Set<string>>();
  for (const f of answer.flows) {
    const id = `${nodeIdOf(f.client, level)}->${nodeIdOf(f.server, level)}`;
    const set = by.get(id) ?? new Set<string>();
    if (f.finding.policy) set.add(`${f.finding.policy.namespace}/${f.finding.policy.name}`);
    by.set(id, set);
  }
  return new Map(
    [...by].map(([id, policies]) => [
      id,
      policies.size > 0 ? `would be denied by ${[...policies].join(', ')}` : 'would be denied',
    ]),
  );
}

/**
 * The model with the edges a what-if would deny marked as compare marks a rise (the red halo), the
 * words in their tooltip; the count of edges marked. Edges the window on screen lacks stay unmarked.
 */
export function markWhatIf(
  model: MapModel,
  answer: WhatIfResponse,
  level: Level,
): { model: MapModel; marked: number } {
  const words = whatIfEdgeWords(answer, level);
  let marked = 0;
  const edges = model.edges.map((e) => {
    const w = words.get(e.data.id);
    if (!w) return e;
    marked++;
    return {
      data: { ...e.data, rose: true, changed: e.data.changed ? `${e.data.changed}, ${w}` : w },
      classes: e.classes.includes(' c-rose') ? e.classes : `${e.classes} c-rose`,
    };
  });
  return { model: marked > 0 ? { ...model, edges } : model, marked };
}
