import { expect, test } from '@playwright/test';
import { appUrl, params, setFault, snapshot } from '../support/lab.js';

test('the DNS panel shows NXDOMAIN for the failing name', async ({ page }) => {
  await page.goto(appUrl('?view=dns'));
  const failing = page.getByTestId('dns-failing');
  await expect(failing).toContainText('payments.production.svc.cluster.local');
  await expect(failing).toContainText('NXDOMAIN');
  await expect(page.getByTestId('dns-rcodes')).toContainText('NXDOMAIN');
});

test('diagnose for the blocked pair says network policy', async ({ page }) => {
  await page.goto(appUrl('?view=diagnose'));
  await page.getByLabel(/^Source/).fill('production/frontend-7d9f8-abc12');
  await page.getByLabel(/^Destination/).fill('production/db-0');
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect.poll(() => params(page).get('src')).toBe('production/frontend-7d9f8-abc12');
  expect(params(page).get('dst')).toBe('production/db-0');
  const verdict = page.getByTestId('diagnose-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'blocked');
  await expect(verdict).toContainText(/network policy/i);
  await snapshot(page, 'diagnose-blocked');
  // The same diagnosis from a pasted link.
  await page.reload();
  await expect(page.getByTestId('diagnose-verdict')).toHaveAttribute('data-verdict', 'blocked');
});

test('diagnose from an edge menu on the map', async ({ page }) => {
  await page.goto(appUrl('?level=pod'));
  const edge = page.locator(
    '[data-testid="map-edge"][data-id="pod:production/frontend-7d9f8-abc12->pod:production/db-0"]',
  );
  await edge.click();
  await page.getByTestId('edge-panel').getByRole('link', { name: 'Diagnose' }).click();
  await expect(page.getByTestId('diagnose-verdict')).toHaveAttribute('data-verdict', 'blocked');
});

test("an edge's menu opens that connection's flows", async ({ page }) => {
  await page.goto(appUrl('?level=pod'));
  await page
    .locator('[data-testid="map-edge"][data-id="pod:production/frontend-7d9f8-abc12->pod:production/db-0"]')
    .click();
  const panel = page.getByTestId('edge-panel');
  await expect(panel).toContainText('5432/TCP');
  await expect(panel).toContainText('policy_drop');
  await panel.getByRole('link', { name: 'Flows of this connection' }).click();
  await expect.poll(() => params(page).get('view')).toBe('flows');
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  for (const row of await page.getByTestId('flow-row').allTextContents()) {
    expect(row).toContain('frontend-7d9f8-abc12');
    expect(row).toContain('db-0');
  }
});

test('an edge as focus: a URL that opens the map with that connection selected, and back', async ({
  page,
}) => {
  const id = 'pod:production/frontend-7d9f8-abc12->pod:production/db-0';
  await page.goto(appUrl('?level=pod'));
  await page.locator(`[data-testid="map-edge"][data-id="${id}"]`).click();
  await page.getByTestId('edge-panel').getByRole('link', { name: 'Focus this connection' }).click();
  await expect.poll(() => params(page).get('focus')).toBe(id);
  await expect(page.getByTestId('breadcrumbs')).toContainText('frontend-7d9f8-abc12 → db-0');
  // A pasted link restores it: the connection's menu is open, with its numbers.
  await page.reload();
  const panel = page.getByTestId('edge-panel');
  await expect(panel).toContainText('5432/TCP');
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
  await expect(page.getByTestId('url-notice')).toHaveCount(0);
  // Closing the menu is a step back up: to the namespace it came from.
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => params(page).get('focus')).toBe('ns:production');
});

test('diagnose from a workload edge lists the problems worst first, and a next step opens the drops', async ({
  page,
}) => {
  await page.goto(appUrl('?level=workload'));
  await page.locator('[data-testid="map-edge"][data-id="wl:production/frontend->wl:production/db"]').click();
  await page.getByTestId('edge-panel').getByRole('link', { name: 'Diagnose' }).click();
  await expect.poll(() => params(page).get('src')).toBe('production/frontend');
  await expect(page.getByTestId('diagnose-verdict')).toHaveAttribute('data-verdict', 'blocked');
  const kinds = await page
    .getByTestId('diagnose-problem')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind));
  expect(kinds[0]).toBe('blocked');
  await page
    .getByTestId('diagnose-problem')
    .first()
    .getByRole('link', { name: 'See the policy drops between them' })
    .click();
  await expect.poll(() => params(page).get('view')).toBe('drops');
  expect(params(page).get('reason')).toBe('policy_drop');
  expect(params(page).get('focus')).toBe('pod:production/frontend-7d9f8-abc12->pod:production/db-0');
});

test('diagnose from a namespace edge names the failing pod pairs between the two namespaces', async ({
  page,
}) => {
  await setFault(true);
  try {
    await page.goto(appUrl());
    await page.locator('[data-testid="map-edge"][data-id="ns:monitoring->ns:production"]').click();
    await page.getByTestId('edge-panel').getByRole('link', { name: 'Diagnose' }).click();
    await expect.poll(() => params(page).get('src')).toBe('ns:monitoring');
    expect(params(page).get('dst')).toBe('ns:production');
    await expect(page.getByTestId('diagnose-verdict')).toHaveAttribute('data-verdict', 'blocked', {
      timeout: 15_000,
    });
    await expect(page.getByTestId('diagnose-pairs')).toContainText('monitoring/prometheus-0');
    await snapshot(page, 'diagnose-namespaces');
  } finally {
    await setFault(false);
  }
});
