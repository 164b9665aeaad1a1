import { expect, test } from '@playwright/test';
import { appUrl, params } from '../support/lab.js';

test('the map can be driven from the keyboard', async ({ page }) => {
  await page.goto(appUrl());
  const ns = page.locator('[data-testid="map-node"][data-id="ns:production"]');
  await ns.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => params(page).get('focus')).toBe('ns:production');
  // Escape goes one level up.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('Escape');
  await expect.poll(() => params(page).get('focus')).toBeNull();
  // Alt+2 opens the second view, Alt+1 comes back.
  await page.keyboard.press('Alt+2');
  await expect.poll(() => params(page).get('view')).toBe('flows');
  await page.keyboard.press('Alt+1');
  await expect.poll(() => params(page).get('view')).toBeNull();
  // A connection opens its panel from the keyboard too.
  const edge = page.locator('[data-testid="map-edge"]').first();
  await edge.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edge-panel')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('edge-panel')).toBeHidden();
});
