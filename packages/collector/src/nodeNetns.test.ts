import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterInventory } from './fixtures/clusterFixture.js';
import { IdentityTable } from './identity/identityTable.js';
import { applyInventory } from './identity/inventorySource.js';
import { NodeNetns } from './nodeNetns.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-netns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NodeNetns', () => {
  it("holds the inodes of the named namespaces' files, skipping missing ones, and re-reads them", () => {
    for (const n of ['a', 'b']) writeFileSync(join(dir, n), '');
    const places = new NodeNetns(dir);
    expect(places.root).toBe(statSync('/proc/self/ns/net').ino);
    places.refresh(['a', 'gone']);
    expect(places.shared).toBe(true);
    expect(places.has(statSync(join(dir, 'a')).ino)).toBe(true);
    expect(places.has(statSync(join(dir, 'b')).ino)).toBe(false);
    places.refresh(['b']);
    expect(places.has(statSync(join(dir, 'a')).ino)).toBe(false);
    expect(places.has(statSync(join(dir, 'b')).ino)).toBe(true);
    places.refresh(null);
    expect(places.shared).toBe(false);
  });
});

describe('IdentityTable.localNetns', () => {
  it("is null while no pod names its namespace, then this node's pods' namespaces", () => {
    const t = new IdentityTable({ node: 'node-a' });
    const inv = clusterInventory();
    applyInventory(t, inv, 0);
    expect(t.localNetns()).toBeNull();
    applyInventory(t, { ...inv, pods: inv.pods.map((p) => ({ ...p, netns: `ns-${p.name}` })) }, 0);
    const mine = inv.pods.filter((p) => p.node === 'node-a').map((p) => `ns-${p.name}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(t.localNetns()?.sort()).toEqual(mine.sort());
  });
});
