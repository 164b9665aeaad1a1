import type { Endpoint, WhatIfResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { buildMapModel } from './mapModel.js';
import { markWhatIf, whatIfEdgeWords } from './whatIfMarks.js';

const pod = (namespace: string, name: string, workload: string): Endpoint => ({
  ip: '10.0.0.1',
  kind: 'pod',
  namespace,
  name,
  workloadKind: 'Deployment',
  workload,
  service: '',
  node: 'n1',
});
const denied = (client: Endpoint, server: Endpoint, policy: string) => ({
  client,
  server,
  proto: 'tcp',
  port: 5432,
  packets: 1,
  bytes: 1,
  connections: 1,
  finding: {
    verdict: 'denied' as const,
    policy: { namespace: 'production', name: policy },
    flow: '',
    explanation: '',
  },
});
const answer: WhatIfResponse = {
  start: 0,
  end: 1,
  policies: [{ namespace: 'production', name: 'db-ingress' }],
  evaluated: 3,
  denied: 3,
  flows: [
    denied(pod('production', 'api-1', 'api'), pod('production', 'db-0', 'db'), 'db-ingress'),
    denied(pod('production', 'api-2', 'api'), pod('production', 'db-0', 'db'), 'db-ingress'),
    denied(pod('production', 'legacy-1', 'legacy'), pod('production', 'db-0', 'db'), 'db-legacy'),
  ],
  notes: [],
};

describe('what-if marks on the map', () => {
  it('rolls the connections up to the level’s edges, naming the policies', () => {
    expect(whatIfEdgeWords(answer, 'workload')).toEqual(
      new Map([
        ['wl:production/api->wl:production/db', 'would be denied by production/db-ingress'],
        ['wl:production/legacy->wl:production/db', 'would be denied by production/db-legacy'],
      ]),
    );
    expect([...whatIfEdgeWords(answer, 'namespace')]).toEqual([
      ['ns:production->ns:production', 'would be denied by production/db-ingress, production/db-legacy'],
    ]);
  });

  it('marks the edges on screen as a rise (the red halo), leaving the others as they were', () => {
    const model = buildMapModel(fixtures.graphWorkload);
    const { model: marked, marked: n } = markWhatIf(model, answer, 'workload');
    expect(n).toBe(1);
    const edge = marked.edges.find((e) => e.data.id === 'wl:production/api->wl:production/db')!;
    expect(edge.data.rose).toBe(true);
    expect(edge.data.changed).toBe('would be denied by production/db-ingress');
    expect(edge.classes).toContain(' c-rose');
    const other = marked.edges.find((e) => e.data.id === 'wl:production/frontend->wl:production/api')!;
    expect(other).toBe(model.edges.find((e) => e.data.id === other.data.id));
    // Nothing to mark: the same model.
    expect(markWhatIf(model, { ...answer, flows: [] }, 'workload').model).toBe(model);
  });
});
