import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, parseServerConfig } from '../apps/server/src/config.js';
// The modules that own each component's settings (leaves: importing them starts nothing). The
// manifests are checked against the real parsers, so a renamed variable fails here, not in a cluster.
import { collectorHelp, parseCollectorConfig } from '../packages/collector/src/config.js';
import type { KubeObject } from './checks/kubeObject.js';
import { renderKustomization } from './checks/kustomize.js';
import { type Container, envValue, findContainer, findObject, podTemplate } from './checks/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const NODE_NAME = 'aks-nodepool1-12345678-vmss000000';
/** With hostNetwork, status.podIP is the node's internal address. */
const POD_IP = '10.224.0.4';
/** What an install puts in place of the committed placeholder (deploy/README.md). */
const REAL_TOKEN = 'b7e4c0d2a9f14e6c8d3b5a7f9e1c2d4b';
/** Variables that are Node's, not Weft's. */
const NODE_VARS = ['NODE_OPTIONS'];

/** The environment the kubelet would give the container, of a pod in `namespace`, on node NODE_NAME. */
function containerEnv(c: Container, objects: KubeObject[], namespace: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef?.fieldPath === 'spec.nodeName') env[e.name] = NODE_NAME;
    else if (e.valueFrom?.fieldRef?.fieldPath === 'status.podIP') env[e.name] = POD_IP;
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const secret = objects.find(
        (o) => o.kind === 'Secret' && o.metadata.name === name && o.metadata.namespace === namespace,
      );
      if (!secret) throw new Error(`no Secret ${name} in namespace ${namespace}`);
      const data = (secret.data ?? {}) as Record<string, string>;
      if (data[key] === undefined) throw new Error(`Secret ${name} has no key ${key}`);
      env[e.name] = Buffer.from(data[key], 'base64').toString('utf8');
    } else throw new Error(`${c.name}: env ${e.name} comes from a source this check does not resolve`);
  }
  return env;
}

const collectorVars = [...collectorHelp().matchAll(/\[(WEFT_[A-Z0-9_]+)\]/g)].map((m) => m[1]!);

describe.each(['base', 'overlays/small', 'overlays/large', 'overlays/replicas'])('%s', (name) => {
  const objects = renderKustomization(join(here, 'kubernetes', name));
  const collectorDs = findObject(objects, 'DaemonSet', 'weft-collector');
  const collector = findContainer(podTemplate(collectorDs).spec, 'collector');
  const serverDeploy = findObject(objects, 'StatefulSet', 'weft');
  const server = findContainer(podTemplate(serverDeploy).spec, 'server');
  const collectorEnv = () => containerEnv(collector, objects, collectorDs.metadata.namespace ?? '');
  const serverEnv = () => containerEnv(server, objects, serverDeploy.metadata.namespace ?? '');

  it('sets only variables the collector reads', () => {
    expect(collectorVars.length).toBeGreaterThan(10);
    for (const v of Object.keys(collectorEnv())) {
      if (!NODE_VARS.includes(v)) expect(collectorVars, v).toContain(v);
    }
  });

  it('gives the collector a configuration it accepts, as the manifest means it', () => {
    const env = collectorEnv();
    const r = parseCollectorConfig(collector.args ?? [], env);
    if (r.kind !== 'config') throw new Error(`collector rejects its manifest: ${JSON.stringify(r)}`);
    const c = r.config;
    expect(c.node).toBe(NODE_NAME);
    expect(c.servers.map((t) => t.url)).toEqual(
      name === 'overlays/replicas'
        ? [0, 1].map((i) => `ws://weft-${i}.weft-headless.weft.svc:8080/api/v1/ingest`)
        : ['ws://weft.weft.svc:80/api/v1/ingest'],
    );
    expect(c.token).toBe(env.WEFT_INGEST_TOKEN);
    expect(c.identity).toBe('kubernetes');
    expect(c.metricsHost).toBe(POD_IP);
    // Plain ws:// to the Service, which the collector only accepts when told so.
    expect(c.allowInsecure).toBe(true);
    expect(parseCollectorConfig(collector.args ?? [], { ...env, WEFT_ALLOW_INSECURE: '' })).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('refusing to send the ingest token in clear text'),
    });
    expect(c.metricsPort).toBe(10093);
    expect(c.metricsLevel).toBe(envValue(collector, 'WEFT_METRICS_LEVEL'));
    expect(c.ifacePrefixes).toEqual(envValue(collector, 'WEFT_IFACE_PREFIX')?.split(','));
  });

  it('sets only variables the server reads', () => {
    for (const v of Object.keys(serverEnv())) {
      if (!NODE_VARS.includes(v)) expect(Object.keys(ENV_VARS), v).toContain(v);
    }
  });

  it('gives the server a configuration it refuses until the placeholder token is replaced', () => {
    const env = serverEnv();
    expect(() => parseServerConfig(env)).toThrow(/WEFT_INGEST_TOKEN is the placeholder/);
  });

  it('gives the server a configuration it accepts with a real token, as the manifest means it', () => {
    const env: Record<string, string> = { ...serverEnv(), WEFT_INGEST_TOKEN: REAL_TOKEN };
    const c = parseServerConfig(env);
    expect(c.host).toBe('0.0.0.0');
    expect(c.port).toBe(8080);
    expect(c.ingestToken).toBe(REAL_TOKEN);
    // Both sides read the same Secret content (deploy.test.ts checks the two Secrets match).
    expect(serverEnv().WEFT_INGEST_TOKEN).toBe(collectorEnv().WEFT_INGEST_TOKEN);
    expect(c.maxSeries).toBe(Number(env.WEFT_MAX_SERIES));
    expect(c.memoryBudgetMiB).toBe(Number(env.WEFT_MEMORY_BUDGET_MB));
  });
});
