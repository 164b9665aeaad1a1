import { execFileSync } from 'node:child_process';
import { type MemoryPartStatus, StatusResponse } from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { labBatches } from '../../../fixtures/labBatches.js';
import { EP, N1 } from '../../../fixtures/labCluster.js';
import { testApp } from '../../../fixtures/testApp.js';

describe('memory budget in /api/v1/status and /metrics', () => {
  it('shows the budget, and per part its share, its estimate and what it let go', async () => {
    const { app, clock } = await testApp({ seconds: 5 }, { WEFT_MEMORY_BUDGET_MB: '16' });
    // Batches of one flow each naming 2,000 endpoints with long names: the ring may not pin their tables.
    for (let seq = 0; seq < 10; seq++) {
      const [batch] = labBatches({ start: clock.now, seconds: 1, nodes: [N1] });
      batch!.flows = batch!.flows.slice(0, 1);
      batch!.drops = Array.from({ length: 2_000 }, (_, i) => ({
        ...batch!.flows[0]!,
        src: { ...EP.api1, ip: `10.77.${i >> 8}.${i & 255}`, name: `p-${seq}-${i}-${'x'.repeat(240)}` },
        reason: 'policy_drop',
        kernelReason: 'X',
        ts: clock.now - 10_000_000,
      }));
      app.weft.store.ingest(batch!, N1);
      clock.now += 1_000;
    }
    const res = await app.inject('/api/v1/status');
    expect(res.statusCode).toBe(200);
    expect(Compile(StatusResponse).Errors(res.json())).toEqual([]);
    const memory = res.json().memory as { budgetBytes: number; parts: MemoryPartStatus[] };
    expect(memory.budgetBytes).toBe(16 * 1024 * 1024);
    expect(memory.parts.map((p) => p.part)).toEqual([
      'flows',
      'endpoints',
      'series',
      'details',
      'dedupe',
      'names',
    ]);
    for (const p of memory.parts) {
      expect(p.budgetBytes, p.part).toBeGreaterThan(0);
      expect(p.usedBytes, p.part).toBeLessThanOrEqual(p.budgetBytes);
    }
    const flows = memory.parts.find((p) => p.part === 'flows')!;
    expect(flows.usedBytes).toBeGreaterThan(0);
    expect(flows.evicted).toBeGreaterThan(0);
    const metrics = (await app.inject('/metrics')).body;
    execFileSync('promtool', ['check', 'metrics'], { input: metrics });
    expect(metrics).toContain(`weft_server_memory_budget_bytes ${16 * 1024 * 1024}`);
    for (const p of memory.parts) {
      expect(metrics).toContain(`weft_server_memory_limit_bytes{part="${p.part}"} ${p.budgetBytes}`);
      expect(metrics).toMatch(new RegExp(`weft_server_memory_used_bytes\\{part="${p.part}"\\} \\d+`));
      expect(metrics).toMatch(new RegExp(`weft_server_memory_evictions_total\\{part="${p.part}"\\} \\d+`));
    }
    await app.close();
  }, 30_000);
});
