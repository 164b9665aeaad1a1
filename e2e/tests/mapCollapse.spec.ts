import { expect, type Page, test } from '@playwright/test';
import type { GraphResponse } from '@weft/protocol';
import { appUrl, params } from '../support/lab.js';
import { healthyEdge, syntheticPodGraph } from '../support/syntheticGraph.js';

/**
 * Issue 17: a map past 2,500 nodes draws each namespace as one node with its count, says so, and a
 * click on one opens it (same level, focused on it: its pods drawn, the others still folded). The same
 * on both renderers: a few namespaces' summed edges stay under cytoscape's limit, many go past it.
 */

const map = (page: Page) => page.getByTestId('traffic-map');

/** A fixed past moment: REST answers, no refresh, the picture holds still. */
function aMinuteAgo(): string {
  return new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Pairs of namespaces the graph's edges join (what the folded map draws). */
function namespacePairs(g: GraphResponse, open = ''): number {
  const ns = new Map(g.nodes.map((n) => [n.id, n.namespace]));
  const end = (id: string) => (ns.get(id) === open ? id : `ns:${ns.get(id)}`);
  const pairs = new Set<string>();
  for (const e of g.edges) {
    const a = end(e.source);
    const b = end(e.target);
    if (a !== b) pairs.add(`${a}->${b}`);
  }
  return pairs.size;
}

/** Where the map draws node `id` (a folded namespace), in page pixels. */
async function nodePoint(page: Page, renderer: string, id: string, label: RegExp) {
  const canvas = page.getByTestId('traffic-map-canvas');
  if (renderer === 'cytoscape')
    return canvas.evaluate((el, nodeId) => {
      // biome-ignore lint/suspicious/noExplicitAny: cytoscape keeps its instance on the container
      const cy = (el as any)._cyreg.cy;
      const p = cy.getElementById(nodeId).renderedPosition();
      const r = el.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y, name: nodeId };
    }, id);
  // The canvas map names what the pointer is over in its title, from its own hit test.
  const found = await canvas.evaluate((c: HTMLCanvasElement, source) => {
    const want = new RegExp(source);
    const box = c.parentElement!;
    const r = c.getBoundingClientRect();
    for (let y = r.top + 10; y < r.bottom - 10; y += 3)
      for (let x = r.left + 10; x < r.right - 10; x += 3) {
        if (document.elementFromPoint(x, y) !== c) continue;
        c.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
        if (want.test(box.title)) return { x, y, name: box.title };
      }
    return null;
  }, label.source);
  expect(found, `a folded namespace drawn on the canvas (${label})`).not.toBeNull();
  return found!;
}

/**
 * `namespaces` x `pods` pods; with `everyPair`, besides the generator's `edges`, two edges from each
 * namespace to every other (so the folded map has namespaces x (namespaces - 1) edges).
 */
function cluster(namespaces: number, pods: number, edges: number, everyPair: boolean): GraphResponse {
  const g = syntheticPodGraph({ namespaces, pods, edges });
  if (!everyPair) return g;
  const pod = (ns: number, p: number) => g.nodes.find((n) => n.id === `pod:team-${ns}/svc-${p}`)!;
  for (let a = 0; a < namespaces; a++)
    for (let b = 0; b < namespaces; b++)
      if (a !== b)
        for (const p of [1, 2]) {
          const e = healthyEdge(pod(a, p), pod(b, (a + b + p) % pods), 8000 + p);
          if (!g.edges.some((x) => x.id === e.id)) g.edges.push(e);
        }
  return g;
}

for (const [renderer, namespaces, pods, edges] of [
  ['cytoscape', 30, 100, 3000],
  ['canvas', 45, 60, 1000],
] as const)
  test(`${renderer}: ${namespaces * pods} pods are drawn as ${namespaces} namespaces with their counts, and a click opens one`, async ({
    page,
  }) => {
    const graph = cluster(namespaces, pods, edges, renderer === 'canvas');
    await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: graph }));
    await page.goto(appUrl(`?level=pod&at=${aMinuteAgo()}`));
    if (renderer === 'canvas') await expect(map(page)).toHaveAttribute('data-renderer', 'canvas');
    else await expect(map(page)).not.toHaveAttribute('data-renderer', 'canvas');
    await expect(map(page)).toHaveAttribute('data-nodes', String(namespaces));
    await expect(map(page)).toHaveAttribute('data-edges', String(namespacePairs(graph)));
    await expect(map(page)).toHaveAttribute('data-view', 'settled');
    await expect(map(page)).toHaveAttribute('data-nodes-outside', '0');
    const note = page.getByTestId('map-collapsed');
    await expect(note).toContainText(`${(namespaces * pods).toLocaleString('en-US')} nodes are too many`);
    await expect(note).toContainText(`as ${namespaces} namespaces`);
    // The lists beside the map keep the pods.
    await expect(page.getByTestId('map-edge').first()).toContainText('svc-');

    const at = await nodePoint(page, renderer, 'ns:team-7', new RegExp(`^team-\\d+ \\(${pods} pods\\)$`));
    const opened = renderer === 'cytoscape' ? 'team-7' : at.name.replace(/ \(.*$/, '');
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => params(page).get('focus')).toBe(`ns:${opened}`);
    expect(params(page).get('level')).toBe('pod');
    // Its pods (and its box), beside the other namespaces still folded.
    await expect(map(page)).toHaveAttribute('data-nodes', String(pods + 1 + namespaces - 1));
    await expect(map(page)).toHaveAttribute('data-edges', String(namespacePairs(graph, opened)));
    await expect(map(page)).toHaveAttribute('data-view', 'settled');
    await expect(map(page)).toHaveAttribute('data-nodes-outside', '0');
    await expect(note).toContainText(`as ${namespaces - 1} namespaces`);
    if (renderer === 'cytoscape') {
      const drawn = await page.getByTestId('traffic-map-canvas').evaluate((el, ns) => {
        // biome-ignore lint/suspicious/noExplicitAny: cytoscape keeps its instance on the container
        const cy = (el as any)._cyreg.cy;
        return [
          cy.getElementById(`pod:${ns}/svc-0`).nonempty(),
          cy.getElementById('ns:team-8').data('label'),
        ];
      }, opened);
      expect(drawn).toEqual([true, `team-8 (${pods} pods)`]);
    }
  });

test('a map at the threshold is drawn pod by pod', async ({ page }) => {
  // 25 x 100 = 2,500 pods: not over the threshold.
  const graph = syntheticPodGraph({ namespaces: 25, pods: 100, edges: 1000 });
  await page.route('**/api/v1/graph**', (route) => route.fulfill({ json: graph }));
  await page.goto(appUrl(`?level=pod&at=${aMinuteAgo()}`));
  await expect(map(page)).toHaveAttribute('data-nodes', String(25 + 2500));
  await expect(page.getByTestId('map-collapsed')).toHaveCount(0);
});
