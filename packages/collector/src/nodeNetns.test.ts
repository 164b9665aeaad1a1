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
    const ino = (n: string) => statSync(join(dir, n)).ino;
    places.refresh([
      { pod: 'p/a', netns: 'a' },
      { pod: 'p/gone', netns: 'gone' },
    ]);
    expect(places.shared).toBe(true);
    expect(places.podAt(ino('a'))).toBe('p/a');
    expect(places.podAt(ino('b'))).toBeUndefined();
    places.refresh([{ pod: 'p/b', netns: 'b' }]);
    expect(places.podAt(ino('a'))).toBeUndefined();
    expect(places.podAt(ino('b'))).toBe('p/b');
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
    const mine = inv.pods
      .filter((p) => p.node === 'node-a')
      .map((p) => ({ pod: `${p.namespace}/${p.name}`, netns: `ns-${p.name}` }));
    expect(mine.length).toBeGreaterThan(0);
    expect(t.localNetns()).toEqual(expect.arrayContaining(mine));
    expect(t.localNetns()).toHaveLength(mine.length);
  });
});
