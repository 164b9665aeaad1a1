import { expect, type Page, test } from '@playwright/test';
import { expectPodFlows, expectPodPanel } from '../support/drilldownSteps.js';
import { appUrl, params, snapshot } from '../support/lab.js';

async function expectWorkloads(page: Page) {
  await expect(page.getByTestId('breadcrumbs')).toContainText('production');
  await expect(page.locator('[data-testid="map-node"][data-id="wl:production/api"]')).toBeVisible();
}
async function expectPods(page: Page) {
  await expect(page.getByTestId('breadcrumbs')).toContainText('api');
  await expect(
    page.locator('[data-testid="map-node"][data-id="pod:production/api-5c6b7-def34"]'),
  ).toBeVisible();
}
const expectPod = (page: Page) => expectPodPanel(page, 'api-5c6b7-def34');
const expectFlows = (page: Page) => expectPodFlows(page, 'api-5c6b7-def34');

test('drill-down namespace -> workload -> pod -> flows and back, each step a URL that reloads to the same view', async ({
  page,
}) => {
  await page.goto(appUrl());
  const steps: { url: string; check: (p: Page) => Promise<void> }[] = [];

  await page.locator('[data-testid="map-node"][data-id="ns:production"]').click();
  await expect.poll(() => params(page).get('focus')).toBe('ns:production');
  expect(params(page).get('level')).toBe('workload');
  await expectWorkloads(page);
  steps.push({ url: page.url(), check: expectWorkloads });

  await page.locator('[data-testid="map-node"][data-id="wl:production/api"]').click();
  await expect.poll(() => params(page).get('focus')).toBe('wl:production/api');
  expect(params(page).get('level')).toBe('pod');
  await expectPods(page);
  steps.push({ url: page.url(), check: expectPods });

  await page.locator('[data-testid="map-node"][data-id="pod:production/api-5c6b7-def34"]').click();
  await expect.poll(() => params(page).get('focus')).toBe('pod:production/api-5c6b7-def34');
  await expectPod(page);
  await snapshot(page, 'drill-pod');
  steps.push({ url: page.url(), check: expectPod });

  await page
    .getByTestId('pod-panel')
    .getByRole('link', { name: /All its flows/ })
    .click();
  await expect.poll(() => params(page).get('view')).toBe('flows');
  await expectFlows(page);
  await snapshot(page, 'drill-flows');
  steps.push({ url: page.url(), check: expectFlows });

  // Back through history: each step comes back.
  for (let i = steps.length - 2; i >= 0; i--) {
    await page.goBack();
    await expect.poll(() => page.url()).toBe(steps[i]!.url);
    await steps[i]!.check(page);
  }
  await page.goBack();
  await expect.poll(() => params(page).get('focus')).toBeNull();
  await expect(page.locator('[data-testid="map-node"][data-id="ns:monitoring"]')).toBeVisible();

  // Breadcrumbs lead back too.
  await page.goto(steps[2]!.url);
  await page.getByTestId('breadcrumbs').getByRole('link', { name: 'production' }).click();
  await expect.poll(() => params(page).get('focus')).toBe('ns:production');
  await expectWorkloads(page);

  // A fresh load of every URL restores the same view.
  for (const step of steps) {
    await page.goto(step.url);
    await step.check(page);
    await page.reload();
    await step.check(page);
  }
});
