import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCollectorConfig, startCollector } from '@weft/collector';
import { createSimulatedSource, defaultTopology, simulatedInventory } from '@weft/lab';
import { networkPolicyObject, parsePolicies } from '@weft/policy';
import type { Inventory } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../config.js';
import { startServer } from '../server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (cond()) return;
    await sleep(20);
  }
  throw new Error(`never saw ${what}`);
}

const DENY_DB = parsePolicies(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-ingress, namespace: production }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: api } } }], ports: [{ port: 5432 }] }]
`)[0]!;

describe('policy context from collectors', () => {
  it("reaches the server from each collector's inventory, and follows its rewrites", async () => {
    const topology = defaultTopology();
    const dir = mkdtempSync(join(tmpdir(), 'weft-pctx-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'inventory.json');
    const inventory: Inventory = {
      ...simulatedInventory(topology, 'clean'),
      policies: [networkPolicyObject(DENY_DB, { creationTimestamp: '2026-12-07T06:00:00Z' })],
    };
    writeFileSync(file, JSON.stringify(inventory));
    const server = await startServer(parseServerConfig({ WEFT_PORT: '0', WEFT_LOG_LEVEL: 'silent' }));
    cleanups.push(() => server.close());
    const contexts = server.app.weft.policyContexts;
    for (const node of inventory.nodes) {
      const parsed = parseCollectorConfig(
        [
          ...['--node', node.name, '--inventory', file, '--metrics-port', '0', '--interval-ms', '200'],
          ...['--server', `${server.url.replace(/^http/, 'ws')}/api/v1/ingest`],
        ],
        {},
      );
      if (parsed.kind !== 'config') throw new Error(JSON.stringify(parsed));
      const source = createSimulatedSource({ topology, scenario: 'clean', node: node.name, intervalMs: 200 });
      const c = await startCollector(parsed.config, { source, log: () => {} });
      cleanups.push(() => c.stop());
    }
    // Every pod, from the collector of its node; the namespaces' labels; the policy.
    await until(() => contexts.world().pods.length === inventory.pods.length, "every node's pods");
    expect(
      contexts
        .world()
        .namespaces.map((n) => n.name)
        .sort(),
    ).toEqual([...topology.namespaces].sort());
    expect(contexts.policies().map((k) => k.policy)).toEqual([DENY_DB]);
    expect(contexts.changes()).toEqual([
      {
        at: Date.parse('2026-12-07T06:00:00Z'),
        change: 'created',
        policy: { namespace: 'production', name: 'db-ingress' },
      },
    ]);
    const db = inventory.pods.find((p) => p.labels.app === 'db')!;
    const frontend = inventory.pods.find((p) => p.labels.app === 'frontend')!;
    const v = contexts.current()!.evaluate({
      src: { ip: frontend.ips[0]! },
      dst: { ip: db.ips[0]! },
      protocol: 'TCP',
      port: 5432,
    });
    expect(v.allowed).toBe(false);

    // The lab rewrites its inventory (temp file + rename) when a policy is deleted.
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...inventory, policies: [] }));
    renameSync(`${file}.tmp`, file);
    await until(() => contexts.policies().length === 0, 'the policy gone');
    expect(contexts.changes().map((c) => c.change)).toEqual(['created', 'deleted']);
  });
});
