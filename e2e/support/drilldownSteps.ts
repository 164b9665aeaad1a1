import { expect, type Page } from '@playwright/test';

/** The drill-down's pod step: the breadcrumbs name the pod and its panel lists its flows. */
export async function expectPodPanel(page: Page, pod: string): Promise<void> {
  await expect(page.getByTestId('breadcrumbs')).toContainText(pod);
  await expect(page.getByTestId('pod-panel')).toBeVisible();
  await expect(page.getByTestId('pod-panel').getByTestId('flow-row').first()).toBeVisible();
}

/** The drill-down's last step: the flows view holds only the pod's own flows. */
export async function expectPodFlows(page: Page, pod: string): Promise<void> {
  await expect(page.getByTestId('flows-view')).toBeVisible();
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  const rows = await page.getByTestId('flow-row').allTextContents();
  for (const r of rows) expect(r).toContain(pod);
}
