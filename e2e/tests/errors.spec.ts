import { expect, test } from '@playwright/test';
import { appUrl } from '../support/lab.js';

// Failures injected at the network layer in front of the real server: the page must say what failed
// and what to do, keep the rest working, and recover on its own.
test('a failing endpoint shows what failed and how to recover, the rest of the view works', async ({
  page,
}) => {
  await page.route('**/api/v1/dns?**', (r) =>
    r.fulfill({
      status: 500,
      json: { statusCode: 500, error: 'Internal Server Error', message: 'store exploded' },
    }),
  );
  await page.goto(appUrl('?view=dns'));
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load DNS' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('store exploded');
  await expect(alert).toContainText('its log says why');
  // The charts come from other endpoints and still draw.
  await expect(page.getByTestId('dns-latency-chart')).toBeVisible();
  await page.unroute('**/api/v1/dns?**');
  await alert.getByRole('button', { name: 'Retry now' }).click();
  await expect(page.getByTestId('dns-rcodes')).toContainText('NXDOMAIN');
});

test('a server that does not answer is said plainly, and the page recovers when it is back', async ({
  page,
}) => {
  await page.goto(appUrl());
  await expect(page.locator('[data-testid="map-node"][data-id="ns:production"]')).toBeVisible();
  await page.route('**/api/v1/status', (r) => r.abort('connectionrefused'));
  await expect(page.getByTestId('banner-server')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('banner-server')).toContainText('npm start');
  // What was on screen stays on screen.
  await expect(page.locator('[data-testid="map-node"][data-id="ns:production"]')).toBeVisible();
  await page.unroute('**/api/v1/status');
  await expect(page.getByTestId('banner-server')).toBeHidden({ timeout: 15_000 });
});
