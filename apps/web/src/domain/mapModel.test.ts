import type { GraphResponse } from '@weft/protocol';
import { nodeIdOf } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { buildMapModel, edgeTitle, LABEL_MAX, topEdges, topN, topNodes } from './mapModel.js';

describe('buildMapModel', () => {
  it('labels edges like the seed, a problem edge with its problem, and marks drops and DNS', () => {
    const m = buildMapModel(fixtures.graphWorkload);
    const apiDb = m.edges.find((e) => e.data.id === 'wl:production/api->wl:production/db')!;
    expect(apiDb.data.label).toBe('5432/TCP policy drop 4.5/s, 12 connects failed');
    expect(apiDb.data.health).toBe('drops');
    expect(apiDb.classes).toContain('h-drops');
    const dnsEdge = m.edges.find((e) => e.data.target === 'wl:kube-system/coredns')!;
    expect(dnsEdge.classes).toContain('dns');
    expect(m.nodes.find((n) => n.data.id === 'wl:kube-system/coredns')!.classes).toContain('dns');
    expect(m.groups.has('ns:production')).toBe(true);
    expect(m.nodes.find((n) => n.data.id === 'wl:production/api')!.data.parent).toBe('ns:production');
  });
  it('draws a node running CoreDNS as a node with a DNS border, not as the DNS hexagon', () => {
    const g: GraphResponse = {
      ...fixtures.graphNamespace,
      level: 'node',
      nodes: [
        { id: 'node:a', kind: 'node', label: 'a', namespace: '', bytesPerSec: 1, dropsPerSec: 0, dns: true },
        {
          id: 'pod:kube-system/coredns-1',
          kind: 'pod',
          label: 'coredns-1',
          namespace: 'kube-system',
          bytesPerSec: 1,
          dropsPerSec: 0,
          dns: true,
        },
      ],
      edges: [],
    };
    const m = buildMapModel(g);
    const node = m.nodes.find((n) => n.data.id === 'node:a')!;
    expect(node.classes.split(' ')).toContain('hosts-dns');
    expect(node.classes.split(' ')).not.toContain('dns');
    expect(m.nodes.find((n) => n.data.id === 'pod:kube-system/coredns-1')!.classes.split(' ')).toContain(
      'dns',
    );
  });
  it('world is its own kind', () => {
    const m = buildMapModel(fixtures.graphNamespace);
    expect(m.nodes.find((n) => n.data.id === 'world')!.classes).toContain('k-world');
  });
  it('survives hostile names: long, markup, missing parents, dangling edges', () => {
    const evil = `<img src=x onerror=alert(1)>${'a'.repeat(300)}`;
    const g: GraphResponse = {
      ...fixtures.graphWorkload,
      nodes: [
        {
          id: 'pod:x/evil',
          kind: 'pod',
          label: evil,
          namespace: 'x',
          parent: 'ns:x',
          bytesPerSec: 1,
          dropsPerSec: 0,
        },
      ],
      edges: [{ ...fixtures.graphWorkload.edges[0]!, source: 'pod:x/evil', target: 'pod:gone/nowhere' }],
    };
    const m = buildMapModel(g);
    const n = m.nodes.find((x) => x.data.id === 'pod:x/evil')!;
    expect(n.data.label.length).toBeLessThanOrEqual(LABEL_MAX);
    expect(n.data.full).toBe(evil);
    // The parent box the server named but did not send is made up so the child has a home.
    expect(m.nodes.find((x) => x.data.id === 'ns:x')!.classes).toContain('group');
    expect(m.edges).toHaveLength(0);
  });
  it('ranks problem edges first for the keyboard list', () => {
    expect(topEdges(fixtures.graphWorkload, 1)[0]!.id).toBe('wl:production/api->wl:production/db');
    expect(topNodes(fixtures.graphWorkload, 1)[0]!.id).toMatch(/^(ns:production|wl:production\/api)$/);
  });
  it("names a flow's ends with the ids of the graph's nodes (protocol's nodeIdOf, as the server does)", () => {
    const src = fixtures.flows.flows[0]!.src;
    expect(nodeIdOf(src, 'namespace')).toBe('ns:production');
    expect(fixtures.graphWorkload.nodes.map((n) => n.id)).toContain(nodeIdOf(src, 'workload'));
    expect(nodeIdOf(src, 'pod')).toBe('pod:production/frontend-7d9f8-abc12');
    expect(nodeIdOf(src, 'node')).toBe('node:weft-node-a');
    expect(nodeIdOf(fixtures.flows.flows[2]!.dst, 'pod')).toBe('world');
  });
});

describe('topN', () => {
  it('matches a full sort', () => {
    const xs = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    const cmp = (a: number, b: number) => b - a;
    expect(topN(xs, 10, cmp)).toEqual([...xs].sort(cmp).slice(0, 10));
    expect(topN([3, 1, 2], 10, cmp)).toEqual([3, 2, 1]);
    expect(topN([], 5, cmp)).toEqual([]);
  });
});

describe('focus', () => {
  it('marks the focused node', () => {
    const m = buildMapModel(fixtures.graphWorkload, 'wl:production/api');
    expect(m.nodes.find((n) => n.data.id === 'wl:production/api')!.classes).toContain('focus');
    expect(m.nodes.filter((n) => n.classes.includes('focus'))).toHaveLength(1);
  });
});

describe('compare marks', () => {
  it('become classes and data the renderers style, with the changes in words', () => {
    const m = buildMapModel(fixtures.graphWorkloadCompare, '', 'last 10 s');
    const edge = (id: string) => m.edges.find((e) => e.data.id === id)!;
    const apiDb = edge('wl:production/api->wl:production/db');
    expect(apiDb.classes).toBe('h-drops c-rose');
    expect(apiDb.data).toMatchObject({
      presence: null,
      rose: true,
      changed: 'drops rose, TCP failures rose',
    });
    expect(edge('wl:production/frontend->wl:kube-system/coredns').classes).toBe('h-ok dns c-new');
    expect(edge('wl:production/frontend->wl:production/db').classes).toBe('h-ok c-vanished');
    expect(edge('wl:production/frontend->wl:production/api').classes).toBe('h-ok');
    expect(m.window).toBe('last 10 s');
  });
  it('tooltips say which window the rate is over and what changed', () => {
    expect(edgeTitle({ label: '5432/TCP 2 MB/s', changed: '' }, 'last 10 s')).toBe(
      '5432/TCP 2 MB/s (last 10 s)',
    );
    expect(edgeTitle({ label: '5432/TCP 2 MB/s', changed: 'drops rose' }, 'last 10 s')).toBe(
      '5432/TCP 2 MB/s (last 10 s): drops rose',
    );
    expect(edgeTitle({ label: '53/UDP 3 kB/s', changed: '' }, '')).toBe('53/UDP 3 kB/s');
  });
});
