import { expect, type Page, test } from '@playwright/test';
import type { GraphResponse } from '@weft/protocol';
import { appUrl, params, setFault, snapshot } from '../support/lab.js';
import { clickMoment } from '../support/timelineClick.js';

/**
 * The timeline strip against the real server and the lab's feeders: a click on a past moment shows
 * that moment's map, and a 60x replay moves through a fault's start. The fault (drops on
 * prometheus -> api) is switched on and off here, so what "then" and "now" looked like is known.
 */
const EDGE = 'pod:monitoring/prometheus-0->pod:production/api-5c6b7-def34';
const edgeOnMap = (page: Page) => page.locator(`[data-testid="map-edge"][data-id="${EDGE}"]`);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The edge's drops per second over `query`'s window, straight from the API. */
async function apiDrops(query: string): Promise<number> {
  const res = await fetch(`${process.env.WEFT_E2E_URL}/api/v1/graph?level=pod&${query}`);
  const graph = (await res.json()) as GraphResponse;
  return graph.edges.find((e) => e.id === EDGE)?.dropsPerSec ?? 0;
}

test.beforeEach(async () => {
  await setFault(false);
});
test.afterEach(async () => {
  await setFault(false);
});

test('a click on a past moment of the timeline shows the map of that moment', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(appUrl('?level=pod'));
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('timeline-chart')).toBeVisible();
  const edge = edgeOnMap(page);

  // A fault that is over: drops for twenty seconds, then none.
  const on = Date.now();
  await setFault(true);
  await expect(edge).toHaveAttribute('data-health', /drops|failing/, { timeout: 15_000 });
  await expect.poll(() => Date.now() - on, { timeout: 30_000 }).toBeGreaterThan(20_000);
  const off = Date.now();
  await setFault(false);
  await expect(edge).toHaveAttribute('data-health', 'ok', { timeout: 30_000 });

  // A moment when the rate window lay inside the fault. With the server's incidents on the strip, a
  // click within a few pixels of a marker (the drop alert firing, say) takes the marker's moment, so
  // the moment may move a little: its rate window still overlaps the fault.
  const then = on + 15_000;
  await clickMoment(page, then);
  await expect.poll(() => params(page).get('at')).not.toBeNull();
  const at = Date.parse(params(page).get('at')!);
  expect(at).toBeGreaterThan(on);
  expect(at).toBeLessThan(off + 10_000);
  expect(params(page).get('from')).toBeNull();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'at');
  // The label says which moment, in words, not ISO.
  await expect(page.getByTestId('time-label')).toHaveText(/^At \d{1,2}:\d{2}:\d{2}( [AP]M)? today/);
  await expect(page.getByTestId('timeline-moment')).toBeAttached();
  // The map is that moment's: the edge has the drops it had then, which it does not have now.
  await expect(edge).toHaveAttribute('data-health', /drops|failing/);
  expect(await apiDrops('')).toBe(0);
  await snapshot(page, 'timeline-click-past-moment');

  await page.getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  expect(params(page).get('at')).toBeNull();
  await expect(edge).toHaveAttribute('data-health', 'ok');
});

test('a drag on the timeline selects a window', async ({ page }) => {
  await page.goto(appUrl('?level=pod'));
  const chart = page.getByTestId('timeline-chart');
  await expect(chart).toBeVisible();
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => params(page).get('to')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  const from = Date.parse(params(page).get('from')!);
  const to = Date.parse(params(page).get('to')!);
  // A fifth of the hour the strip spans.
  expect((to - from) / 60_000).toBeGreaterThan(10);
  expect((to - from) / 60_000).toBeLessThan(14);
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'range');
  await expect(page.getByTestId('time-label')).toHaveText(
    /^\d{1,2}:\d{2}( [AP]M)? – \d{1,2}:\d{2}( [AP]M)? today/,
  );
});

test('replay at 60x moves through a fault start: the drops appear on the map as it plays', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // Two quiet minutes before the fault, so the replay starts on a map without drops.
  await expect.poll(() => apiDrops('from=now-150s'), { timeout: 240_000, intervals: [5_000] }).toBe(0);
  const on = Date.now();
  await setFault(true);
  await expect.poll(() => apiDrops(''), { timeout: 15_000 }).toBeGreaterThan(0);

  const start = on - 120_000;
  await page.goto(appUrl(`?level=pod&at=${iso(start)}`));
  const edge = edgeOnMap(page);
  await expect(edge).toHaveAttribute('data-health', 'ok');
  await page.getByLabel('Speed').selectOption('60');
  await page.getByRole('button', { name: /Replay/ }).click();
  await expect(page.getByRole('button', { name: /Stop replay/ })).toBeVisible();

  // The moment moves forward through the fault's start, and the map turns as it did.
  await expect(edge).toHaveAttribute('data-health', /drops|failing/, { timeout: 30_000 });
  const at = Date.parse(params(page).get('at')!);
  expect(at).toBeGreaterThan(on);
  // It stops at now: the button offers to play again.
  await expect(page.getByRole('button', { name: /^▶ Replay/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'at');
  await snapshot(page, 'timeline-replay-through-fault');
});
