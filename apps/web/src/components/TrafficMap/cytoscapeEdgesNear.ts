import type { Core, EdgeSingular } from 'cytoscape';
import { closeEdges, type EdgeNear, edgePath, pathDistance } from '../../domain/edgeChooser.js';

/** Screen pixels a tap may miss an edge by, as the canvas renderer's hit test allows (sceneHit.ts). */
const SLOP_PX = 4;

/**
 * The edges a tap on cytoscape edge `tapped` at model point `at` should offer (closeEdges): each edge's
 * drawn path (its Bézier through cytoscape's own control points, or its straight line) measured
 * against the tap. A tap cytoscape gave an edge by its label or arrow, off its line, picks that edge.
 */
export function cytoscapeEdgesNear(cy: Core, tapped: EdgeSingular, at: { x: number; y: number }): string[] {
  const zoom = cy.zoom();
  const near: EdgeNear[] = [];
  let own: number | null = null;
  cy.edges().forEach((edge) => {
    if (edge.isLoop() || !edge.visible()) return;
    const controls = edge.controlPoints?.() ?? [];
    const d = pathDistance(at, edgePath(edge.sourceEndpoint(), controls, edge.targetEndpoint())) * zoom;
    const reach = (Number(edge.data('width')) || 1) * zoom * 0.5 + SLOP_PX;
    if (edge.same(tapped)) own = d;
    if (d <= reach) near.push({ id: edge.id(), d });
  });
  const ownReach = (Number(tapped.data('width')) || 1) * zoom * 0.5 + SLOP_PX;
  if (own === null || own > ownReach) return [tapped.id()];
  return closeEdges(near);
}
