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
 * Issue 16 in Chromium, on `weft start`'s lab: the default scenario's policy (legacy-worker refused by
 * api) is a real NetworkPolicy, and the dashboard names it where the drops show: the drops view
 * (policy drops by NetworkPolicy), the edge's panel and Diagnose. legacy-worker and one api pod share
 * lab node 1, so that node's collector reports the drops. Generous deadlines, nothing timed.
 */
const NAMESPACES = ['production', 'monitoring', 'kube-system'];
const POLICY = 'production/api-allow-frontend';
const EDGE = 'wl:production/legacy-worker->wl:production/api';

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

test('the scenario policy is listed by the lab and named in the drops view, the edge panel and Diagnose', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const status = await labCli(['status']);
  expect(status.stdout).toContain('api-allow-frontend');

  await page.goto(at('?view=drops&from=now-5m'));
  await expect(page.getByTestId('drops-by-policy')).toContainText(POLICY, { timeout: 60_000 });
  await expect(page.getByTestId('drops-top-pairs')).toContainText(`denied by ${POLICY}`);
  await snapshot(page, 'policy-drops-by-policy');

  await page.goto(at(`?level=workload&focus=${encodeURIComponent(EDGE)}&from=now-5m`));
  const panel = page.getByTestId('edge-policy');
  await expect(panel).toContainText(`Denied by NetworkPolicy ${POLICY} (ingress)`, { timeout: 30_000 });
  await expect(panel).toContainText('production/api-allow-frontend selects app=api');

  await page.goto(at('?view=diagnose&src=production/legacy-worker&dst=production/api&from=now-5m'));
  await expect(page.getByTestId('diagnose-verdict')).toHaveText('Blocked by network policy', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('diagnose-policy')).toContainText(`Denied by NetworkPolicy ${POLICY}`);
  await snapshot(page, 'policy-diagnose');
});
