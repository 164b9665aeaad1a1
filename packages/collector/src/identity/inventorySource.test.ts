import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterInventory, IP } from '../fixtures/clusterFixture.js';
import { until } from '../fixtures/until.js';
import { IdentityTable } from './identityTable.js';
import { startInventorySource } from './inventorySource.js';

describe('startInventorySource', () => {
  it('follows rewrites of the file, and keeps the last good names when a rewrite is bad', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wco-inv-'));
    try {
      const file = join(dir, 'inventory.json');
      const inv = clusterInventory();
      await writeFile(file, JSON.stringify(inv));
      const table = new IdentityTable({ node: 'node-a' });
      const errors: string[] = [];
      const src = await startInventorySource({
        file,
        table,
        pollMs: 20,
        onError: (e) => errors.push(e.message),
      });
      try {
        expect(table.resolve(IP.frontend, Date.now()).name).toBe('frontend-abc123');
        // Half-written JSON: reported, names kept.
        await writeFile(file, '{"version":1,"nodes":[');
        await until(() => errors.length > 0, 'the error');
        expect(errors[0]).toContain('not valid JSON');
        expect(table.resolve(IP.frontend, Date.now()).name).toBe('frontend-abc123');
        // Written the way the lab does it (temp file + rename): applied.
        inv.pods = inv.pods.filter((p) => p.name !== 'frontend-abc123');
        inv.pods.push({ ...inv.pods[0]!, name: 'frontend-new', ips: ['10.244.1.11'] });
        await writeFile(join(dir, 'tmp.json'), JSON.stringify(inv));
        await rename(join(dir, 'tmp.json'), file);
        await until(() => table.isLivePod('production', 'frontend-new'), 'the new pod');
        expect(table.isLivePod('production', 'frontend-abc123')).toBe(false);
      } finally {
        await src.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a missing file, naming it', async () => {
    const table = new IdentityTable({ node: 'node-a' });
    await expect(startInventorySource({ file: '/nonexistent/wco.json', table })).rejects.toThrow(
      /\/nonexistent\/wco\.json/,
    );
  });
});
