import { describe, expect, it } from 'vitest';
import { cytoscapeColor } from './mapStyle.js';

describe('colours for cytoscape', () => {
  it('turns hex with alpha into rgba, and keeps every other colour as it is', () => {
    expect(cytoscapeColor('#0969da0d')).toBe('rgba(9,105,218,0.051)');
    expect(cytoscapeColor('#58A6FF0F')).toBe('rgba(88,166,255,0.059)');
    expect(cytoscapeColor('#000f')).toBe('rgba(0,0,0,1)');
    for (const kept of ['#0969da', '#abc', 'rgba(9, 105, 218, 0.05)', 'red', ''])
      expect(cytoscapeColor(kept)).toBe(kept);
  });
});
