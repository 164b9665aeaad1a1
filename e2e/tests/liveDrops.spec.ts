import { expect, type Page, test } from '@playwright/test';
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
 * Issue 13's done-when, in Chromium on the real lab: a policy-drop fault between two pods that talk
 * turns their edge red on the live map within seconds, and clearing it turns the edge back. The map
 * draws the live graph (rates over the last WEFT_RATE_WINDOW_S seconds), so a cleared fault leaves
 * the edge once its last drop is older than the window. Deadlines are generous (shared, loaded
 * machines); the latencies observed are printed for the report, not asserted.
 */
const NAMESPACES = ['production', 'monitoring', 'kube-system'];
const EDGE = 'wl:production/frontend->wl:production/api';

let stack: LabStack | undefined;
const at = (search = '') => {
  if (!stack) throw new Error('the lab stack did not start (see beforeAll)');
  return `${stack.url}/${search}`;
};
const mapEdge = (page: Page, id: string) => page.locator(`[data-testid="map-edge"][data-id="${id}"]`);

test.beforeAll(async () => {
  test.setTimeout(150_000);
  if ((await labLeftovers()).length > 0) await labCli(['down']);
  expect(await labLeftovers(), `a "${LAB_PREFIX}" lab from an earlier run could not be taken down`).toEqual(
    [],
  );
  stack = await startLabStack({ simulated: process.env.WEFT_E2E_LAB_SIMULATED === '1' });
  process.stderr.write(
    `liveDrops.spec: ${stack.mode === 'lab' ? 'real' : 'simulated'} lab (${stack.why}) at ${stack.url}\n`,
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
  expect(await labLeftovers()).toEqual([]);
});

/** Polls `edge` every 100 ms until `done` holds; the time it took, in ms from `since`. */
async function until(
  page: Page,
  since: number,
  done: (health: string | null) => boolean,
  deadlineMs: number,
) {
  const edge = mapEdge(page, EDGE);
  const deadline = since + deadlineMs;
  let health: string | null = null;
  while (Date.now() < deadline) {
    health = await edge.getAttribute('data-health', { timeout: Math.max(1, deadline - Date.now()) });
    if (done(health)) return Date.now() - since;
    await page.waitForTimeout(100);
  }
  throw new Error(`${EDGE} was still "${health}" ${deadlineMs} ms after the fault changed`);
}

test('live map: a policy-drop fault turns its edge red within seconds, clearing it turns it back', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(at('?level=workload'));
  await expect(page.getByTestId('traffic-map')).toHaveAttribute('data-ready', '1');
  await expect(page.getByTestId('map-window')).toContainText('rates over the last');
  const edge = mapEdge(page, EDGE);
  // The pair talks, and (the lab having no fault yet) without drops in the rate window.
  await expect(edge).toHaveAttribute('data-health', /ok|failing/, { timeout: 30_000 });

  const asked = Date.now();
  const added = await labCli([
    'fault',
    'add',
    'policy-drop',
    '--from',
    'production/frontend',
    '--to',
    'production/api',
  ]);
  const placed = Date.now();
  expect(added.code, added.stderr).toBe(0);
  const id = /fault (\S+) on/.exec(added.stdout)?.[1];
  expect(id, added.stdout).toBeTruthy();
  let cleared = false;
  try {
    const red = await until(page, placed, (h) => h === 'drops', 30_000);
    process.stderr.write(
      `liveDrops.spec: edge red ${red} ms after the fault was in place (${placed - asked} ms for \`weft lab fault add\`)\n`,
    );
    await snapshot(page, 'live-drops-red');

    const clearAsked = Date.now();
    const clear = await labCli(['fault', 'clear', id!]);
    const clearDone = Date.now();
    expect(clear.code, clear.stderr).toBe(0);
    cleared = true;
    const back = await until(page, clearDone, (h) => h !== 'drops', 60_000);
    process.stderr.write(
      `liveDrops.spec: edge no longer red ${back} ms after the fault was cleared (${clearDone - clearAsked} ms for \`weft lab fault clear\`)\n`,
    );
    await snapshot(page, 'live-drops-cleared');
  } finally {
    if (!cleared) await labCli(['fault', 'clear', id ?? 'all']);
  }
  // What is left on is the scenario's own faults, s1 to s6.
  const left = (await labCli(['fault', 'list'])).stdout.trim().split('\n');
  expect(left.map((l) => l.split(' ')[0])).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
});
