import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { INVENTORY_JSON_SCHEMA, type Inventory } from '@weft/protocol/core';
import type { IdentitySource } from './identitySource.js';
import type { IdentityTable, NodeInfo, PodInfo, ServiceInfo } from './identityTable.js';
import type { KeptPolicy, PolicyContextFeed } from './policyContextFeed.js';
import { schemaCheck } from './schemaCheck.js';

/** Parse and validate inventory JSON; the error names the file and the first bad field. */
export function parseInventory(text: string, file = 'inventory'): Inventory {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const bad = schemaCheck(INVENTORY_JSON_SCHEMA, data);
  if (bad) throw new Error(`${file}: not a Weft inventory: ${bad.path || '/'} ${bad.message}`);
  return data as Inventory;
}

export function inventoryPods(inv: Inventory): PodInfo[] {
  return inv.pods.map((p) => ({
    uid: `${p.namespace}/${p.name}`,
    namespace: p.namespace,
    name: p.name,
    ips: p.ips,
    node: p.node,
    workloadKind: p.workloadKind,
    workload: p.workload,
    labels: p.labels,
    ...(p.netns ? { netns: p.netns } : {}),
  }));
}

export function inventoryServices(inv: Inventory): ServiceInfo[] {
  return inv.services.map((s) => ({
    namespace: s.namespace,
    name: s.name,
    clusterIPs: s.clusterIPs,
    selector: s.selector,
  }));
}

export function inventoryNodes(inv: Inventory): NodeInfo[] {
  return inv.nodes.map((n) => ({ name: n.name, ips: n.ips }));
}

export function applyInventory(
  table: IdentityTable,
  inv: Inventory,
  now = Date.now(),
  context?: PolicyContextFeed,
): void {
  table.replaceNodes(inventoryNodes(inv));
  table.replaceServices(inventoryServices(inv));
  const pods = inventoryPods(inv);
  table.replacePods(pods, now);
  if (context) {
    context.replaceNamespaces(inv.namespaces ?? []);
    context.replacePolicies((inv.policies ?? []) as KeptPolicy[]);
    context.replacePods(pods);
    context.markSynced();
  }
}

export interface InventorySourceOptions {
  file: string;
  table: IdentityTable;
  /** Fed the inventory's namespaces, policies and this node's pods, for the server's policy explanations. */
  context?: PolicyContextFeed;
  /** How often the file's mtime is checked (polling survives the lab's atomic rename). */
  pollMs?: number;
  onError?: (err: Error) => void;
}

/**
 * Reads the inventory at start (a bad file is a start-up error) and rereads it when it changes; a
 * bad rewrite is reported and the previous names stay.
 */
export async function startInventorySource(opts: InventorySourceOptions): Promise<IdentitySource> {
  const load = async () => parseInventory(await readFile(opts.file, 'utf8'), opts.file);
  applyInventory(opts.table, await load(), Date.now(), opts.context);
  let reloading = Promise.resolve();
  const onChange = () => {
    reloading = reloading.then(async () => {
      try {
        applyInventory(opts.table, await load(), Date.now(), opts.context);
      } catch (err) {
        opts.onError?.(err as Error);
      }
    });
  };
  watchFile(opts.file, { interval: opts.pollMs ?? 1000, persistent: false }, onChange);
  return {
    kind: 'inventory',
    table: opts.table,
    async stop() {
      unwatchFile(opts.file, onChange);
      await reloading;
    },
  };
}
