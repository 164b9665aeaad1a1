import { expect, type Locator, type Page, test, type WebSocketRoute } from '@playwright/test';
import type { GraphResponse, LiveSummary } from '@weft/protocol';
import { appUrl, params } from '../support/lab.js';
import { syntheticPodGraph } from '../support/syntheticGraph.js';

/**
 * Every drill fits the new view: whatever the user's zoom before, each node of the next level lies
 * inside the map once the view has settled. On the lab's small maps (cytoscape) and on large ones (the
 * canvas renderer), the user zoomed in before each click.
 */

const map = (page: Page) => page.getByTestId('traffic-map');

const summary: LiveSummary = {
  bytesPerSec: 1e6,
  packetsPerSec: 1e3,
  dropsPerSec: 0,
  dnsQueriesPerSec: 0,
  dnsErrorRate: 0,
  tcpConnectsPerSec: 0,
  tcpFailuresPerSec: 0,
  alertsFiring: 0,
  alertsPending: 0,
  collectors: 2,
};

/** Zooms the map in on its top-left corner, as a user reading one part of it would. */
async function zoomIn(page: Page) {
  const box = await page.getByTestId('traffic-map-canvas').boundingBox();
  if (!box) throw new Error('no map on the page');
  await page.mouse.move(box.x + 40, box.y + 40);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -240);
}

/** Clicks a node in the list beside the map (the map's own keyboard and list route). */
async function drill(page: Page, id: string) {
  await page.locator(`[data-testid="map-node"][data-id="${id}"]`).click();
  await expect.poll(() => params(page).get('focus')).toBe(id);
}

async function expectAllInside(page: Page, nodes: string) {
  const m = map(page);
  await expect(m).toHaveAttribute('data-nodes', nodes);
  await expect(m).toHaveAttribute('data-view', 'settled');
  await expect(m).toHaveAttribute('data-nodes-outside', '0');
}

/** Cytoscape's own word for it: every leaf node's box (without its label) inside the container. */
async function cytoscapeOutside(canvas: Locator): Promise<{ count: number; outside: string[] }> {
  return canvas.evaluate((el) => {
    // biome-ignore lint/suspicious/noExplicitAny: cytoscape keeps its instance on the container
    const cy = (el as any)._cyreg.cy;
    const w = el.clientWidth;
    const h = el.clientHeight;
    const outside: string[] = [];
    let count = 0;
    cy.nodes()
      .filter((n: { isParent(): boolean }) => !n.isParent())
      .forEach((n: { id(): string; renderedBoundingBox(o: object): Record<string, number> }) => {
        count++;
        const b = n.renderedBoundingBox({ includeLabels: false });
        if (b.x1! < 0 || b.y1! < 0 || b.x2! > w || b.y2! > h) outside.push(n.id());
      });
    return { count, outside };
  });
}

/** The smallest label on the cytoscape map, in screen pixels at the current zoom. */
async function smallestLabelPx(canvas: Locator): Promise<number> {
  return canvas.evaluate((el) => {
    // biome-ignore lint/suspicious/noExplicitAny: cytoscape keeps its instance on the container
    const cy = (el as any)._cyreg.cy;
    let min = Number.POSITIVE_INFINITY;
    cy.elements().forEach((e: { data(k: string): unknown; pstyle(k: string): { pfValue: number } }) => {
      if (e.data('label')) min = Math.min(min, e.pstyle('font-size').pfValue * cy.zoom());
    });
    return min;
  });
}

test('each drill on the lab map (cytoscape) fits the new view, labels at least 11 px, after the user zoomed in', async ({
  page,
}) => {
  const paths: { start: string; steps: string[] }[] = [
    { start: '?level=node', steps: ['node:weft-node-b'] },
    { start: '', steps: ['ns:production', 'wl:production/api'] },
  ];
  for (const path of paths) {
    await page.goto(appUrl(path.start));
    await expect(map(page)).toHaveAttribute('data-view', 'settled');
    for (const id of path.steps) {
      await zoomIn(page);
      await drill(page, id);
      await expect(map(page)).not.toHaveAttribute('data-renderer', 'canvas');
      await expect(map(page)).toHaveAttribute('data-view', 'settled');
      await expect(map(page)).toHaveAttribute('data-nodes-outside', '0');
      const seen = await cytoscapeOutside(page.getByTestId('traffic-map-canvas'));
      expect(seen.count, `${id}: nodes on the map`).toBeGreaterThan(1);
      expect(seen.outside, `${id}: nodes outside the map`).toEqual([]);
      expect(
        await smallestLabelPx(page.getByTestId('traffic-map-canvas')),
        `${id}: label size`,
      ).toBeGreaterThanOrEqual(11);
    }
  }
});

/** A large cluster's graph (the canvas renderer's size): `pods` pods in `namespaces` namespaces. */
function largeGraph(
  prefix: string,
  namespaces: number,
  pods: number,
  level: string,
  edgeCount = 1800,
): GraphResponse {
  return syntheticPodGraph({ prefix, namespaces, pods, level, edges: edgeCount });
}

test('each drill on a large map (canvas) fits the new view, after the user zoomed in', async ({ page }) => {
  // Each question its own cluster of another shape.
  const graphs: Record<string, GraphResponse> = {
    '': largeGraph('team', 12, 20, 'pod'),
    'pod:team-0/svc-19': largeGraph('wide', 4, 70, 'pod'),
    'pod:wide-0/svc-69': largeGraph('deep', 30, 8, 'pod'),
  };
  await page.route('**/api/v1/graph**', (route) => {
    const focus = new URL(route.request().url()).searchParams.get('focus') ?? '';
    return route.fulfill({ json: graphs[focus] ?? graphs['']! });
  });
  const at = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await page.goto(appUrl(`?level=pod&at=${at}`));
  await expect(map(page)).toHaveAttribute('data-renderer', 'canvas');
  await expectAllInside(page, String(12 * 21));
  for (const [id, nodes] of [
    // The busiest pods, first in the list beside the map.
    ['pod:team-0/svc-19', 4 * 71],
    ['pod:wide-0/svc-69', 30 * 9],
  ] as const) {
    await zoomIn(page);
    await expect(map(page)).not.toHaveAttribute('data-nodes-outside', '0');
    await drill(page, id);
    await expect(map(page)).toHaveAttribute('data-renderer', 'canvas');
    await expectAllInside(page, String(nodes));
  }
});

for (const [renderer, edgeCount] of [
  ['canvas', 1800],
  ['cytoscape', 60],
] as const)
  test(`on a live map (${renderer}), other nodes fit the view while it is the map’s own; the user’s zoom is kept`, async ({
    page,
  }) => {
    // The live socket answered by the test: whole graphs, as the server sends them after a subscribe.
    let live: WebSocketRoute | null = null;
    let seq = 0;
    const send = (graph: GraphResponse) =>
      live!.send(
        JSON.stringify({ type: 'update', seq: ++seq, ts: Date.now(), graph, summary, simulated: true }),
      );
    const first = largeGraph('team', 12, 20, 'pod', edgeCount);
    await page.routeWebSocket(/\/api\/v1\/live$/, (ws) => {
      live = ws;
      ws.onMessage((m) => {
        if (JSON.parse(String(m)).type === 'subscribe') send(first);
      });
    });
    // The REST graph is withheld: the live socket alone draws the map.
    await page.route('**/api/v1/graph**', () => {});
    await page.goto(appUrl('?level=pod'));
    if (renderer === 'canvas') await expect(map(page)).toHaveAttribute('data-renderer', 'canvas');
    else await expect(map(page)).not.toHaveAttribute('data-renderer', 'canvas');
    await expectAllInside(page, String(12 * 21));
    // The same question, other nodes (pods came, namespaces went): the view follows them.
    send(largeGraph('wide', 30, 8, 'pod', edgeCount));
    await expectAllInside(page, String(30 * 9));
    // Once the user zoomed in, a live update leaves their view alone.
    await zoomIn(page);
    await expect(map(page)).not.toHaveAttribute('data-nodes-outside', '0');
    // The frames that draw the last wheel step, before reading the zoom they leave.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const zoomed = await map(page).getAttribute('data-zoom');
    send(largeGraph('deep', 30, 8, 'pod', edgeCount));
    await expect(map(page)).toHaveAttribute('data-nodes', String(30 * 9));
    await expect(map(page)).toHaveAttribute('data-view', 'settled');
    expect(await map(page).getAttribute('data-zoom')).toBe(zoomed);
  });
