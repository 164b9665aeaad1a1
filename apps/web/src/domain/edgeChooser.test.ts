import { describe, expect, it } from 'vitest';
import { CHOOSER_MAX, closeEdges, edgePath, pathDistance } from './edgeChooser.js';

describe('closeEdges', () => {
  it('offers the nearest edge alone when the next is further than the gap', () => {
    expect(
      closeEdges([
        { id: 'b', d: 6 },
        { id: 'a', d: 1 },
      ]),
    ).toEqual(['a']);
    expect(closeEdges([])).toEqual([]);
  });

  it('offers every edge within the gap of the nearest, nearest first, ties by id', () => {
    expect(
      closeEdges([
        { id: 'c', d: 2 },
        { id: 'b', d: 0.5 },
        { id: 'a', d: 0.5 },
        { id: 'far', d: 4.6 },
      ]),
    ).toEqual(['a', 'b', 'c']);
  });

  it(`lists at most ${CHOOSER_MAX}, each once`, () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `e${i % 10}`, d: 1 }));
    const got = closeEdges(many);
    expect(got).toHaveLength(CHOOSER_MAX);
    expect(new Set(got).size).toBe(CHOOSER_MAX);
  });
});

describe('edgePath', () => {
  it('is the segment for a straight edge', () => {
    const path = edgePath({ x: 0, y: 0 }, [], { x: 100, y: 0 });
    expect(path).toEqual([
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ]);
    expect(pathDistance({ x: 50, y: 3 }, path)).toBe(3);
    expect(pathDistance({ x: 130, y: 40 }, path)).toBe(50);
  });

  it('follows a bezier curve through its control point, not the chord', () => {
    // Control point (50, 100): the curve's middle is at (50, 50).
    const path = edgePath({ x: 0, y: 0 }, [{ x: 50, y: 100 }], { x: 100, y: 0 });
    expect(path.at(-1)).toEqual({ x: 100, y: 0 });
    expect(pathDistance({ x: 50, y: 50 }, path)).toBeLessThan(0.5);
    expect(pathDistance({ x: 50, y: 0 }, path)).toBeGreaterThan(40);
  });

  it('joins several control points with pieces that meet halfway between them', () => {
    const path = edgePath(
      { x: 0, y: 0 },
      [
        { x: 25, y: 50 },
        { x: 75, y: 50 },
      ],
      { x: 100, y: 0 },
      4,
    );
    // The first piece ends at the midpoint of the two control points.
    expect(path[4]).toEqual({ x: 50, y: 50 });
    expect(path).toHaveLength(9);
  });
});
