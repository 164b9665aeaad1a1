import { describe, expect, it } from 'vitest';
import type { Endpoint } from './endpoint.js';
import { LEVELS } from './filter.js';
import { levelOfNodeId, nodeIdOf, parseEdgeId, parseNodeId } from './nodeId.js';

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

describe('the node-id scheme', () => {
  it('gives every endpoint kind its id at every level', () => {
    const kinds: [string, Endpoint][] = [
      ['pod', ep({})],
      ['pod without workload', ep({ workload: '' })],
      ['pod without node', ep({ node: '' })],
      ['service', ep({ kind: 'service', name: 'api', workload: '', node: '' })],
      ['host', ep({ kind: 'host', namespace: '', name: 'node-a', workload: '', service: '' })],
      [
        'host without node',
        ep({ kind: 'host', namespace: '', name: '', workload: '', service: '', node: '' }),
      ],
      ['world', ep({ kind: 'world', namespace: '', name: '', workload: '', service: '', node: '' })],
    ];
    const table = Object.fromEntries(kinds.map(([k, e]) => [k, LEVELS.map((l) => `${l}=${nodeIdOf(e, l)}`)]));
    expect(table).toEqual({
      pod: [
        'node=node:node-a',
        'namespace=ns:production',
        'workload=wl:production/api',
        'pod=pod:production/api-1',
      ],
      'pod without workload': [
        'node=node:node-a',
        'namespace=ns:production',
        'workload=pod:production/api-1',
        'pod=pod:production/api-1',
      ],
      'pod without node': [
        'node=svc:production/api-1',
        'namespace=ns:production',
        'workload=wl:production/api',
        'pod=pod:production/api-1',
      ],
      service: [
        'node=svc:production/api',
        'namespace=ns:production',
        'workload=svc:production/api',
        'pod=svc:production/api',
      ],
      host: ['node=node:node-a', 'namespace=host:node-a', 'workload=host:node-a', 'pod=host:node-a'],
      'host without node': ['node=host', 'namespace=host', 'workload=host', 'pod=host'],
      world: ['node=world', 'namespace=world', 'workload=world', 'pod=world'],
    });
  });

  it('parses back every id it builds, and refuses what is not one', () => {
    for (const l of LEVELS)
      for (const e of [ep({}), ep({ kind: 'service', name: 'api' }), ep({ kind: 'host', node: 'n' })]) {
        const id = nodeIdOf(e, l);
        expect(parseNodeId(id), id).not.toBeNull();
      }
    expect(parseNodeId('wl:production/api')).toEqual({ kind: 'wl', namespace: 'production', name: 'api' });
    expect(parseNodeId('ns:production')).toEqual({ kind: 'ns', namespace: 'production', name: 'production' });
    expect(parseNodeId('node:lab-node-1')).toEqual({ kind: 'node', namespace: '', name: 'lab-node-1' });
    expect(parseNodeId('others:production')).toEqual({ kind: 'others', namespace: '', name: 'production' });
    for (const bad of ['', 'api', 'wl:', 'wl:production', 'pod:/x', 'pod:x/', 'zz:a', ':a', 'ns:a->ns:b'])
      expect(parseNodeId(bad), bad).toBeNull();
    expect(parseEdgeId('ns:a->wl:b/c')).toEqual({ source: 'ns:a', target: 'wl:b/c' });
    for (const bad of ['ns:a', '->ns:a', 'ns:a->']) expect(parseEdgeId(bad), bad).toBeNull();
    expect(['ns:a', 'wl:a/b', 'node:n', 'pod:a/b', 'svc:a/b', 'world', 'others'].map(levelOfNodeId)).toEqual([
      'namespace',
      'workload',
      'node',
      'pod',
      'pod',
      'pod',
      'pod',
    ]);
  });
});
