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
  const v = fitted();
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
  const map = (m: typeof model) => (
    <CanvasMap
      model={m}
      layoutKey="level=workload"
      onNodeActivate={onNodeActivate}
      onEdgeSelect={onEdgeSelect}
    />
  );
  const { rerender } = render(map(model));
  const nextFrame = () =>
    act(() => {
      vi.advanceTimersToNextFrame();
    });
  nextFrame();
  const canvas = screen.getByTestId('traffic-map-canvas');
  const tap = (at: { clientX: number; clientY: number }) => {
    fireEvent.pointerDown(canvas, { ...at, button: 0, pointerId: 1 });
    fireEvent.pointerUp(canvas, { ...at, button: 0, pointerId: 1 });
  };
  /** A press at `from`, moves in `steps` steps to `to`, and the release there. */
  const drag = (
    from: { clientX: number; clientY: number },
    to: { clientX: number; clientY: number },
    steps = 4,
  ) => {
    fireEvent.pointerDown(canvas, { ...from, button: 0, pointerId: 1 });
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      fireEvent.pointerMove(canvas, {
        clientX: from.clientX + (to.clientX - from.clientX) * t,
        clientY: from.clientY + (to.clientY - from.clientY) * t,
        pointerId: 1,
      });
    }
    fireEvent.pointerUp(canvas, { ...to, button: 0, pointerId: 1 });
  };
  /** A live update: the same graph again, as a new model, under the same question. */
  const liveUpdate = () => {
    rerender(map(buildMapModel(fixtures.graphWorkload)));
    nextFrame();
  };
  return { onNodeActivate, onEdgeSelect, canvas, tap, drag, nextFrame, liveUpdate };
}
const by = (p: { clientX: number; clientY: number }, dx: number, dy: number) => ({
  clientX: p.clientX + dx,
  clientY: p.clientY + dy,
});

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
  it('clears the selection on a tap on empty space, and a drag there pans instead of tapping', () => {
    const { onNodeActivate, onEdgeSelect, tap, drag } = mount();
    const s = scene();
    const empty = screenOf(s.bounds.x1 + 80, s.bounds.y1 + 80);
    tap(empty);
    expect(onEdgeSelect).toHaveBeenLastCalledWith(null);
    onEdgeSelect.mockClear();
    drag(empty, by(empty, 40, 30));
    expect(onEdgeSelect).not.toHaveBeenCalled();
    // The whole picture moved: the node is found 40 px right and 30 px down of where it was.
    const api = s.nodes.find((n) => n.id === 'wl:production/api')!;
    const at = screenOf(api.x, api.y);
    tap(at);
    expect(onNodeActivate).not.toHaveBeenCalledWith('wl:production/api');
    tap(by(at, 40, 30));
    expect(onNodeActivate).toHaveBeenCalledWith('wl:production/api');
  });
  it('moves a dragged node with the pointer, drawn on the next frame, and finds it at its new place', () => {
    const { onNodeActivate, onEdgeSelect, canvas, tap, nextFrame } = mount();
    const s = scene();
    const api = s.nodes.find((n) => n.id === 'wl:production/api')!;
    const frontend = s.nodes.find((n) => n.id === 'wl:production/frontend')!;
    const at = screenOf(api.x, api.y);
    const box = screen.getByTestId('traffic-map');
    fireEvent.pointerMove(canvas, at);
    expect(canvas.style.cursor).toBe('grab');
    const draws = vi.mocked(HTMLCanvasElement.prototype.getContext).mock.calls.length;
    fireEvent.pointerDown(canvas, { ...at, button: 0, pointerId: 1 });
    fireEvent.pointerMove(canvas, { ...by(at, 60, 0), pointerId: 1 });
    expect(canvas.style.cursor).toBe('grabbing');
    fireEvent.pointerMove(canvas, { ...by(at, 150, 90), pointerId: 1 });
    fireEvent.pointerUp(canvas, { ...by(at, 150, 90), button: 0, pointerId: 1 });
    expect(onNodeActivate).not.toHaveBeenCalled();
    expect(canvas.style.cursor).toBe('grab');
    // Moves only ask for a frame; the frame draws once for all of them.
    expect(vi.mocked(HTMLCanvasElement.prototype.getContext).mock.calls.length).toBe(draws);
    nextFrame();
    expect(vi.mocked(HTMLCanvasElement.prototype.getContext).mock.calls.length).toBe(draws + 1);
    fireEvent.pointerMove(canvas, by(at, 150, 90));
    expect(box.title).toBe(api.full);
    tap(at);
    expect(onNodeActivate).not.toHaveBeenCalledWith('wl:production/api');
    tap(by(at, 150, 90));
    expect(onNodeActivate).toHaveBeenLastCalledWith('wl:production/api');
    // The picture did not pan: the other nodes are where they were.
    tap(screenOf(frontend.x, frontend.y));
    expect(onNodeActivate).toHaveBeenLastCalledWith('wl:production/frontend');
    // Its edge followed: a tap halfway between its new place and the database selects the edge.
    const db = s.nodes.find((n) => n.id === 'wl:production/db')!;
    const to = screenOf(db.x, db.y);
    const mid = { clientX: (at.clientX + 150 + to.clientX) / 2, clientY: (at.clientY + 90 + to.clientY) / 2 };
    tap(mid);
    expect(onEdgeSelect).toHaveBeenLastCalledWith('wl:production/api->wl:production/db', {
      x: mid.clientX,
      y: mid.clientY,
    });
  });
  it('drills into a node on a short press that moved less than the drag threshold', () => {
    const { onNodeActivate, drag } = mount();
    const api = scene().nodes.find((n) => n.id === 'wl:production/api')!;
    const at = screenOf(api.x, api.y);
    drag(at, by(at, 2, 1), 2);
    expect(onNodeActivate).toHaveBeenCalledWith('wl:production/api');
  });
  it('moves a namespace box with its members when the drag starts inside the box', () => {
    const { onNodeActivate, tap, drag } = mount();
    const s = scene();
    const ns = s.groups.find((g) => g.id === 'ns:production')!;
    const api = s.nodes.find((n) => n.id === 'wl:production/api')!;
    const inside = screenOf(ns.x0 + 6, ns.y0 + 6);
    drag(inside, by(inside, -80, 120));
    expect(onNodeActivate).not.toHaveBeenCalled();
    tap(by(screenOf(api.x, api.y), -80, 120));
    expect(onNodeActivate).toHaveBeenCalledWith('wl:production/api');
    // Not a pan: the other namespace stayed.
    const coredns = s.nodes.find((n) => n.id === 'wl:kube-system/coredns')!;
    tap(screenOf(coredns.x, coredns.y));
    expect(onNodeActivate).toHaveBeenLastCalledWith('wl:kube-system/coredns');
  });
  it('keeps a dropped node where it was dropped through live updates', () => {
    const { onNodeActivate, tap, drag, liveUpdate } = mount();
    const api = scene().nodes.find((n) => n.id === 'wl:production/api')!;
    const at = screenOf(api.x, api.y);
    drag(at, by(at, 150, 90));
    liveUpdate();
    liveUpdate();
    tap(at);
    expect(onNodeActivate).not.toHaveBeenCalledWith('wl:production/api');
    tap(by(at, 150, 90));
    expect(onNodeActivate).toHaveBeenCalledWith('wl:production/api');
  });
  it('moves a node on from its layout place when a live update arrives in the middle of its drag', () => {
    const { onNodeActivate, canvas, tap, liveUpdate } = mount();
    const api = scene().nodes.find((n) => n.id === 'wl:production/api')!;
    const at = screenOf(api.x, api.y);
    fireEvent.pointerDown(canvas, { ...at, button: 0, pointerId: 1 });
    fireEvent.pointerMove(canvas, { ...by(at, 100, 0), pointerId: 1 });
    liveUpdate();
    // Back at its slot, it follows the pointer's next step from there, as cytoscape's drag does.
    fireEvent.pointerMove(canvas, { ...by(at, 100, 60), pointerId: 1 });
    fireEvent.pointerUp(canvas, { ...by(at, 100, 60), button: 0, pointerId: 1 });
    // Pinned where it was dropped.
    liveUpdate();
    tap(by(at, 0, 60));
    expect(onNodeActivate).toHaveBeenCalledWith('wl:production/api');
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
