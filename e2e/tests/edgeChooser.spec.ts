import { expect, type Page, test } from '@playwright/test';
import type { GraphEdge, GraphNode, GraphResponse } from '@weft/protocol';
import { appUrl } from '../support/lab.js';
import { healthyEdge } from '../support/syntheticGraph.js';

/**
 * Issue 17: where edges lie on top of each other, a tap opens a small menu listing them, and each one
 * can be opened from it; a tap on one edge alone still opens it at once. On both renderers.
 */

const map = (page: Page) => page.getByTestId('traffic-map');

function pod(ns: string, name: string, bytes: number): GraphNode {
  return {
    id: `pod:${ns}/${name}`,
    kind: 'pod',
    label: name,
    namespace: ns,
    parent: `ns:${ns}`,
    bytesPerSec: bytes,
    dropsPerSec: 0,
  };
}

function graph(nodes: GraphNode[], edges: GraphEdge[]): GraphResponse {
  const now = Date.now();
  const namespaces = [...new Set(nodes.map((n) => n.namespace))];
  return {
    level: 'pod',
    mode: 'at',
    start: now - 70_000,
    end: now - 60_000,
    nodes: [
      ...namespaces.map((ns) => ({
        id: `ns:${ns}`,
        kind: 'namespace' as const,
        label: ns,
        namespace: ns,
        bytesPerSec: 0,
        dropsPerSec: 0,
      })),
      ...nodes,
    ],
    edges,
    folded: 0,
    simulated: true,
  };
}

/** A fixed past moment: REST answers, no refresh, the picture holds still. */
function aMinuteAgo(): string {
  return new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

test('cytoscape: a tap where two edges run together lists both, each opens from the list; a tap on one alone opens it', async ({
  page,
}) => {
  const a = pod('shop', 'a', 3000);
  const b = pod('shop', 'b', 2000);
  const c = pod('shop', 'c', 1000);
  const g = graph([a, b, c], [healthyEdge(a, b, 7001), healthyEdge(a, c, 7002)]);
  await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: g }));
  await page.goto(appUrl(`?level=pod&at=${aMinuteAgo()}`));
  await expect(map(page)).not.toHaveAttribute('data-renderer', 'canvas');
  await expect(map(page)).toHaveAttribute('data-view', 'settled');
  // a, b and c put on one line: a -> c runs through b, over a -> b.
  const canvas = page.getByTestId('traffic-map-canvas');
  const points = await canvas.evaluate((el) => {
    // biome-ignore lint/suspicious/noExplicitAny: cytoscape keeps its instance on the container
    const cy = (el as any)._cyreg.cy;
    cy.getElementById('pod:shop/a').position({ x: 0, y: 0 });
    cy.getElementById('pod:shop/b').position({ x: 200, y: 0 });
    cy.getElementById('pod:shop/c').position({ x: 400, y: 0 });
    cy.fit(undefined, 60);
    const r = el.getBoundingClientRect();
    const at = (x: number) => ({ x: r.left + cy.pan().x + x * cy.zoom(), y: r.top + cy.pan().y });
    return { both: at(100), alone: at(300) };
  });
  await page.mouse.click(points.both.x, points.both.y);
  const chooser = page.getByTestId('edge-chooser');
  await expect(chooser).toBeVisible();
  const choices = chooser.getByTestId('edge-choice');
  await expect(choices).toHaveCount(2);
  expect((await choices.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).sort()).toEqual([
    'pod:shop/a->pod:shop/b',
    'pod:shop/a->pod:shop/c',
  ]);
  await chooser.locator('[data-id="pod:shop/a->pod:shop/c"]').click();
  await expect(chooser).toHaveCount(0);
  await expect(page.getByTestId('edge-panel')).toContainText('7002/TCP');
  // Again, the other one.
  await page.mouse.click(points.both.x, points.both.y);
  await chooser.locator('[data-id="pod:shop/a->pod:shop/b"]').click();
  await expect(page.getByTestId('edge-panel')).toContainText('7001/TCP');
  // Escape closes the menu, and only the menu.
  await page.mouse.click(points.both.x, points.both.y);
  await expect(chooser).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(chooser).toHaveCount(0);
  await expect(page.getByTestId('edge-panel')).toContainText('7001/TCP');
  // Past b, a -> c is alone: the tap opens it without a menu.
  await page.mouse.click(points.alone.x, points.alone.y);
  await expect(page.getByTestId('edge-panel')).toContainText('7002/TCP');
  await expect(chooser).toHaveCount(0);
});

test('canvas: a tap on two edges drawn on top of each other lists both, and each opens from the list', async ({
  page,
}) => {
  // 40 pods, each pair talking both ways on its own port: 1,560 edges (the canvas renderer), every one
  // drawn over its reverse.
  const pods = Array.from({ length: 40 }, (_, i) => pod(`team-${i % 4}`, `svc-${i}`, 1000 * (i + 1)));
  const edges: GraphEdge[] = [];
  for (let i = 0; i < pods.length; i++)
    for (let j = 0; j < pods.length; j++)
      if (i !== j) edges.push(healthyEdge(pods[i]!, pods[j]!, 10_000 + i * 100 + j));
  await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: graph(pods, edges) }));
  await page.goto(appUrl(`?level=pod&at=${aMinuteAgo()}`));
  await expect(map(page)).toHaveAttribute('data-renderer', 'canvas');
  await expect(map(page)).toHaveAttribute('data-view', 'settled');
  const canvas = page.getByTestId('traffic-map-canvas');
  // The map names what the pointer is over in its title (its own hit test): find a point on an edge.
  const spot = await canvas.evaluate((c: HTMLCanvasElement) => {
    const box = c.parentElement!;
    const r = c.getBoundingClientRect();
    for (let y = r.top + 30; y < r.bottom - 30; y += 7)
      for (let x = r.left + 30; x < r.right - 30; x += 7) {
        if (document.elementFromPoint(x, y) !== c) continue;
        c.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
        if (/^\d+\/TCP/.test(box.title)) return { x, y };
      }
    return null;
  });
  expect(spot).not.toBeNull();
  await page.mouse.click(spot!.x, spot!.y);
  const chooser = page.getByTestId('edge-chooser');
  await expect(chooser).toBeVisible();
  const ids = await chooser
    .getByTestId('edge-choice')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  expect(ids.length).toBeGreaterThanOrEqual(2);
  // An edge and its reverse lie on the same line: both offered.
  const [first] = ids;
  const [src, dst] = first!.split('->');
  expect(ids).toContain(`${dst}->${src}`);
  for (const id of [first!, `${dst}->${src}`]) {
    if (!(await chooser.isVisible())) await page.mouse.click(spot!.x, spot!.y);
    await chooser.locator(`[data-id="${id}"]`).click();
    await expect(chooser).toHaveCount(0);
    const want = edges.find((e) => e.id === id)!.ports[0]!.port;
    await expect(page.getByTestId('edge-panel')).toContainText(`${want}/TCP`);
  }
});
