import type { MapModel } from '../../domain/mapModel.js';
import {
  groupBox,
  type Scene,
  type SceneEdge,
  type SceneGroup,
  type SceneNode,
} from '../../domain/mapScene.js';

/** What a press landed on that can be dragged: a node, or a namespace box (cytoscape's compound node). */
export interface DragTarget {
  kind: 'node' | 'group';
  id: string;
}

/**
 * A node dragged on the canvas map, moved as cytoscape moves one: the node goes with the pointer,
 * its edges follow and the namespace box around it is fitted to its members again; a namespace
 * box moves with all its members. What a move touches is found once, at the press, so a pointer
 * move costs a few assignments instead of a pass over 10,000 edges.
 *
 * Only the scene on screen moves while dragging; on the drop the map pins the moved nodes in its
 * StableLayout, so later models draw them there (a model applied mid-drag redraws the node at its
 * slot, and the drag goes on from there, as cytoscape's does).
 */
export class NodeDrag {
  /** The nodes the drag moves (the node, or a box's members): what the drop pins. */
  readonly moving: SceneNode[];
  private readonly edges: { edge: SceneEdge; source: SceneNode; target: SceneNode }[] = [];
  /** The namespace box the drag moves, or the one around the dragged node that is refitted. */
  private readonly box: { group: SceneGroup; members: SceneNode[] } | null = null;

  /** `model` is the one `scene` was built from: it knows parents and edge ends, the scene does not. */
  constructor(
    readonly scene: Scene,
    model: MapModel,
    target: DragTarget,
  ) {
    const byId = new Map(scene.nodes.map((n) => [n.id, n]));
    const boxId =
      target.kind === 'group' ? target.id : model.nodes.find((n) => n.data.id === target.id)?.data.parent;
    const members: SceneNode[] = [];
    if (boxId) {
      for (const n of model.nodes) {
        const node = n.data.parent === boxId ? byId.get(n.data.id) : undefined;
        if (node) members.push(node);
      }
    }
    const node = byId.get(target.id);
    this.moving = target.kind === 'group' ? members : node ? [node] : [];
    const group = boxId ? scene.groups.find((g) => g.id === boxId) : undefined;
    if (group && members.length > 0) this.box = { group, members };

    const ids = new Set(this.moving.map((n) => n.id));
    const touched = new Map<string, { source: SceneNode; target: SceneNode }>();
    for (const e of model.edges) {
      if (!ids.has(e.data.source) && !ids.has(e.data.target)) continue;
      const source = byId.get(e.data.source);
      const target = byId.get(e.data.target);
      if (source && target) touched.set(e.data.id, { source, target });
    }
    if (touched.size === 0) return;
    for (const edge of scene.edges) {
      const ends = touched.get(edge.id);
      if (ends) this.edges.push({ edge, ...ends });
    }
  }

  /** Moves what is dragged by (dx, dy) map units. */
  moveBy(dx: number, dy: number): void {
    for (const n of this.moving) {
      n.x += dx;
      n.y += dy;
    }
    for (const { edge, source, target } of this.edges) {
      edge.sx = source.x;
      edge.sy = source.y;
      edge.tx = target.x;
      edge.ty = target.y;
    }
    // The box around the members, exactly as buildScene draws it.
    if (this.box) Object.assign(this.box.group, groupBox(this.box.members));
  }
}
