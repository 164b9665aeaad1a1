/**
 * Screen space already taken by text, so a label that would cover another is left out instead:
 * zoomed into thousands of edges, every label drawn would make none readable. A coarse grid of
 * occupied cells: checking a label costs a few dozen lookups.
 */
export class LabelGrid {
  private readonly taken = new Set<number>();

  constructor(private readonly cell = 8) {}

  /** Takes the rectangle if it is free and says whether it was. */
  claim(x: number, y: number, w: number, h: number): boolean {
    const c0 = Math.floor(x / this.cell);
    const c1 = Math.floor((x + w) / this.cell);
    const r0 = Math.floor(y / this.cell);
    const r1 = Math.floor((y + h) / this.cell);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (this.taken.has(key(c, r))) return false;
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.taken.add(key(c, r));
    return true;
  }
}

// Cells far off screen can share keys; labels are only placed on screen, so they never meet.
const key = (c: number, r: number) => (r + 4096) * 8192 + (c + 4096);
