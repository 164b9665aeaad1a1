import { expect, type Page, test } from '@playwright/test';
import { expectPodFlows, expectPodPanel } from '../support/drilldownSteps.js';
import { params, snapshot } from '../support/lab.js';
import {
  LAB_PREFIX,
  type LabStack,
  labCli,
  labLeftovers,
  startLabStack,
  waitForTraffic,
} from '../support/labStack.js';

/**
 * The dashboard against the lab that `weft start` builds: real network namespaces, servers, DNS,
 * the eBPF probe and one collector per node where the host allows it (root here), the simulated
 * source otherwise. Names come from the lab's default topology and scenario, which both modes share.
 */
const NAMESPACES = ['production', 'monitoring', 'kube-system'];
const API_POD = 'api-5c8d7f9b6-h4j2k';
const LEGACY_POD = 'legacy-worker-84f6d9c7b-z5n3m';
const FAILING_NAME = 'recommendations.production.svc.cluster.local';

let stack: LabStack | undefined;
const at = (search = '') => {
  if (!stack) throw new Error('the lab stack did not start (see beforeAll)');
  return `${stack.url}/${search}`;
};
const mapNode = (page: Page, id: string) => page.locator(`[data-testid="map-node"][data-id="${id}"]`);
const mapEdge = (page: Page, id: string) => page.locator(`[data-testid="map-edge"][data-id="${id}"]`);
/** A row of the drop panel's top pairs: source and destination (by prefix), dropped by policy. */
const dropPair = (page: Page, source: string, destination: string) =>
  page
    .getByTestId('drops-top-pairs')
    .locator('tbody tr')
    .filter({ has: page.locator('td:nth-child(1)', { hasText: source }) })
    .filter({ has: page.locator('td:nth-child(2)', { hasText: destination }) })
    .filter({ has: page.locator('td:nth-child(3)', { hasText: 'policy_drop' }) })
    .first();

test.beforeAll(async () => {
  // Building the real lab takes a few seconds; on a busy machine much longer.
  test.setTimeout(150_000);
  // A run killed mid-way leaves its lab: take it down the way a user would, then insist on a clean host.
  if ((await labLeftovers()).length > 0) await labCli(['down']);
  expect(await labLeftovers(), `a "${LAB_PREFIX}" lab from an earlier run could not be taken down`).toEqual(
    [],
  );
  stack = await startLabStack({ simulated: process.env.WEFT_E2E_LAB_SIMULATED === '1' });
  process.stderr.write(
    `lab.spec: ${stack.mode === 'lab' ? 'real' : 'simulated'} lab (${stack.why}) at ${stack.url}\n`,
  );
  await waitForTraffic(stack.url, NAMESPACES);
});

test.afterAll(async () => {
  test.setTimeout(90_000);
  if (!stack) return;
  const running = stack;
  stack = undefined;
  const exit = await running.stop();
  expect(exit, running.log()).toEqual({ code: 0, signal: null });
  expect(running.log()).toContain('nothing left behind');
  // The CLI's teardown is the user's only cleanup: nothing with the prefix may survive it.
  expect(await labLeftovers()).toEqual([]);
});

test('lab: the map shows the namespaces and their edges within 5 s of opening', async ({ page }) => {
  const deadline = Date.now() + 5000;
  const left = () => Math.max(1, deadline - Date.now());
  await page.goto(at());
  for (const ns of NAMESPACES) await expect(mapNode(page, `ns:${ns}`)).toBeVisible({ timeout: left() });
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1', { timeout: left() });
  // The seed's map: production calls itself and the world, everyone asks kube-system, monitoring scrapes.
  for (const id of [
    'ns:production->ns:production',
    'ns:production->ns:kube-system',
    'ns:monitoring->ns:production',
    'ns:production->world',
  ])
    await expect(mapEdge(page, id)).toBeVisible({ timeout: left() });
  expect(Date.now()).toBeLessThanOrEqual(deadline);
  process.stderr.write(
    `lab.spec: namespaces and edges on screen ${5000 - (deadline - Date.now())} ms after page open\n`,
  );
  await expect(mapEdge(page, 'ns:production->world')).toContainText('443/TCP');
  expect(Number(await page.getByTestId('traffic-map').getAttribute('data-edges'))).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  // The banner tells simulated data apart; the real lab must not claim to be simulated.
  await expect(page.getByTestId('banner-simulated')).toHaveCount(stack?.mode === 'simulated' ? 1 : 0);
  await snapshot(page, 'lab-open');
});

test('lab: a policy-drop fault switched on while the page stays open shows on the map and in the drop panel', async ({
  page,
}) => {
  await page.goto(at('?level=workload'));
  const map = page.getByTestId('traffic-map');
  await expect(map).toHaveAttribute('data-ready', '1');
  // A marker that a reload would wipe: everything below happens on this one page.
  await page.evaluate(() => {
    (window as unknown as { __samePage: number }).__samePage = 1;
  });
  const edge = mapEdge(page, 'wl:production/frontend->wl:production/api');
  await expect(edge).toHaveAttribute('data-health', /ok|failing/);
  const before = Number(await map.getAttribute('data-drop-edges'));

  const added = await labCli([
    'fault',
    'add',
    'policy-drop',
    '--from',
    'production/frontend',
    '--to',
    'production/api',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const id = /fault (\S+) on/.exec(added.stdout)?.[1];
  expect(id, added.stdout).toBeTruthy();
  try {
    await expect(edge).toHaveAttribute('data-health', 'drops', { timeout: 20_000 });
    await expect.poll(async () => Number(await map.getAttribute('data-drop-edges'))).toBeGreaterThan(before);
    await expect(page.getByTestId('map-drop-reason').filter({ hasText: 'policy_drop' })).toBeVisible();
    await snapshot(page, 'lab-fault-map');

    await page.getByRole('link', { name: 'Drops', exact: true }).click();
    await expect.poll(() => params(page).get('view')).toBe('drops');
    await expect(page.getByTestId('drops-by-reason')).toContainText('policy_drop');
    await expect(dropPair(page, 'production/frontend-7d9f8c6b5-', 'production/api-5c8d7f9b6-')).toBeVisible({
      timeout: 20_000,
    });
    await snapshot(page, 'lab-fault-drops');
    expect(await page.evaluate(() => (window as unknown as { __samePage?: number }).__samePage)).toBe(1);
  } finally {
    const cleared = await labCli(['fault', 'clear', id ?? 'all']);
    expect(cleared.code, cleared.stderr).toBe(0);
  }
  // What is left on is the scenario's own faults, s1 to s6.
  const list = await labCli(['fault', 'list']);
  expect(
    list.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]),
  ).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
});

async function expectWorkloads(page: Page) {
  await expect(page.getByTestId('breadcrumbs')).toContainText('production');
  await expect(mapNode(page, 'wl:production/api')).toBeVisible();
  await expect(mapNode(page, 'wl:production/frontend')).toBeVisible();
}
async function expectPods(page: Page) {
  await expect(page.getByTestId('breadcrumbs')).toContainText('api');
  await expect(mapNode(page, `pod:production/${API_POD}`)).toBeVisible();
  await expect(mapNode(page, 'pod:production/api-5c8d7f9b6-t7w9r')).toBeVisible();
}
const expectPod = (page: Page) => expectPodPanel(page, API_POD);
const expectFlows = (page: Page) => expectPodFlows(page, API_POD);

test('lab: drill-down namespace -> workload -> pod -> flows on real data, each step a URL that reloads to the same view', async ({
  page,
}) => {
  await page.goto(at());
  const steps: { url: string; name: string; check: (p: Page) => Promise<void> }[] = [];

  await mapNode(page, 'ns:production').click();
  await expect.poll(() => params(page).get('focus')).toBe('ns:production');
  expect(params(page).get('level')).toBe('workload');
  await expectWorkloads(page);
  steps.push({ url: page.url(), name: 'workloads', check: expectWorkloads });

  await mapNode(page, 'wl:production/api').click();
  await expect.poll(() => params(page).get('focus')).toBe('wl:production/api');
  expect(params(page).get('level')).toBe('pod');
  await expectPods(page);
  steps.push({ url: page.url(), name: 'pods', check: expectPods });

  await mapNode(page, `pod:production/${API_POD}`).click();
  await expect.poll(() => params(page).get('focus')).toBe(`pod:production/${API_POD}`);
  await expectPod(page);
  await snapshot(page, 'lab-drill-pod');
  steps.push({ url: page.url(), name: 'pod', check: expectPod });

  await page
    .getByTestId('pod-panel')
    .getByRole('link', { name: /All its flows/ })
    .click();
  await expect.poll(() => params(page).get('view')).toBe('flows');
  await expectFlows(page);
  await snapshot(page, 'lab-drill-flows');
  steps.push({ url: page.url(), name: 'flows', check: expectFlows });

  // Back through history, then the breadcrumbs.
  for (let i = steps.length - 2; i >= 0; i--) {
    await page.goBack();
    await expect.poll(() => page.url()).toBe(steps[i]!.url);
    await steps[i]!.check(page);
  }
  await page.goto(steps[2]!.url);
  await page.getByTestId('breadcrumbs').getByRole('link', { name: 'production' }).click();
  await expect.poll(() => params(page).get('focus')).toBe('ns:production');
  await expectWorkloads(page);

  for (const step of steps) {
    await test.step(`reload restores ${step.name}`, async () => {
      await page.goto(step.url);
      await step.check(page);
      await page.reload();
      await step.check(page);
    });
  }
});

test("lab: the DNS panel shows NXDOMAIN for the lab's failing name", async ({ page }) => {
  await page.goto(at('?view=dns'));
  const failing = page.getByTestId('dns-failing');
  await expect(failing).toContainText(FAILING_NAME, { timeout: 15_000 });
  await expect(failing).toContainText('NXDOMAIN');
  await expect(page.getByTestId('dns-rcodes')).toContainText('NXDOMAIN');
  // The lab resolves from its first second: the latency chart draws it (a line, or a dot while the
  // series has a single point), never an empty plot with an axis.
  await expect(
    page
      .getByTestId('dns-latency-chart')
      .locator(
        '[data-testid="chart-lone-point"], path.recharts-line-curve[d*="C"], path.recharts-line-curve[d*="L"]',
      )
      .first(),
  ).toBeVisible();
  // Each client's failing name stands beside its own response code.
  for (const row of await page.getByRole('row').filter({ hasText: 'production/frontend-7d9f8c6b5-' }).all())
    await expect(row).toContainText(/recommendations\.\S*\s*NXDOMAIN/);
  await snapshot(page, 'lab-dns');
});

test('lab: diagnose for the blocked pair (legacy-worker -> api) says network policy', async ({ page }) => {
  await page.goto(at('?view=diagnose'));
  await page.getByLabel(/^Source/).fill(`production/${LEGACY_POD}`);
  await page.getByLabel(/^Destination/).fill('production/api');
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect.poll(() => params(page).get('src')).toBe(`production/${LEGACY_POD}`);
  expect(params(page).get('dst')).toBe('production/api');
  const verdict = page.getByTestId('diagnose-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'blocked', { timeout: 15_000 });
  await expect(verdict).toContainText(/network policy/i);
  await expect(page.getByTestId('diagnose-result')).toContainText('policy_drop');
  await snapshot(page, 'lab-diagnose');
  await page.reload();
  await expect(page.getByTestId('diagnose-verdict')).toHaveAttribute('data-verdict', 'blocked');
});

// Every view on real lab data, kept as artifacts to be looked at; none may show an error.
const VIEWS: [string, string][] = [
  ['?level=pod', 'map-view'],
  ['?level=node', 'map-view'],
  ['?view=flows', 'flows-view'],
  ['?view=drops', 'drops-view'],
  ['?view=tcp', 'tcp-view'],
  ['?view=alerts', 'alerts-view'],
  ['?view=status', 'status-view'],
];
test('lab: every view renders the real data without an error', async ({ page }) => {
  for (const [search, testId] of VIEWS) {
    await test.step(search, async () => {
      await page.goto(at(search));
      await expect(page.getByTestId(testId)).toBeVisible();
      await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
      await expect(page.getByRole('alert')).toHaveCount(0);
      await snapshot(page, `lab-view-${search.replace(/[?=&]/g, '-').replace(/^-/, '')}`);
    });
  }
  // The status view names both lab nodes' collectors, real or simulated as the stack says.
  await expect(page.getByTestId('status-view')).toContainText('lab-node-1');
  await expect(page.getByTestId('status-view')).toContainText('lab-node-2');
  // And the lab's faults: the scenario's own six with their ids, as `weft lab fault list` lists them.
  const ids = page.getByTestId('lab-fault').locator('td:first-child');
  for (const id of ['s1', 's2', 's3', 's4', 's5', 's6'])
    await expect(ids.filter({ hasText: new RegExp(`^${id}$`) })).toHaveCount(1);
});
