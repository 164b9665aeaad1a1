import { expect, test } from '@playwright/test';
import { appUrl } from '../support/lab.js';

/**
 * The live map over the real server: the whole graph once, then deltas, applied by the page; the map
 * keeps showing the nodes the server's graph has.
 */
test('the live map gets the whole graph once, then deltas, and keeps the server’s nodes', async ({
  page,
}) => {
  const types: string[] = [];
  page.on('websocket', (ws) => {
    if (!ws.url().endsWith('/api/v1/live')) return;
    ws.on('framereceived', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString();
      types.push(/^\{"type":"(\w+)"/.exec(text)?.[1] ?? '?');
    });
  });
  await page.goto(appUrl());
  const map = page.getByTestId('traffic-map');
  await expect(map).toHaveAttribute('data-ready', '1');
  await expect.poll(() => types.filter((t) => t === 'delta').length, { timeout: 15_000 }).toBeGreaterThan(2);
  expect(types[0]).toBe('update');
  expect(types.filter((t) => t === 'update')).toHaveLength(1);
  const rest = await (await page.request.get(appUrl('api/v1/graph?level=namespace'))).json();
  await expect(map).toHaveAttribute('data-nodes', String(rest.nodes.length));
});
