import { type Endpoint, LEVELS, nodeIdOf, parseNodeId } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { levelNode } from './levelNode.js';

const ep = (e: Partial<Endpoint>): Endpoint => ({
  kind: 'pod',
  namespace: 'production',
  name: 'api-1',
  workload: 'api',
  workloadKind: 'Deployment',
  service: 'api',
  ip: '10.0.0.1',
  node: 'node-a',
  ...e,
});

const ENDPOINTS: Endpoint[] = [
  ep({}),
  ep({ workload: '' }),
  ep({ node: '' }),
  ep({ kind: 'service', name: 'api', workload: '', node: '' }),
  ep({ kind: 'host', namespace: '', name: 'node-a', workload: '', service: '' }),
  ep({ kind: 'host', namespace: '', name: '', workload: '', service: '', node: '' }),
  ep({ kind: 'world', namespace: '', name: '', workload: '', service: '', node: '' }),
  // What a hostile sender may name: it gets an id and a kind all the same.
  ep({ namespace: '', name: '' }),
];

describe('levelNode', () => {
  it('gives every endpoint kind at every level the id the web computes (protocol nodeIdOf), and a kind that agrees', () => {
    const kinds = {
      ns: 'namespace',
      wl: 'workload',
      pod: 'pod',
      svc: 'service',
      node: 'node',
      host: 'host',
      world: 'world',
    };
    for (const e of ENDPOINTS)
      for (const level of LEVELS) {
        const n = levelNode(e, level);
        expect(n.id, `${e.kind} ${level}`).toBe(nodeIdOf(e, level));
        const parsed = parseNodeId(n.id);
        if (parsed) expect(kinds[parsed.kind as keyof typeof kinds]).toBe(n.kind);
      }
  });
});
