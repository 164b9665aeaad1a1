import { expect, test } from '@playwright/test';
import { appUrl, params, snapshot } from '../support/lab.js';

test('a URL with invalid parameters shows a notice and a working view', async ({ page }) => {
  await page.goto(
    appUrl('?view=dns&level=galaxy&port=0&bogus=%3Cscript%3Ealert(1)%3C%2Fscript%3E&from=yesterday'),
  );
  const notice = page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const p of ['level=galaxy', 'port=0', 'bogus=', 'from=yesterday'])
    await expect(notice).toContainText(p);
  // The rest of the URL still applies: the DNS view, with data.
  await expect(page.getByTestId('dns-view')).toBeVisible();
  await expect(page.getByTestId('dns-rcodes')).toContainText('NOERROR');
  // The address bar now holds the clean URL, so copying it shares something that works.
  expect(params(page).toString()).toBe('view=dns');
  await snapshot(page, 'invalid-url');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});

test('garbage everywhere still gives the default map', async ({ page }) => {
  await page.goto(appUrl('?view=%00&focus=../../etc&live=maybe&namespace=BAD_NS,production'));
  await expect(page.getByTestId('url-notice')).toBeVisible();
  await expect(page.getByTestId('map-view')).toBeVisible();
  await expect(page.locator('[data-testid="map-node"]').first()).toBeVisible();
});
