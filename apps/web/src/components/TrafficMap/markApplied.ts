import type { MapModel } from '../../domain/mapModel.js';

/**
 * After either renderer applied a model: what it shows, on the wrapper (tests and the e2e suite read
 * these), and the apply time as a `weft-map-apply` measure (the benchmark observes it). The entries
 * are cleared at once: observers still see them, and the buffer must not grow for a page left open
 * for days.
 */
export function markApplied(box: HTMLElement, model: MapModel): void {
  box.dataset.nodes = String(model.nodes.length);
  box.dataset.edges = String(model.edges.length);
  box.dataset.dropEdges = String(model.edges.filter((e) => e.data.health === 'drops').length);
  box.dataset.ready = '1';
  performance.measure('weft-map-apply', 'weft-map-apply-start');
  performance.clearMarks('weft-map-apply-start');
  performance.clearMeasures('weft-map-apply');
}
