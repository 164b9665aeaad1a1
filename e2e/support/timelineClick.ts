import { expect, type Page } from '@playwright/test';

/**
 * Clicks the strip where it draws moment `t`. Read and click in one task of the page: the strip's span
 * moves with each refresh (whole minutes, in live mode), so a click a frame later would land elsewhere.
 */
export async function clickMoment(page: Page, t: number): Promise<void> {
  const chart = page.getByTestId('timeline-chart');
  await chart.scrollIntoViewIfNeeded();
  const where = await chart.evaluate((el, moment) => {
    const start = Number(el.getAttribute('data-start'));
    const end = Number(el.getAttribute('data-end'));
    const box = el.getBoundingClientRect();
    const init = {
      bubbles: true,
      button: 0,
      pointerId: 1,
      clientX: box.left + ((moment - start) / (end - start)) * box.width,
      clientY: box.top + box.height / 2,
    };
    el.dispatchEvent(new PointerEvent('pointerdown', init));
    el.dispatchEvent(new PointerEvent('pointerup', init));
    return { start, end };
  }, t);
  expect(t).toBeGreaterThan(where.start);
  expect(t).toBeLessThan(where.end);
}
