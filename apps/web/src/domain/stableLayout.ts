/**
 * Positions that survive live updates. A node keeps the slot it got when it first appeared; new
 * nodes take the next free slot, so the picture never reshuffles under the user's eyes.
 *
 * Compound groups (namespaces holding workloads or pods) stack in columns; each group lays its
 * children out in a grid whose width is fixed when the group first appears, so a group that gains
 * members grows downward and only the groups below it in the same column move. Ungrouped nodes
 * share one grid; nodes outside the cluster (world, hosts, "others") sit in a band above it.
 *
 * A node the user dragged is pinned where it was dropped, and stays there through live updates (a
 * fresh layout, for another level or focus, starts without pins).
 */
export interface LayoutNode {
  id: string;
  parent?: string | undefined;
  /** Outside nodes go to the band above the grid. */
  outside?: boolean;
}

export interface Point {
  x: number;
  y: number;
}

export const SPACING = 110;
const GROUP_PAD = 50;
const GROUP_GAP = 70;
const LABEL_ROOM = 90;
const MAX_GROUP_COLS = 8;
const STAGGER = SPACING / 2;
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/**
 * Slot k of a sunflower (Vogel) spiral: evenly spread, unbounded, and a new slot never moves an old
 * one. Unlike a grid, three nodes are rarely in line, so edges seldom run through a node.
 */
export function sunflower(k: number): Point {
  const r = SPACING * 1.25 * Math.sqrt(k + 0.5);
  const a = k * GOLDEN_ANGLE;
  return { x: Math.round(r * Math.cos(a)), y: Math.round(r * Math.sin(a)) };
}

interface Group {
  col: number;
  cols: number;
  next: number;
  /** Slots kept free from the start (one spare row), so a few new pods move nothing else. */
  reserved: number;
}

export class StableLayout {
  private readonly slots = new Map<string, number>();
  private readonly pins = new Map<string, Point>();
  private readonly groups = new Map<string, Group>();
  private readonly columns: string[][] = [];
  private columnCount = 0;
  private topNext = 0;
  private outsideNext = 0;
  private outsideBand: number | null = null;

  /** Remembered nodes (present or not); bounded by the caller via `size` and a fresh instance. */
  get size(): number {
    return this.slots.size;
  }

  /** Keeps node `id` at `p` from now on (the user dropped it there). */
  pin(id: string, p: Point): void {
    this.pins.set(id, { x: p.x, y: p.y });
  }

  positions(nodes: readonly LayoutNode[]): Map<string, Point> {
    const parents = new Set<string>();
    for (const n of nodes) if (n.parent) parents.add(n.parent);
    const childCount = new Map<string, number>();
    for (const n of nodes) if (n.parent) childCount.set(n.parent, (childCount.get(n.parent) ?? 0) + 1);

    // First sight fixes the shape: column count of the group grid, width of each group.
    if (this.columnCount === 0 && parents.size > 0)
      this.columnCount = Math.max(1, Math.ceil(Math.sqrt(parents.size * 0.8)));
    const order = [...parents].sort();
    for (const g of order) {
      if (this.groups.has(g)) continue;
      const n = childCount.get(g) ?? 1;
      const cols = Math.min(MAX_GROUP_COLS, Math.max(1, Math.ceil(Math.sqrt(n * 1.5))));
      const col = this.shortestColumn();
      this.groups.set(g, { col, cols, next: 0, reserved: (Math.ceil(n / cols) + 1) * cols });
      this.columns[col]!.push(g);
    }
    for (const n of nodes) {
      if (this.slots.has(n.id) || parents.has(n.id)) continue;
      if (n.parent) {
        const g = this.groups.get(n.parent)!;
        this.slots.set(n.id, g.next++);
      } else if (n.outside) {
        this.slots.set(n.id, this.outsideNext++);
      } else {
        this.slots.set(n.id, this.topNext++);
      }
    }

    const groupOrigin = this.groupOrigins();
    const out = new Map<string, Point>();
    for (const n of nodes) {
      if (parents.has(n.id)) continue;
      const slot = this.slots.get(n.id)!;
      if (n.parent) {
        const g = this.groups.get(n.parent)!;
        const o = groupOrigin.get(n.parent)!;
        // Odd columns sit lower by half a row, so edges between neighbours do not run through a third node.
        const col = slot % g.cols;
        out.set(n.id, {
          x: o.x + col * SPACING,
          y: o.y + Math.floor(slot / g.cols) * SPACING + (col % 2) * STAGGER,
        });
      } else if (n.outside) {
        // Above and to the left of everything: edges to the outside leave the picture diagonally
        // instead of running along a row or column of nodes.
        out.set(n.id, { x: -SPACING * 1.6 - slot * SPACING * 1.5, y: this.outsideY(parents.size > 0) });
      } else if (parents.size > 0) {
        // Ungrouped nodes beside grouped ones: a column to the left of the groups.
        out.set(n.id, { x: -SPACING * 2, y: slot * SPACING });
      } else {
        out.set(n.id, sunflower(slot));
      }
    }
    for (const [id, p] of this.pins) if (out.has(id)) out.set(id, { x: p.x, y: p.y });
    return out;
  }

  /** The band for world/host/others: above the groups, or above the spiral. */
  private outsideY(grouped: boolean): number {
    if (grouped) return -SPACING * 1.6;
    // Fixed at first sight: a later, bigger spiral must not move the band.
    if (this.outsideBand === null) {
      this.outsideBand = -Math.round(SPACING * 1.25 * Math.sqrt(this.topNext + 0.5) + SPACING);
    }
    return this.outsideBand;
  }

  private shortestColumn(): number {
    while (this.columns.length < Math.max(1, this.columnCount)) this.columns.push([]);
    let best = 0;
    let bestH = Number.POSITIVE_INFINITY;
    for (let c = 0; c < this.columns.length; c++) {
      const h = this.columns[c]!.reduce((sum, g) => sum + this.groupHeight(g), 0);
      if (h < bestH) {
        bestH = h;
        best = c;
      }
    }
    return best;
  }

  private groupHeight(id: string): number {
    const g = this.groups.get(id)!;
    const rows = Math.max(1, Math.ceil(Math.max(g.next, g.reserved) / g.cols));
    return rows * SPACING + (g.cols > 1 ? STAGGER : 0) + GROUP_PAD + GROUP_GAP;
  }

  private groupOrigins(): Map<string, Point> {
    const out = new Map<string, Point>();
    // A column is as wide as its widest group; widths only change when a new namespace appears.
    let x = 0;
    for (let c = 0; c < this.columns.length; c++) {
      let y = 0;
      let cols = 1;
      for (const g of this.columns[c]!) {
        out.set(g, { x, y });
        y += this.groupHeight(g);
        cols = Math.max(cols, this.groups.get(g)!.cols);
      }
      // Labels under the outer pods stick out of the group box: leave them room.
      x += (cols - 1) * SPACING + GROUP_PAD * 2 + GROUP_GAP + LABEL_ROOM;
    }
    return out;
  }
}
