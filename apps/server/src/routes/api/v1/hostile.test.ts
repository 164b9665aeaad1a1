import { execFileSync } from 'node:child_process';
import { PROTOCOL_VERSION } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { labBatches } from '../../../fixtures/labBatches.js';
import { EP, N1 } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';

const EVIL = 'evil"} 1\n# TYPE x counter\nx{a="<script>alert(1)</script>'.slice(0, 253);

describe('hostile names', () => {
  it('never break JSON, Mermaid, PromQL or the metrics text', async () => {
    const { app, clock } = await testApp(null);
    app.weft.collectors.connect(
      {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        node: EVIL,
        boot: 'evil',
        collectorVersion: EVIL,
        hooks: [EVIL],
        simulated: false,
      },
      clock.now,
    );
    const evilPod = { ...EP.legacy, namespace: 'production', name: EVIL, workload: EVIL, node: EVIL };
    const [batch] = labBatches({ seconds: 1, nodes: [N1], policyDropsPerSec: 2, nxdomainPerSec: 1 });
    batch!.flows.push({ ...batch!.flows[0]!, src: evilPod });
    batch!.drops = batch!.drops.map((d) => ({ ...d, src: evilPod }));
    batch!.dns = batch!.dns.map((q) => ({ ...q, client: evilPod, qname: `${EVIL}.svc` }));
    clock.now = batch!.end + 100;
    app.weft.store.ingest(batch!, EVIL);
    app.weft.collectors.batch(EVIL, batch!.end, 0, clock.now);

    for (const url of [
      '/api/v1/graph?level=pod&from=now-1m',
      '/api/v1/flows?from=now-1m',
      '/api/v1/dns?from=now-1m',
      '/api/v1/drops?from=now-1m',
      '/api/v1/status',
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(JSON.stringify(res.json())).toContain('<script>');
    }
    const mm = (await app.inject('/api/v1/export/mermaid?level=pod&from=now-1m')).body;
    expect(mm).toContain('evil');
    expect(mm).not.toContain('<script>');
    expect(mm).not.toContain('\n# TYPE');
    const metrics = (await app.inject('/metrics')).body;
    // promtool parses the whole exposition: an unescaped label would be a syntax error or a new series.
    execFileSync('promtool', ['check', 'metrics'], { input: metrics });
    expect(metrics.split('\n').filter((l) => l.startsWith('x{')).length).toBe(0);
    const d = await app.inject(`/api/v1/diagnose?src=10.244.1.14&dst=production/api`);
    expect(d.statusCode).toBe(200);
    const q: string = d.json().steps[0].query;
    expect(q).toContain('source_pod="evil\\"} 1\\n# TYPE x counter\\nx{a=\\"<script>');
    await app.close();
  });
});

describe('unknown parameters on routes with their own schema', () => {
  it('are named, an empty name included, as the shared filter names them', async () => {
    const { app } = await testApp(null);
    for (const url of [
      '/api/v1/export/grafana?=',
      '/api/v1/export/prometheus-rules?==',
      '/api/v1/diagnose?src=a&dst=b&=',
    ]) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().message, url).toBe(': unknown parameter (one with an empty name)');
      expect(r.json().issues, url).toEqual([{ param: '', value: '', reason: 'unknown parameter' }]);
    }
    const r = await app.inject('/api/v1/export/grafana?color=red');
    expect(r.json().message).toBe('color: unknown parameter');
    await app.close();
  });
});
