import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { buildMapModel, isOutside } from '../../domain/mapModel.js';
import { buildScene } from '../../domain/mapScene.js';
import { StableLayout } from '../../domain/stableLayout.js';
import { fitBounds } from '../../domain/viewport.js';
import { CanvasMap } from './CanvasMap.js';

// jsdom has no 2D context (drawing is checked by bench/web's screenshots); the gestures and the
// wrapper's state are what is tested here. With no layout, the map falls back to an 800 x 560 view.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame'] });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const model = buildMapModel(fixtures.graphWorkload);
/** Where the map draws a world point, computed the way the component does. */
function screenOf(x: number, y: number) {
  const positions = new StableLayout().positions(
    model.nodes.map((n) => ({ id: n.data.id, parent: n.data.parent, outside: isOutside(n.data) })),
  );
  const v = fitBounds(buildScene(model, positions).bounds, 800, 560);
  return { clientX: x * v.zoom + v.panX, clientY: y * v.zoom + v.panY };
}
function fitted() {
  return fitBounds(scene().bounds, 800, 560);
}
function scene() {
  const positions = new StableLayout().positions(
    model.nodes.map((n) => ({ id: n.data.id, parent: n.data.parent, outside: isOutside(n.data) })),
  );
  return buildScene(model, positions);
}

function mount() {
  const onNodeActivate = vi.fn();
  const onEdgeSelect = vi.fn();
  render(
    <CanvasMap
      model={model}
      layoutKey="level=workload"
      onNodeActivate={onNodeActivate}
      onEdgeSelect={onEdgeSelect}
    />,
  );
  act(() => {
    vi.advanceTimersToNextFrame();
  });
  const canvas = screen.getByTestId('traffic-map-canvas');
  const tap = (at: { clientX: number; clientY: number }) => {
    fireEvent.pointerDown(canvas, { ...at, button: 0, pointerId: 1 });
    fireEvent.pointerUp(canvas, { ...at, button: 0, pointerId: 1 });
  };
  return { onNodeActivate, onEdgeSelect, canvas, tap };
}

describe('CanvasMap', () => {
  it('publishes what it shows on the wrapper, like the cytoscape map', () => {
    mount();
    const box = screen.getByTestId('traffic-map');
    expect(box.dataset.ready).toBe('1');
    expect(box.dataset.nodes).toBe(String(model.nodes.length));
    expect(box.dataset.edges).toBe(String(model.edges.length));
    expect(box.dataset.dropEdges).toBe(String(model.edges.filter((e) => e.data.health === 'drops').length));
  });
  it('drills into a tapped node and selects a tapped edge', () => {
    const { onNodeActivate, onEdgeSelect, tap } = mount();
    const s = scene();
    const api = s.nodes.find((n) => n.id === 'wl:production/api')!;
    tap(screenOf(api.x, api.y));
    expect(onNodeActivate).toHaveBeenCalledWith('wl:production/api');
    const edge = s.edges.find((e) => e.id === 'wl:production/api->wl:production/db')!;
    const mid = screenOf((edge.sx + edge.tx) / 2, (edge.sy + edge.ty) / 2);
    tap(mid);
    expect(onEdgeSelect).toHaveBeenCalledWith(edge.id, { x: mid.clientX, y: mid.clientY });
  });
  it('clears the selection on a tap on empty space, and a drag pans instead of tapping', () => {
    const { onNodeActivate, onEdgeSelect, canvas, tap } = mount();
    const s = scene();
    tap(screenOf(s.bounds.x1 + 80, s.bounds.y1 + 80));
    expect(onEdgeSelect).toHaveBeenLastCalledWith(null);
    const api = s.nodes.find((n) => n.id === 'wl:production/api')!;
    const at = screenOf(api.x, api.y);
    fireEvent.pointerDown(canvas, { ...at, button: 0, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: at.clientX + 40, clientY: at.clientY, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: at.clientX + 40, clientY: at.clientY, pointerId: 1 });
    expect(onNodeActivate).not.toHaveBeenCalled();
    // The node moved with the picture: tapping where it was now finds something else or nothing.
    tap(at);
    expect(onNodeActivate).not.toHaveBeenCalledWith('wl:production/api');
  });
  it('zooms with two fingers around their midpoint, and a pinch is never a tap', () => {
    const { onNodeActivate, canvas } = mount();
    const api = scene().nodes.find((n) => n.id === 'wl:production/api')!;
    const at = screenOf(api.x, api.y);
    const beside = { clientX: at.clientX + api.r * fitted().zoom * 1.8, clientY: at.clientY };
    fireEvent.pointerMove(canvas, beside);
    expect(screen.getByTestId('traffic-map').title).not.toBe(api.full);
    fireEvent.pointerDown(canvas, { clientX: at.clientX - 20, clientY: at.clientY, button: 0, pointerId: 1 });
    fireEvent.pointerDown(canvas, { clientX: at.clientX + 20, clientY: at.clientY, button: 0, pointerId: 2 });
    fireEvent.pointerMove(canvas, { clientX: at.clientX - 60, clientY: at.clientY, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: at.clientX + 60, clientY: at.clientY, pointerId: 2 });
    fireEvent.pointerUp(canvas, { clientX: at.clientX - 60, clientY: at.clientY, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: at.clientX + 60, clientY: at.clientY, pointerId: 2 });
    expect(onNodeActivate).not.toHaveBeenCalled();
    // The node stayed under the fingers' midpoint but grew: the point beside it is now on it.
    fireEvent.pointerMove(canvas, beside);
    expect(screen.getByTestId('traffic-map').title).toBe(api.full);
  });
  it('names what the pointer is over in the wrapper title', () => {
    const { canvas } = mount();
    const api = scene().nodes.find((n) => n.id === 'wl:production/api')!;
    fireEvent.pointerMove(canvas, screenOf(api.x, api.y));
    expect(screen.getByTestId('traffic-map').title).toBe(api.full);
  });
});
