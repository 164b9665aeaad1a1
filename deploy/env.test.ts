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
/** Variables that are Node's, not Weft's. */
const NODE_VARS = ['NODE_OPTIONS'];

/** The environment the kubelet would give the container on node NODE_NAME. */
function containerEnv(c: Container, objects: KubeObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef?.fieldPath === 'spec.nodeName') env[e.name] = NODE_NAME;
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const data = (findObject(objects, 'Secret', name).data ?? {}) as Record<string, string>;
      if (data[key] === undefined) throw new Error(`Secret ${name} has no key ${key}`);
      env[e.name] = Buffer.from(data[key], 'base64').toString('utf8');
    } else throw new Error(`${c.name}: env ${e.name} comes from a source this check does not resolve`);
  }
  return env;
}

const collectorVars = [...collectorHelp().matchAll(/\[(WEFT_[A-Z0-9_]+)\]/g)].map((m) => m[1]!);

describe.each(['base', 'overlays/small', 'overlays/large'])('%s', (name) => {
  const objects = renderKustomization(join(here, 'kubernetes', name));
  const collector = findContainer(
    podTemplate(findObject(objects, 'DaemonSet', 'weft-collector')).spec,
    'collector',
  );
  const server = findContainer(podTemplate(findObject(objects, 'Deployment', 'weft')).spec, 'server');

  it('sets only variables the collector reads', () => {
    expect(collectorVars.length).toBeGreaterThan(10);
    for (const v of Object.keys(containerEnv(collector, objects))) {
      if (!NODE_VARS.includes(v)) expect(collectorVars, v).toContain(v);
    }
  });

  it('gives the collector a configuration it accepts, as the manifest means it', () => {
    const env = containerEnv(collector, objects);
    const r = parseCollectorConfig(collector.args ?? [], env);
    if (r.kind !== 'config') throw new Error(`collector rejects its manifest: ${JSON.stringify(r)}`);
    const c = r.config;
    expect(c.node).toBe(NODE_NAME);
    expect(c.serverUrl).toBe('ws://weft.weft.svc:80/api/v1/ingest');
    expect(c.token).toBe(env.WEFT_INGEST_TOKEN);
    expect(c.identity).toBe('kubernetes');
    expect(c.metricsHost).toBe('0.0.0.0');
    expect(c.metricsPort).toBe(10093);
    expect(c.metricsLevel).toBe(envValue(collector, 'WEFT_METRICS_LEVEL'));
    expect(c.ifacePrefixes).toEqual(envValue(collector, 'WEFT_IFACE_PREFIX')?.split(','));
  });

  it('sets only variables the server reads', () => {
    for (const v of Object.keys(containerEnv(server, objects))) {
      if (!NODE_VARS.includes(v)) expect(Object.keys(ENV_VARS), v).toContain(v);
    }
  });

  it('gives the server a configuration it accepts, as the manifest means it', () => {
    const env = containerEnv(server, objects);
    const c = parseServerConfig(env);
    expect(c.host).toBe('0.0.0.0');
    expect(c.port).toBe(8080);
    expect(c.ingestToken).toBe(env.WEFT_INGEST_TOKEN);
    expect(c.ingestToken).toBe(containerEnv(collector, objects).WEFT_INGEST_TOKEN);
    expect(c.maxSeries).toBe(Number(env.WEFT_MAX_SERIES));
  });
});
