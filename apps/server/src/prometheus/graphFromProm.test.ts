import { DEFAULT_FILTER, type FilterState } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { RECORDED_GRAPH } from './fixtures/recordedGraph.js';
import { availableLevel, graphFromProm, workloadFromPodName } from './graphFromProm.js';

const win = { start: 1765079880000, end: 1765080000000 };
const filter = (p: Partial<FilterState>): FilterState => ({ ...DEFAULT_FILTER, from: 'x', to: 'y', ...p });
const opts = { metricsLevel: 'pod' as const, maxNodes: 150 };

describe('graphFromProm', () => {
  it('counts each packet once, both directions on the client -> server edge, at workload level', () => {
    const g = graphFromProm(RECORDED_GRAPH, filter({ level: 'workload' }), win, opts);
    expect(g.source).toBe('prometheus');
    expect(g.level).toBe('workload');
    expect(g.sourceNotice).toBeUndefined();
    const e = Object.fromEntries(g.edges.map((x) => [x.id, x]));
    expect(Object.keys(e).sort()).toEqual([
      'wl:shop/api->wl:data/db',
      'wl:shop/frontend->wl:data/db',
      'wl:shop/frontend->wl:shop/api',
      'world->wl:shop/frontend',
    ]);
    // 120,000 egress + 480,000 back, over 120 s; the ingress copies are not added.
    expect(e['wl:shop/frontend->wl:shop/api']!.bytesPerSec).toBe(5000);
    expect(e['wl:shop/frontend->wl:shop/api']!.packetsPerSec).toBe(20);
    expect(e['wl:shop/frontend->wl:shop/api']!.tcpConnects).toBe(120);
    expect(e['wl:shop/frontend->wl:shop/api']!.rttMs).toBe(0.5);
    expect(e['wl:shop/frontend->wl:shop/api']!.retransmits).toBe(3);
    expect(e['wl:shop/api->wl:data/db']!.bytesPerSec).toBe(30);
    // One edge for the pair: world received more, so it is taken as the client.
    expect(e['world->wl:shop/frontend']!.bytesPerSec).toBe(500.004);
    expect(e['wl:shop/frontend->wl:data/db']!.dropsPerSec).toBe(0.5);
    expect(e['wl:shop/frontend->wl:data/db']!.dropReasons).toEqual({ policy_drop: 0.5 });
    expect(e['wl:shop/frontend->wl:data/db']!.tcpFailures).toBe(12);
    expect(g.nodes.find((n) => n.id === 'wl:shop/api')).toMatchObject({
      kind: 'workload',
      parent: 'ns:shop',
    });
  });

  it('rolls pods up to namespaces, the server-known workload first', () => {
    const g = graphFromProm(RECORDED_GRAPH, filter({ level: 'namespace' }), win, opts);
    expect(g.edges.map((x) => x.id).sort()).toEqual([
      'ns:shop->ns:data',
      'ns:shop->ns:shop',
      'world->ns:shop',
    ]);
    const known = graphFromProm(RECORDED_GRAPH, filter({ level: 'workload' }), win, {
      ...opts,
      workloadOf: (ns, pod) => (ns === 'data' && pod === 'db-0' ? 'postgres' : undefined),
    });
    expect(known.edges.map((x) => x.id)).toContain('wl:shop/api->wl:data/postgres');
  });

  it('says when the level asked for is finer than the metrics hold', () => {
    const g = graphFromProm(RECORDED_GRAPH, filter({ level: 'pod' }), win, {
      ...opts,
      metricsLevel: 'namespace',
    });
    expect(g.level).toBe('namespace');
    expect(g.sourceNotice).toContain('the pod level is not in the collectors’ metrics');
    expect(availableLevel('workload', 'workload')).toEqual({ level: 'workload' });
  });

  it('applies the namespace filter and names the filters it cannot apply', () => {
    const g = graphFromProm(
      RECORDED_GRAPH,
      filter({ level: 'pod', namespace: ['data'], port: 5432 }),
      win,
      opts,
    );
    expect(g.edges.every((x) => x.source.includes('data') || x.target.includes('data'))).toBe(true);
    expect(g.edges.length).toBe(2);
    expect(g.sourceNotice).toContain('port');
  });

  it('folds the least busy nodes into others past maxNodes', () => {
    const g = graphFromProm(RECORDED_GRAPH, filter({ level: 'pod' }), win, { ...opts, maxNodes: 3 });
    expect(g.folded).toBe(2);
    expect(g.nodes.find((n) => n.id === 'others')?.members).toBe(2);
  });
});

describe('workloadFromPodName', () => {
  it.each([
    ['api-5c4d8f7b9-xyz12', 'api'],
    ['db-0', 'db'],
    ['node-agent-x7k2p', 'node-agent'],
    ['standalone', 'standalone'],
  ])('%s -> %s', (pod, wl) => expect(workloadFromPodName(pod)).toBe(wl));
});
