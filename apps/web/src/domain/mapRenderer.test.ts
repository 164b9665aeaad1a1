import { describe, expect, it } from 'vitest';
import { CANVAS_ABOVE_EDGES, CYTOSCAPE_BELOW_EDGES, wantsCanvas } from './mapRenderer.js';

describe('wantsCanvas', () => {
  it('switches to the canvas past the upper threshold and back only under the lower one', () => {
    expect(wantsCanvas(CANVAS_ABOVE_EDGES, false)).toBe(false);
    expect(wantsCanvas(CANVAS_ABOVE_EDGES + 1, false)).toBe(true);
    expect(wantsCanvas(CYTOSCAPE_BELOW_EDGES, true)).toBe(true);
    expect(wantsCanvas(CYTOSCAPE_BELOW_EDGES - 1, true)).toBe(false);
    expect(wantsCanvas(10_000, true)).toBe(true);
  });
});
