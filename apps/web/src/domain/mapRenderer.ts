/**
 * Which renderer draws the map. Cytoscape (curved, labelled edges, arrows, its own hit-testing) is
 * used up to a few thousand edges; past that its per-element cost dominates (bench/web/RESULTS.md)
 * and the canvas renderer takes over. Two thresholds, so a graph hovering around one does not swap
 * renderers (and lose the view) every second.
 */
export const CANVAS_ABOVE_EDGES = 1500;
export const CYTOSCAPE_BELOW_EDGES = 1200;

export function wantsCanvas(edges: number, canvasNow: boolean): boolean {
  return canvasNow ? edges >= CYTOSCAPE_BELOW_EDGES : edges > CANVAS_ABOVE_EDGES;
}
