import { expect, test } from '@playwright/test';
import { appUrl, setFault, snapshot } from '../support/lab.js';

test('the map shows the lab namespaces and edges within 5 s of opening', async ({ page }) => {
  // One 5 s budget for everything, counted from the moment the page is asked for.
  const deadline = Date.now() + 5000;
  const left = () => Math.max(1, deadline - Date.now());
  await page.goto(appUrl());
  for (const ns of ['production', 'monitoring', 'kube-system']) {
    await expect(page.locator(`[data-testid="map-node"][data-id="ns:${ns}"]`)).toBeVisible({
      timeout: left(),
    });
  }
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1', { timeout: left() });
  await expect(page.locator('[data-testid="map-edge"][data-id="ns:monitoring->ns:production"]')).toBeVisible({
    timeout: left(),
  });
  const edges = Number(await page.getByTestId('traffic-map').getAttribute('data-edges'));
  expect(edges).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  // Edge labels read like the seed's Mermaid map.
  await expect(page.locator('[data-testid="map-edge"][data-id="ns:production->world"]')).toContainText(
    '443/TCP',
  );
  await snapshot(page, 'dashboard-open');
});

test('a fault switched on in the lab appears on the map and in the drop panel while the page stays open', async ({
  page,
}) => {
  await setFault(false);
  await page.goto(appUrl());
  const edge = page.locator('[data-testid="map-edge"][data-id="ns:monitoring->ns:production"]');
  await expect(edge).toHaveAttribute('data-health', /ok|failing/);
  const before = Number(await page.getByTestId('traffic-map').getAttribute('data-drop-edges'));
  try {
    await setFault(true);
    // Live updates, no reload: the edge turns red and the map counts one more dropping edge.
    await expect(edge).toHaveAttribute('data-health', 'drops', { timeout: 15_000 });
    await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-drop-edges', String(before + 1));
    await snapshot(page, 'fault-map');
    // The same page, client-side navigation to the drop panel.
    await page.getByRole('link', { name: 'Drops', exact: true }).click();
    const pairs = page.getByTestId('drops-top-pairs');
    await expect(pairs).toContainText('monitoring/prometheus-0', { timeout: 15_000 });
    await expect(pairs).toContainText('policy_drop');
    await snapshot(page, 'fault-drops');
  } finally {
    await setFault(false);
  }
});
