import { expect, type Page, test } from '@playwright/test';
import { VIEWS } from '@weft/protocol';
import { appUrl } from '../support/lab.js';

/**
 * The browser's console stays clean on every view, in both themes: no error, no warning, no failed
 * request (a missing favicon was one; cytoscape refusing the light theme's `#0969da0d` was another).
 */
function watch(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') seen.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) seen.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  return seen;
}

/** Settled enough: the view is on screen and its requests have answered. */
async function visit(page: Page, search: string) {
  await page.goto(appUrl(search));
  await expect(page.locator('main, [data-testid$="-view"]').first()).toBeVisible();
  await page.waitForLoadState('networkidle').catch(() => {});
  // A map renders its first picture (and cytoscape parses its style) after the data came.
  if (!search.includes('view=') || search.includes('view=map'))
    await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
}

for (const theme of ['dark', 'light'] as const) {
  test(`no console errors or warnings on any view (${theme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    const seen = watch(page);
    const searches = [
      '',
      '?level=workload&focus=ns:production',
      '?level=pod&focus=wl:production/api&workload=production/api',
      '?level=node',
      ...VIEWS.filter((v) => v !== 'map').map((v) => `?view=${v}`),
    ];
    for (const s of searches) {
      await visit(page, s);
      expect(seen, `console after ${s || '/'}`).toEqual([]);
    }
  });
}
