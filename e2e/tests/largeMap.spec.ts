import { expect, test } from '@playwright/test';
import type { GraphEdge, GraphResponse } from '@weft/protocol';
import { appUrl, params, snapshot } from '../support/lab.js';
import { syntheticPodGraph } from '../support/syntheticGraph.js';

/**
 * Past 1,500 edges the map is drawn by its canvas renderer instead of cytoscape. The server's graph
 * answer is replaced by a synthetic cluster (10 namespaces x 20 pods, 2,000 edges, some dropping and
 * some failing) so the size does not depend on the lab; bench/web measures the 10,000-edge case.
 */
function largeGraph(): GraphResponse {
  return syntheticPodGraph({
    namespaces: 10,
    pods: 20,
    edges: 2000,
    edge: (n): Partial<GraphEdge> => {
      const drops = n % 50 === 0 ? 1 : 0;
      return {
        dropsPerSec: drops,
        dropReasons: drops ? { policy_drop: drops } : {},
        tcpFailures: n % 37 === 0 ? 1 : 0,
      };
    },
  });
}

/** A fixed past moment: REST answers, no refresh. */
function aMinuteAgo(): string {
  return new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

test('a large map (2,000 edges) is drawn on the canvas, with its menus working', async ({ page }) => {
  const graph = largeGraph();
  await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: graph }));
  await page.goto(appUrl(`?level=pod&at=${aMinuteAgo()}`));
  const map = page.getByTestId('traffic-map');
  await expect(map).toHaveAttribute('data-ready', '1');
  await expect(map).toHaveAttribute('data-renderer', 'canvas');
  await expect(map).toHaveAttribute('data-edges', '2000');
  await expect(map).toHaveAttribute('data-drop-edges', '40');
  // Something was drawn: a good share of the canvas is not blank.
  await expect
    .poll(() =>
      page.getByTestId('traffic-map-canvas').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) inked++;
        return inked / (c.width * c.height);
      }),
    )
    .toBeGreaterThan(0.05);
  // The connection's menu opens from the list beside the map, as on a small map.
  await page.locator('[data-testid="map-edge"]').first().click();
  await expect(page.getByTestId('edge-panel')).toContainText('5432/TCP');
  await snapshot(page, 'large-map-canvas');
});

test('a node dragged on the large map moves there: a click at its new place drills into it', async ({
  page,
}) => {
  const graph = largeGraph();
  await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: graph }));
  // A past moment, so the picture holds still while the test looks for a place to drop.
  await page.goto(appUrl(`?level=pod&at=${aMinuteAgo()}`));
  const map = page.getByTestId('traffic-map');
  await expect(map).toHaveAttribute('data-renderer', 'canvas');
  const canvas = page.getByTestId('traffic-map-canvas');
  await canvas.scrollIntoViewIfNeeded();
  // The map names what the pointer is over in its title, from its own hit test: hovering a grid of
  // points finds a pod to drag and an empty place to drop it, both where a real click reaches the canvas.
  const found = await canvas.evaluate((c: HTMLCanvasElement) => {
    const box = c.parentElement!;
    const r = c.getBoundingClientRect();
    const titleAt = (x: number, y: number) => {
      c.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
      return box.title;
    };
    let pod: { x: number; y: number; name: string } | null = null;
    let empty: { x: number; y: number } | null = null;
    for (let y = r.top + 20; y < r.bottom - 20 && !(pod && empty); y += 4) {
      for (let x = r.left + 20; x < r.right - 20 && !(pod && empty); x += 4) {
        if (document.elementFromPoint(x, y) !== c) continue;
        const t = titleAt(x, y);
        if (!pod && /^svc-\d+$/.test(t)) pod = { x, y, name: t };
        else if (!empty && t === '') empty = { x, y };
      }
    }
    return { pod, empty };
  });
  expect(found.pod).not.toBeNull();
  expect(found.empty).not.toBeNull();
  const pod = found.pod!;
  const empty = found.empty!;
  await page.mouse.move(pod.x, pod.y);
  await expect(canvas).toHaveCSS('cursor', 'grab');
  await page.mouse.down();
  await page.mouse.move(empty.x, empty.y, { steps: 8 });
  await page.mouse.up();
  // Not a pan and not a tap: the view stayed, nothing was drilled into, the pod is at the drop place.
  expect(params(page).get('focus')).toBeNull();
  await page.mouse.move(pod.x, pod.y);
  await expect(map).not.toHaveAttribute('title', pod.name);
  await page.mouse.move(empty.x, empty.y);
  await expect(map).toHaveAttribute('title', pod.name);
  await page.mouse.click(empty.x, empty.y);
  await expect.poll(() => params(page).get('focus')).toMatch(new RegExp(`^pod:team-\\d+/${pod.name}$`));
});
