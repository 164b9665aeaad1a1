import { expect, type Page, test } from '@playwright/test';
import { appUrl, params, setFault, snapshot } from '../support/lab.js';

/**
 * Compare on the map against the real server fed by the e2e stack's collectors: with the lab's fault
 * switched on, the live window (last seconds) has drops on monitoring -> production that a baseline
 * window before the fault did not, so `compare=` marks that edge as "drops rose", lists it under "What
 * changed", and its panel says now against before.
 */
const EDGE = 'pod:monitoring/prometheus-0->pod:production/api-5c6b7-def34';

async function graph(
  search: string,
): Promise<{ edges: { id: string; dropsPerSec: number; changes?: string[] }[] }> {
  const res = await fetch(`${process.env.WEFT_E2E_URL}/api/v1/graph?${search}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** Until the last 25 s hold no drops on EDGE: the baseline taken next is clean. */
async function waitClean(): Promise<void> {
  await expect
    .poll(
      async () =>
        (await graph('level=pod&from=now-25s')).edges.find((x) => x.id === EDGE)?.dropsPerSec ?? 'absent',
      { timeout: 90_000, intervals: [1000] },
    )
    .toBe(0);
}

const changeRow = (page: Page) => page.locator(`[data-testid="change-row"][data-id="${EDGE}"]`);

/** RFC 3339 to the second, as the web app writes times into the URL. */
const iso = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

test('compare: the faulted edge is marked and listed as new drops against a window before the fault', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await setFault(false);
  await waitClean();
  // A fixed baseline just before the fault: it stays clean however long the checks below take (with
  // `previous`, the baseline itself holds drops one rate window after the fault).
  const before = Date.now();
  const baseline = `${iso(before - 20_000)}..${iso(before - 2_000)}`;
  try {
    await setFault(true);
    const switched = Date.now();
    await page.goto(appUrl(`?level=pod&compare=${baseline}`));
    await expect(page.getByTestId('compare-select')).toHaveValue('custom');
    await expect(page.getByTestId('map-legend')).toContainText('drops / failures / DNS errors rose');
    await expect(page.getByTestId('map-window')).toContainText('marked against');
    await expect(changeRow(page)).toHaveAttribute('data-change', /drops_rose/, { timeout: 30_000 });
    process.stderr.write(
      `compare.spec: edge listed as drops rose ${Date.now() - switched} ms after the fault\n`,
    );
    await expect(page.locator(`[data-testid="map-edge"][data-id="${EDGE}"]`)).toHaveAttribute(
      'data-health',
      'drops',
    );
    await changeRow(page).click();
    await expect(page.getByTestId('edge-changes')).toContainText('drops rose');
    await expect(page.getByTestId('edge-changes')).toContainText('none before');
    await expect(page.getByTestId('edge-window')).toContainText('Rates over the last');
    await expect(page.getByTestId('edge-totals')).toContainText('Totals over the last');
    await snapshot(page, 'compare-drops-rose');
  } finally {
    await setFault(false);
  }
});

test('compare: the control sets compare=previous, a reload keeps it, "No comparison" removes it', async ({
  page,
}) => {
  await page.goto(appUrl('?level=pod'));
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
  await page.getByTestId('compare-select').selectOption('previous');
  await expect.poll(() => params(page).get('compare')).toBe('previous');
  await expect(page.getByTestId('what-changed')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('compare-select')).toHaveValue('previous');
  await expect(page.getByTestId('what-changed')).toBeVisible();
  await page.getByTestId('compare-select').selectOption('off');
  await expect.poll(() => params(page).get('compare')).toBeNull();
  await expect(page.getByTestId('what-changed')).toHaveCount(0);
});
