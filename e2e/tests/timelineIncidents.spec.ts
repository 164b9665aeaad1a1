import { expect, type Page, test } from '@playwright/test';
import { appUrl, params, setFault, snapshot } from '../support/lab.js';
import { clickMoment } from '../support/timelineClick.js';

/**
 * Incidents on the timeline, from the server's GET /api/v1/timeline: a fault's start is a marker on
 * the strip, a click on it looks at the moment the drops were there, and previous/next incident step
 * between markers.
 */
const EDGE = 'pod:monitoring/prometheus-0->pod:production/api-5c6b7-def34';
const edgeOnMap = (page: Page) => page.locator(`[data-testid="map-edge"][data-id="${EDGE}"]`);
const marker = (page: Page) => page.locator('[data-testid="timeline-incident"][data-kind="drops_started"]');
const stopMarker = (page: Page) =>
  page.locator('[data-testid="timeline-incident"][data-kind="drops_stopped"]');

test.afterEach(async () => {
  await setFault(false);
});

test('a fault start is a marker on the timeline; clicking it shows the drops of that moment', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await setFault(false);
  // The lab's blocked pair drops all the time in production: monitoring's own drops are the fault's.
  await page.goto(appUrl('?level=pod&namespace=monitoring'));
  const chart = page.getByTestId('timeline-chart');
  await expect(chart).toBeVisible();
  const on = Date.now();
  await setFault(true);
  // The server names a step's change once the step is complete; the strip refreshes every few seconds.
  await expect
    .poll(
      async () => {
        for (const at of await marker(page).evaluateAll((els) =>
          els.map((e) => Number(e.getAttribute('data-at'))),
        ))
          if (at >= on - 120_000) return at;
        return 0;
      },
      { timeout: 120_000 },
    )
    .toBeGreaterThan(0);
  const step = Number(await chart.getAttribute('data-step'));
  const startedAt = (
    await marker(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-at'))))
  ).find((at) => at >= on - 120_000)!;
  // Drops for a while past the end of the step they started in, then none.
  await expect.poll(() => Date.now(), { timeout: 120_000 }).toBeGreaterThan(startedAt + step + 15_000);
  await setFault(false);
  await expect(edgeOnMap(page)).toHaveAttribute('data-health', 'ok', { timeout: 30_000 });
  // The stop is a marker too once its step is complete (the live strip refreshes; a moment's does not).
  await expect
    .poll(
      async () =>
        (await stopMarker(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-at'))))).some(
          (at) => at > startedAt,
        ),
      { timeout: 150_000 },
    )
    .toBe(true);

  // A click on the marker (its x on the strip) takes the moment the step ended.
  await clickMoment(page, startedAt);
  await expect.poll(() => params(page).get('at')).not.toBeNull();
  expect(Date.parse(params(page).get('at')!)).toBe(Math.floor((startedAt + step) / 1000) * 1000);
  await expect(edgeOnMap(page)).toHaveAttribute('data-health', /drops|failing/);
  await snapshot(page, 'timeline-incident-marker');

  // Next incident moves later (the drops stopping at least), previous comes back.
  const here = params(page).get('at')!;
  await page.getByRole('button', { name: /Next incident/ }).click();
  await expect.poll(() => Date.parse(params(page).get('at')!)).toBeGreaterThan(Date.parse(here));
  await page.getByRole('button', { name: /Previous incident/ }).click();
  await expect.poll(() => params(page).get('at')).toBe(here);
});
