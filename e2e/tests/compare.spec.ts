import { expect, type Page, test } from '@playwright/test';
import { appUrl, params, setFault, snapshot } from '../support/lab.js';

/**
 * Compare on the map against the real server fed by the e2e stack's collectors: with the lab's fault
 * switched on, the live window (last seconds) has drops on monitoring -> production that the window
 * before it did not, so `compare=previous` marks that edge as "drops rose", lists it under "What
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

/** Until neither the live window nor the one before it holds drops on EDGE: a clean baseline. */
async function waitClean(): Promise<void> {
  await expect
    .poll(
      async () => {
        const g = await graph('level=pod&compare=previous');
        const e = g.edges.find((x) => x.id === EDGE);
        return e ? `${e.dropsPerSec}|${(e.changes ?? []).join(',')}` : 'absent';
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toMatch(/^0\|(?!.*drops_rose)/);
}

const changeRow = (page: Page) => page.locator(`[data-testid="change-row"][data-id="${EDGE}"]`);

test('compare: the faulted edge is marked and listed as new drops against the previous window', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await setFault(false);
  await waitClean();
  await page.goto(appUrl('?level=pod'));
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
  // The control writes compare= into the URL; the map then marks against that baseline.
  await page.getByTestId('compare-select').selectOption('previous');
  await expect.poll(() => params(page).get('compare')).toBe('previous');
  await expect(page.getByTestId('what-changed')).toBeVisible();
  await expect(page.getByTestId('map-legend')).toContainText('drops / failures / DNS errors rose');
  await expect(page.getByTestId('map-window')).toContainText('marked against');
  try {
    await setFault(true);
    const switched = Date.now();
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

test('compare: a baseline in the URL survives a reload, and "No comparison" removes it', async ({ page }) => {
  await page.goto(appUrl('?level=pod&compare=previous'));
  await expect(page.getByTestId('compare-select')).toHaveValue('previous');
  await expect(page.getByTestId('what-changed')).toBeVisible();
  await page.getByTestId('compare-select').selectOption('off');
  await expect.poll(() => params(page).get('compare')).toBeNull();
  await expect(page.getByTestId('what-changed')).toHaveCount(0);
});
