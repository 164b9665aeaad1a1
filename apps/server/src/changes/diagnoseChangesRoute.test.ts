import { DiagnoseResponse, type ObjectChange, type PolicyContext } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EP, N1 } from '../fixtures/labCluster.js';
import { testApp } from '../fixtures/testApp.js';

let app: FastifyInstance;
const legacy = `production/${EP.legacy.name}`;

beforeAll(async () => {
  app = (await testApp({ seconds: 60, policyDropsPerSec: 3 })).app;
});
afterAll(() => app.close());

const change = (over: Partial<ObjectChange>): ObjectChange => ({
  id: `${over.name}@${over.at}:${over.change}`,
  at: Date.parse('2026-11-27T09:59:40Z'),
  kind: 'Pod',
  change: 'restarted',
  namespace: 'production',
  name: EP.api1.name,
  owner: 'api',
  detail: 'restarts 0 -> 1',
  ...over,
});

const context = (changes: ObjectChange[]): PolicyContext => ({
  type: 'policy_context',
  namespaces: [],
  policies: [],
  pods: [],
  changes,
});

async function diagnose(dst: string): Promise<DiagnoseResponse> {
  const res = await app.inject(`/api/v1/diagnose?src=${legacy}&dst=${dst}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(Compile(DiagnoseResponse).Errors(res.json())).toEqual([]);
  return res.json() as DiagnoseResponse;
}

describe('Diagnose says what changed at either end', () => {
  it('names a pod restart and a rollout of the failing pair, as a collector reported them', async () => {
    const w = app.weft;
    w.policyContexts.take(
      N1,
      context([
        change({}),
        change({
          kind: 'Deployment',
          change: 'rolled_out',
          name: 'api',
          detail: 'pod template changed',
          at: Date.parse('2026-11-27T09:58:01Z'),
        }),
        // Another workload's pod: not this pair's.
        change({ name: 'db-0', owner: 'db' }),
      ]),
      w.now(),
    );
    // The pod, and its workload: the same two changes of their end.
    for (const dst of [`production/${EP.api1.name}`, 'production/api']) {
      const r = await diagnose(dst);
      expect(r.verdict).toBe('blocked');
      const blocked = r.problems.find((p) => p.kind === 'blocked')!;
      expect(blocked.evidence.filter((e) => e.label === 'what changed').map((e) => e.value)).toEqual(
        dst.endsWith('/api')
          ? [
              'deployment production/api rolled out (pod template changed) 2 min before these failures began',
              `pod production/${EP.api1.name} restarted (restarts 0 -> 1) 21 s before these failures began`,
            ]
          : [`pod production/${EP.api1.name} restarted (restarts 0 -> 1) 21 s before these failures began`],
      );
      expect(r.summary).toContain(`; pod production/${EP.api1.name} restarted (restarts 0 -> 1) 21 s before`);
    }
  });
});
