import { expect, test } from '@playwright/test';
import { appUrl } from '../support/lab.js';

test('copy link copies exactly the view on screen, and the link reproduces it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(appUrl('?view=flows&focus=ns:production&level=workload&verdict=dropped'));
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  const other = await context.newPage();
  await other.goto(copied);
  await expect(other.getByTestId('flows-view')).toBeVisible();
  await expect(other.getByRole('link', { name: 'dropped' })).toHaveAttribute('aria-current', 'page');
  await expect(other.getByTestId('breadcrumbs')).toContainText('production');
});

test('the theme switch toggles light and dark and is remembered', async ({ page }) => {
  await page.goto(appUrl());
  const html = page.locator('html');
  await expect(html).toHaveClass(/dark/);
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(html).toHaveClass(/light/);
  await page.reload();
  await expect(html).toHaveClass(/light/);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveClass(/dark/);
});
