import { expect, test } from '@playwright/test';
import { appUrl, params, setFault } from '../support/lab.js';

test('pause freezes the live map, resume catches up', async ({ page }) => {
  await setFault(false);
  await page.goto(appUrl());
  const mode = page.getByTestId('mode');
  await expect(mode).toHaveAttribute('data-mode', 'live');
  await expect(mode).toHaveText('LIVE');
  const edge = page.locator(
    '[data-testid="map-edge"][data-id="pod:monitoring/prometheus-0->pod:production/api-5c6b7-def34"]',
  );
  await page.goto(appUrl('?level=pod'));
  await expect(edge).toHaveAttribute('data-health', /ok|failing|drops/);
  const before = await edge.getAttribute('data-health');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(mode).toHaveAttribute('data-mode', 'paused');
  try {
    await setFault(true);
    // Paused: what is on screen is what was there when the user pressed pause.
    await page.waitForTimeout(4000);
    await expect(edge).toHaveAttribute('data-health', before!);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(mode).toHaveAttribute('data-mode', 'live');
    await expect(edge).toHaveAttribute('data-health', 'drops', { timeout: 15_000 });
  } finally {
    await setFault(false);
  }
});

test('the time range picker sets the window in the URL; range mode says so and still shows data', async ({
  page,
}) => {
  await page.goto(appUrl());
  await page.getByTestId('time-label').click();
  await page.getByRole('dialog', { name: 'Time range' }).getByRole('button', { name: 'last 1 h' }).click();
  await expect.poll(() => params(page).get('from')).toBe('now-1h');
  await expect(page.getByTestId('time-label')).toHaveText(/Last 1 h/);

  await page.goto(appUrl('?from=now-30m'));
  const mode = page.getByTestId('mode');
  await expect(mode).toHaveAttribute('data-mode', 'range');
  await expect(mode).toHaveText('RANGE');
  await expect(page.locator('[data-testid="map-node"][data-id="ns:production"]')).toBeVisible();
  await page.getByRole('button', { name: 'Back to live' }).click();
  await expect(mode).toHaveAttribute('data-mode', 'live');
  expect(params(page).get('from')).toBeNull();
});

test('an absolute range switches to range mode with RFC 3339 times in the URL', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('time-label').click();
  const dialog = page.getByRole('dialog', { name: 'Time range' });
  const now = new Date();
  const local = (d: Date) =>
    new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await dialog.getByLabel('From').fill(local(new Date(now.getTime() - 10 * 60_000)));
  await dialog.getByLabel('To').fill(local(new Date(now.getTime() + 60_000)));
  await dialog.getByRole('button', { name: 'Show this range' }).click();
  await expect.poll(() => params(page).get('from')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'range');
  await expect(page.locator('[data-testid="map-node"][data-id="ns:production"]')).toBeVisible();
});
