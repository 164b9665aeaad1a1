import { expect, type Page, test } from '@playwright/test';
import type { GraphResponse } from '@weft/protocol';
import { appUrl, params, setFault, setRefused } from '../support/lab.js';
import { syntheticPodGraph } from '../support/syntheticGraph.js';

/**
 * Issue 17, in Chromium against the e2e stack: the map's filter bar round-trips through the URL (and a
 * reload), "only problems" leaves the problem edges on both renderers, a bad filter value gets the
 * link notice, and a refused port behind a busy one is named on its edge ("9121/TCP refused").
 */

const map = (page: Page) => page.getByTestId('traffic-map');
const REDIS_EDGE = 'wl:monitoring/prometheus->wl:production/redis';
const sideEdge = (page: Page, id: string) => page.locator(`[data-testid="map-edge"][data-id="${id}"]`);

/** The label cytoscape draws on an edge (its own data, as it renders it). */
async function cytoscapeEdgeLabel(page: Page, id: string): Promise<string | null> {
  return page.getByTestId('traffic-map-canvas').evaluate((el, edgeId) => {
    // biome-ignore lint/suspicious/noExplicitAny: cytoscape keeps its instance on the container
    const cy = (el as any)._cyreg.cy;
    const e = cy.getElementById(edgeId);
    return e.nonempty() ? String(e.data('label')) : null;
  }, id);
}

async function settled(page: Page) {
  await expect(map(page)).toHaveAttribute('data-view', 'settled');
  await expect(map(page)).toHaveAttribute('data-nodes-outside', '0');
}

test.describe('on the lab map', () => {
  test.beforeAll(async () => {
    await setFault(false);
    await setRefused(true);
  });
  test.afterAll(async () => {
    await setRefused(false);
  });

  test('a refused port behind a busy one is named on its edge, and the filters survive a reload', async ({
    page,
  }) => {
    await page.goto(appUrl('?level=workload&namespace=monitoring&problems=1'));
    // Prometheus -> redis: 9090 answers (the busy port), 9121 refuses.
    await expect(sideEdge(page, REDIS_EDGE)).toContainText('9121/TCP refused (+1)');
    await expect(map(page)).toHaveAttribute('data-edges', '1');
    await expect(map(page)).not.toHaveAttribute('data-renderer', 'canvas');
    await expect.poll(() => cytoscapeEdgeLabel(page, REDIS_EDGE)).toBe('9121/TCP refused (+1)');
    await settled(page);
    // Prometheus's other scrapes (9090 to frontend, api, db) are healthy: left out.
    await expect(page.getByTestId('map-edge')).toHaveCount(1);

    await page.reload();
    expect(params(page).toString()).toBe('level=workload&namespace=monitoring&problems=1');
    await expect(page.getByLabel('Only problems')).toBeChecked();
    await expect(page.getByTestId('map-filter-namespaces')).toContainText('monitoring');
    await expect(sideEdge(page, REDIS_EDGE)).toContainText('9121/TCP refused');
    await expect(map(page)).toHaveAttribute('data-edges', '1');
    await settled(page);

    // The edge's panel lists its ports, each with its own health.
    await sideEdge(page, REDIS_EDGE).click();
    const ports = page.getByTestId('edge-ports').locator('li');
    await expect(ports.filter({ hasText: '9121/TCP' })).toContainText('refused');
    await expect(ports.filter({ hasText: '9090/TCP' })).not.toContainText('refused');

    // Off "only problems": every scrape of prometheus's, and the view fits them.
    await page.getByLabel('Only problems').uncheck();
    await expect.poll(() => params(page).has('problems')).toBe(false);
    await expect(page.getByTestId('map-edge')).toHaveCount(4);
    await expect(map(page)).toHaveAttribute('data-edges', '4');
    await settled(page);

    // A text search, applied on Enter, is the server's `q`.
    await page.getByLabel('Search the map').fill('redis');
    await page.getByLabel('Search the map').press('Enter');
    await expect.poll(() => params(page).get('q')).toBe('redis');
    await expect(page.getByTestId('map-edge')).toHaveCount(1);
    await page.reload();
    await expect(page.getByLabel('Search the map')).toHaveValue('redis');
    await expect(page.getByTestId('map-edge')).toHaveCount(1);
  });

  test('a DNS failure is named on its edge: the failing answer and the name asked', async ({ page }) => {
    await page.goto(appUrl('?level=workload&namespace=production'));
    const edge = 'wl:production/frontend->wl:kube-system/coredns';
    const label = 'DNS NXDOMAIN payments.production.svc.cluster.local';
    await expect(sideEdge(page, edge)).toContainText(label);
    await expect.poll(() => cytoscapeEdgeLabel(page, edge)).toContain(label);
    // The hostile client's failing name is text on the map too (untrusted.spec checks nothing ran).
    await page.goto(appUrl('?level=workload&namespace=untrusted&problems=1'));
    await expect(page.getByTestId('map-edge').first()).toContainText('DNS NXDOMAIN <script>');
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test('protocol and port live in the URL, survive a reload, and the map and its lists follow them', async ({
    page,
  }) => {
    const edges = page.getByTestId('map-edge');
    /** Every connection listed beside the map names `what` (its port or protocol), and there is one. */
    const allSay = async (what: RegExp) => {
      await expect(edges.first()).toBeVisible();
      await expect.poll(async () => (await edges.allTextContents()).every((t) => what.test(t))).toBe(true);
      const listed = await edges.count();
      await expect(map(page)).toHaveAttribute('data-edges', String(listed));
    };
    await page.goto(appUrl('?level=workload&namespace=production'));
    await expect(sideEdge(page, 'wl:production/frontend->wl:kube-system/coredns')).toBeVisible();

    // UDP: only the DNS lookups are left.
    await page.getByLabel('Protocol').selectOption('udp');
    await expect.poll(() => params(page).get('protocol')).toBe('udp');
    await allSay(/\/UDP/);
    await expect(sideEdge(page, 'wl:production/frontend->wl:kube-system/coredns')).toBeVisible();
    await settled(page);
    await page.reload();
    await expect(page.getByLabel('Protocol')).toHaveValue('udp');
    await allSay(/\/UDP/);

    // Any protocol, port 5432: only the database's connections.
    await page.getByLabel('Protocol').selectOption('');
    await expect.poll(() => params(page).has('protocol')).toBe(false);
    await page.getByLabel('Port').fill('5432');
    await page.getByLabel('Port').press('Enter');
    await expect.poll(() => params(page).get('port')).toBe('5432');
    await allSay(/5432\/TCP/);
    await expect(sideEdge(page, 'wl:production/frontend->wl:kube-system/coredns')).toHaveCount(0);
    await settled(page);
    await page.reload();
    expect(params(page).toString()).toBe('level=workload&namespace=production&port=5432');
    await expect(page.getByLabel('Port')).toHaveValue('5432');
    await allSay(/5432\/TCP/);

    // A port that is not one is named beside the box and asks the server nothing.
    await page.getByLabel('Port').fill('70000');
    await page.getByLabel('Port').press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: 'a port is 1 to 65535' })).toBeVisible();
    expect(params(page).get('port')).toBe('5432');

    // Clear filters: back to the whole map, and the URL says so.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => params(page).toString()).toBe('level=workload');
    await expect(page.getByLabel('Port')).toHaveValue('');
    await expect(page.getByLabel('Protocol')).toHaveValue('');
  });

  test('a bad filter value in the link is named in the notice and the rest of the map works', async ({
    page,
  }) => {
    await page.goto(appUrl('?level=workload&problems=yes&port=99999&protocol=tcp'));
    const notice = page.getByTestId('url-notice');
    await expect(notice).toContainText('problems=yes');
    await expect(notice).toContainText('must be 1 (only problems) or absent');
    await expect(notice).toContainText('port=99999');
    expect(params(page).toString()).toBe('level=workload&protocol=tcp');
    await expect(page.getByLabel('Protocol')).toHaveValue('tcp');
    await expect(page.getByLabel('Only problems')).not.toBeChecked();
    await expect(map(page)).toHaveAttribute('data-ready', '1');
  });
});

/** A graph of `edgeCount` pod edges, every third one failing connects; the rest healthy. */
function graphWithProblems(edgeCount: number): GraphResponse {
  return syntheticPodGraph({
    namespaces: 12,
    pods: 20,
    edges: edgeCount,
    edge: (n) =>
      n % 3 !== 0
        ? {
            ports: [
              { port: 9121, proto: 'tcp', bytesPerSec: 10, tcpConnects: 2, tcpFailures: 2, refused: 2 },
            ],
            bytesPerSec: 10,
            tcpConnects: 2,
            tcpFailures: 2,
          }
        : { ports: [{ port: 5432, proto: 'tcp', bytesPerSec: 2000, tcpConnects: 1 }] },
  });
}

/** What "only problems" should leave: the failing edges, their ends and those ends' namespaces. */
function expectedProblems(g: GraphResponse): { nodes: number; edges: number } {
  const edges = g.edges.filter((e) => e.tcpFailures > 0);
  const ends = new Set(edges.flatMap((e) => [e.source, e.target]));
  const parents = new Set(g.nodes.filter((n) => ends.has(n.id) && n.parent).map((n) => n.parent!));
  return { nodes: ends.size + parents.size, edges: edges.length };
}

for (const [renderer, edgeCount] of [
  ['canvas', 2400],
  ['cytoscape', 60],
] as const)
  test(`"only problems" leaves the same edges and nodes on the ${renderer} renderer, through a reload`, async ({
    page,
  }) => {
    const graph = graphWithProblems(edgeCount);
    const want = expectedProblems(graph);
    await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: graph }));
    const at = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await page.goto(appUrl(`?level=pod&at=${at}`));
    await expect(map(page)).toHaveAttribute('data-edges', String(edgeCount));
    await page.getByLabel('Only problems').check();
    await expect.poll(() => params(page).get('problems')).toBe('1');
    for (const step of ['checked', 'reloaded']) {
      if (step === 'reloaded') await page.reload();
      if (renderer === 'canvas') await expect(map(page)).toHaveAttribute('data-renderer', 'canvas');
      else await expect(map(page)).not.toHaveAttribute('data-renderer', 'canvas');
      await expect(map(page), step).toHaveAttribute('data-edges', String(want.edges));
      await expect(map(page), step).toHaveAttribute('data-nodes', String(want.nodes));
      await settled(page);
    }
    expect(want.edges).toBeLessThan(edgeCount);
  });
