import { describe, expect, it } from 'vitest';
import {
  countOutside,
  fitBounds,
  MAX_ZOOM,
  MIN_ZOOM,
  pinchStep,
  toWorld,
  viewportBetween,
  visibleWorld,
  zoomAt,
} from './viewport.js';

describe('viewport', () => {
  it('fits a picture centred, never closer than 1.6', () => {
    const v = fitBounds({ x0: 0, y0: 0, x1: 10_000, y1: 5_000 }, 1000, 600);
    const seen = visibleWorld(v, 1000, 600);
    expect(seen.x0).toBeLessThanOrEqual(0);
    expect(seen.x1).toBeGreaterThanOrEqual(10_000);
    expect((seen.x0 + seen.x1) / 2).toBeCloseTo(5_000);
    expect((seen.y0 + seen.y1) / 2).toBeCloseTo(2_500);
    expect(fitBounds({ x0: 0, y0: 0, x1: 10, y1: 10 }, 1000, 600).zoom).toBe(1.6);
  });
  it('zooms around the pointer and stays within limits', () => {
    const v = { zoom: 0.5, panX: 10, panY: 20 };
    const under = toWorld(v, 300, 200);
    const z = zoomAt(v, 2, 300, 200);
    expect(z.zoom).toBe(1);
    expect(toWorld(z, 300, 200).x).toBeCloseTo(under.x);
    expect(toWorld(z, 300, 200).y).toBeCloseTo(under.y);
    expect(zoomAt(v, 1e6, 0, 0).zoom).toBe(MAX_ZOOM);
    expect(zoomAt(v, 1e-6, 0, 0).zoom).toBe(MIN_ZOOM);
  });
  it('keeps the world point between two fingers between them as they move apart and along', () => {
    const v = { zoom: 0.5, panX: 10, panY: 20 };
    const before = { x: 300, y: 200, dist: 100 };
    const under = toWorld(v, before.x, before.y);
    const now = { x: 340, y: 180, dist: 150 };
    const next = pinchStep(v, before, now);
    expect(next.zoom).toBeCloseTo(0.75);
    expect(toWorld(next, now.x, now.y).x).toBeCloseTo(under.x);
    expect(toWorld(next, now.x, now.y).y).toBeCloseTo(under.y);
  });

  it('glides from one view to another: the centre on a straight line, the zoom by equal factors', () => {
    const a = fitBounds({ x0: 0, y0: 0, x1: 2000, y1: 1000 }, 800, 600);
    const b = fitBounds({ x0: 5000, y0: 5000, x1: 5100, y1: 5100 }, 800, 600);
    expect(viewportBetween(a, b, 0, 800, 600)).toEqual(a);
    expect(viewportBetween(a, b, 1, 800, 600)).toEqual(b);
    const mid = viewportBetween(a, b, 0.5, 800, 600);
    expect(mid.zoom).toBeCloseTo(Math.sqrt(a.zoom * b.zoom));
    const [ca, cb, cm] = [a, b, mid].map((v) => toWorld(v, 400, 300));
    expect(cm!.x).toBeCloseTo((ca!.x + cb!.x) / 2);
    expect(cm!.y).toBeCloseTo((ca!.y + cb!.y) / 2);
  });

  it('counts the circles reaching outside the view', () => {
    const v = { zoom: 2, panX: 10, panY: 0 };
    // On screen: (10, 0) r 0, (30, 20) r 10, (210, 100) r 2.
    const circles = [
      { x: 0, y: 0 },
      { x: 10, y: 10, r: 5 },
      { x: 100, y: 50, r: 1 },
    ];
    expect(countOutside(circles, v, 220, 200)).toBe(0);
    expect(countOutside(circles, v, 211, 200)).toBe(1);
    expect(countOutside(circles, { ...v, panX: -1 }, 220, 200)).toBe(1);
  });
});
