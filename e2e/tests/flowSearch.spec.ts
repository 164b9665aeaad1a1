import { expect, type Page, test } from '@playwright/test';
import { appUrl, params } from '../support/lab.js';

/** "N of M flows" as numbers (small counts: the stack's 15 minutes hold a few thousand rows). */
async function counts(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId('flows-count').textContent()) ?? '';
  const m = /^([\d.]+)(k?) of ([\d.]+)(k?) flows$/.exec(text);
  expect(m, text).not.toBeNull();
  const n = (v: string, k: string) => Number(v) * (k ? 1000 : 1);
  return [n(m![1]!, m![2]!), n(m![3]!, m![4]!)];
}

test('flows: the server searches every row, the table reads on page by page, and order and row are in the URL', async ({
  page,
}) => {
  await page.goto(appUrl('?view=flows&from=now-15m'));
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  const [loaded, total] = await counts(page);
  expect(total).toBeGreaterThanOrEqual(loaded);
  if (total > loaded) {
    // Reading on: the end of the table in view (or Load more) asks for the next page by its cursor.
    await page.getByTestId('flows-more').click();
    await expect.poll(async () => (await counts(page))[0]).toBeGreaterThan(loaded);
  }

  await page.getByRole('button', { name: /^Bytes/ }).click();
  await expect.poll(() => params(page).get('sort')).toBe('bytes');
  await expect(page.getByRole('columnheader', { name: /Bytes/ })).toHaveAttribute('aria-sort', 'descending');

  await page.getByTestId('flow-row').first().click();
  await expect.poll(() => params(page).get('row')).toMatch(/^\d+$/);
  await expect(page.getByTestId('flow-detail')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('flow-detail')).toBeVisible();
});

test('flows: a drop shows its whole verdict, and the search box asks the server', async ({ page }) => {
  await page.goto(appUrl('?view=flows&from=now-15m&verdict=dropped'));
  const verdict = page.getByTestId('flow-verdict').first();
  await expect(verdict).toBeVisible();
  await expect(verdict).toHaveText(/^dropped: [a-z_]+/);
  // Not cut off: the cell holds the whole text in view.
  expect(await verdict.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  const box = page.getByRole('searchbox', { name: 'Search flows' });
  await box.fill('policy_drop');
  await box.press('Enter');
  await expect.poll(() => params(page).get('q')).toBe('policy_drop');
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  for (const row of await page.getByTestId('flow-verdict').allTextContents())
    expect(row).toContain('policy_drop');
});

test('flows: one row per connection (the default) merges the drop with the sender’s row of the same packets', async ({
  page,
}) => {
  await page.goto(appUrl('?view=flows&from=now-15m&port=5432'));
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  const toggle = page.getByRole('button', { name: 'One row per connection' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const [, merged] = await counts(page);
  // Off: each point's record is its own row, so there are more.
  await toggle.click();
  await expect.poll(() => params(page).get('merge')).toBe('observation');
  await expect.poll(async () => (await counts(page))[1]).toBeGreaterThan(merged);
  await toggle.click();
  await expect.poll(() => params(page).get('merge')).toBeNull();
  const row = page
    .getByTestId('flow-row')
    .filter({ has: page.getByTestId('flow-seen') })
    .first();
  await expect(row.getByTestId('flow-verdict')).toHaveText(/^dropped: policy_drop/);
  await row.click();
  await expect(page.getByTestId('flow-detail')).toContainText('dropped: policy_drop');
});
