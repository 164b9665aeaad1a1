import { describe, expect, it } from 'vitest';
import { cytoscapeColor, LABEL_ZOOM_FLOOR, labelSizes, MIN_LABEL_PX } from './mapStyle.js';

describe('colours for cytoscape', () => {
  it('turns hex with alpha into rgba, and keeps every other colour as it is', () => {
    expect(cytoscapeColor('#0969da0d')).toBe('rgba(9,105,218,0.051)');
    expect(cytoscapeColor('#58A6FF0F')).toBe('rgba(88,166,255,0.059)');
    expect(cytoscapeColor('#000f')).toBe('rgba(0,0,0,1)');
    for (const kept of ['#0969da', '#abc', 'rgba(9, 105, 218, 0.05)', 'red', ''])
      expect(cytoscapeColor(kept)).toBe(kept);
  });

  it('sizes labels to at least 11 px on screen at the fitted zoom', () => {
    for (const zoom of [LABEL_ZOOM_FLOOR, 0.5, 0.63, 0.8, 1, 1.3, 1.6]) {
      const s = labelSizes(zoom);
      for (const size of [s.node, s.edge, s.group]) expect(size * zoom).toBeGreaterThanOrEqual(MIN_LABEL_PX);
    }
    // Close in, each label keeps its own size.
    expect(labelSizes(1.6)).toEqual({ node: 11, edge: 9, group: 13 });
    // Far out they stop growing: 0.1 is sized as the floor, and cytoscape leaves such text out.
    expect(labelSizes(0.1)).toEqual(labelSizes(LABEL_ZOOM_FLOOR));
  });
});
