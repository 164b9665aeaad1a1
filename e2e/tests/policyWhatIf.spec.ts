import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { snapshot } from '../support/lab.js';
import {
  LAB_PREFIX,
  type LabStack,
  labCli,
  labLeftovers,
  startLabStack,
  waitForTraffic,
} from '../support/labStack.js';

/**
 * Issue 16's what-if and generate in Chromium, on `weft start`'s lab: a policy pasted in the Policy
 * view lists the connections it would deny (prometheus' scrapes of api, once api takes only frontend)
 * and marks them on the map; the generated YAML for production downloads. Generous deadlines, nothing
 * timed.
 */
const NAMESPACES = ['production', 'monitoring', 'kube-system'];
const YAML = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-allow-frontend, namespace: production }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: frontend } } }]
    ports: [{ protocol: TCP, port: 80 }]
`;

let stack: LabStack | undefined;
const at = (search = '') => {
  if (!stack) throw new Error('the lab stack did not start (see beforeAll)');
  return `${stack.url}/${search}`;
};

test.beforeAll(async () => {
  test.setTimeout(150_000);
  if ((await labLeftovers()).length > 0) await labCli(['down']);
  expect(await labLeftovers(), `a "${LAB_PREFIX}" lab from an earlier run could not be taken down`).toEqual(
    [],
  );
  stack = await startLabStack({ simulated: process.env.WEFT_E2E_LAB_SIMULATED === '1' });
  await waitForTraffic(stack.url, NAMESPACES);
});

test.afterAll(async () => {
  test.setTimeout(90_000);
  if (!stack) return;
  const running = stack;
  stack = undefined;
  const exit = await running.stop();
  expect(exit, running.log()).toEqual({ code: 0, signal: null });
  expect(await labLeftovers()).toEqual([]);
});

test('what if: a pasted policy lists the connections it would deny, and the map marks them', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(at('?view=policy&from=now-5m'));
  await page.getByTestId('whatif-yaml').fill(YAML);
  const flows = page.getByTestId('whatif-flows');
  // Scrapes run once a second: poll until the window holds them.
  await expect(async () => {
    await page.getByTestId('whatif-evaluate').click();
    await expect(flows).toContainText('monitoring/prometheus-0', { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('whatif-summary')).toContainText('production/api-allow-frontend would deny');
  await expect(page.getByTestId('whatif-result')).toContainText(
    'production/api-allow-frontend replaces the current policy of that name',
  );
  await expect(flows.locator('tbody tr').first()).toContainText('denied by production/api-allow-frontend');
  // legacy-worker is denied today already: not listed.
  await expect(flows).not.toContainText('legacy-worker');
  await snapshot(page, 'policy-whatif');

  await page.getByRole('link', { name: 'Show them on the map' }).click();
  await expect(page.getByTestId('map-whatif')).toContainText(
    'What if production/api-allow-frontend: 1 edge here would be denied',
    { timeout: 30_000 },
  );
  await snapshot(page, 'policy-whatif-map');

  // A bad document: the server's message names the field.
  await page.goto(at('?view=policy&from=now-5m'));
  await page.getByTestId('whatif-yaml').fill(YAML.replace('port: 80', 'port: 99999'));
  await page.getByTestId('whatif-evaluate').click();
  await expect(page.getByRole('alert')).toContainText('spec.ingress[0].ports[0].port');
});

test('generate: least-privilege policies for production download as YAML', async ({ page }) => {
  await page.goto(at('?view=policy&from=now-5m'));
  await page.getByTestId('generate-namespace').fill('production');
  await expect(page).toHaveURL(/namespace=production/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('generate-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe('production-networkpolicies.yaml');
  const yaml = await readFile(await download.path(), 'utf8');
  expect(yaml).toMatch(/^# Least-privilege NetworkPolicies for namespace production\n/);
  for (const name of ['api', 'db', 'frontend', 'redis'])
    expect(yaml).toContain(`name: ${name}-least-privilege`);
});
