import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../apps/server/src/config.js';
import { renderKustomization } from './checks/kustomize.js';
import { envValue, findContainer, findObject, podTemplate } from './checks/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('components/prometheus-history', () => {
  it('gives the server a Prometheus URL its config accepts, and the egress to reach it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-promhist-'));
    try {
      const k = (p: string) => relative(dir, join(here, 'kubernetes', p));
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        `resources: [${k('base')}]\ncomponents: [${k('components/prometheus-history')}]\n`,
      );
      const objects = renderKustomization(dir);
      const server = findContainer(podTemplate(findObject(objects, 'StatefulSet', 'weft')).spec, 'server');
      const url = envValue(server, 'WEFT_PROMETHEUS_URL') ?? '';
      const cfg = parseServerConfig({
        WEFT_PROMETHEUS_URL: url,
        WEFT_PROMETHEUS_METRICS_LEVEL: envValue(server, 'WEFT_PROMETHEUS_METRICS_LEVEL') ?? '',
      });
      expect(cfg.prometheusUrl).toBe('http://prometheus-operated.monitoring.svc:9090');
      const policy = findObject(objects, 'NetworkPolicy', 'weft-server-prometheus').spec as {
        egress: { ports: { port: number }[] }[];
      };
      expect(policy.egress.flatMap((e) => e.ports.map((p) => p.port))).toContain(Number(new URL(url).port));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
