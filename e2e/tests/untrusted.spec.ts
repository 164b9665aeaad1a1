import { expect, test } from '@playwright/test';
import { appUrl, snapshot } from '../support/lab.js';

// The lab runs a pod whose name carries markup and 200 extra characters, and it looks up a DNS name
// that is a script tag. No view may run it, and none may grow sideways because of it.
const PAGES = [
  '',
  '?level=pod',
  '?focus=ns:untrusted&level=workload',
  '?view=flows',
  '?view=dns',
  '?view=tcp',
  '?view=drops',
];

for (const search of PAGES) {
  test(`untrusted names stay text and keep the layout: ${search || 'map'}`, async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(appUrl(search));
    await expect(page.locator('main')).not.toBeEmpty();
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('the hostile pod is listed by a shortened name with the full name in its title', async ({ page }) => {
  await page.goto(appUrl('?focus=ns:untrusted&level=workload'));
  const item = page.locator('[data-testid="map-node"][data-kind="workload"]', { hasText: 'evil-' }).first();
  await expect(item).toBeVisible();
  await snapshot(page, 'untrusted-namespace');
  await page.goto(appUrl('?view=dns'));
  await expect(page.getByTestId('dns-failing')).toContainText('<script>window.__pwned=2</script>');
  await snapshot(page, 'untrusted-dns');
});
