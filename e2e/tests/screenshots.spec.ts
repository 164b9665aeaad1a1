import { expect, test } from '@playwright/test';
import { appUrl, snapshot } from '../support/lab.js';

// Every view, in both themes, kept as artifacts to be looked at.
const VIEWS: [string, string][] = [
  ['map', 'map-view'],
  ['flows', 'flows-view'],
  ['drops', 'drops-view'],
  ['dns', 'dns-view'],
  ['tcp', 'tcp-view'],
  ['alerts', 'alerts-view'],
  ['diagnose', 'diagnose-view'],
  ['status', 'status-view'],
];

for (const [view, testId] of VIEWS) {
  test(`screenshot: ${view}`, async ({ page }) => {
    await page.goto(appUrl(view === 'map' ? '' : `?view=${view}`));
    await expect(page.getByTestId(testId)).toBeVisible();
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(1500);
    await snapshot(page, `view-${view}`);
  });
}

test('screenshot: map in the light theme, drilled into production', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(appUrl('?focus=ns:production&level=workload'));
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
  await page.waitForTimeout(1500);
  await snapshot(page, 'view-map-production-light');
});

for (const [name, search] of [
  ['map-node-level', '?level=node'],
  ['map-pod-level', '?level=pod'],
] as const) {
  test(`screenshot: ${name}`, async ({ page }) => {
    await page.goto(appUrl(search));
    await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
    await page.waitForTimeout(1500);
    await snapshot(page, `view-${name}`);
  });
}
