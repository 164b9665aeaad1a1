import type { GraphResponse } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { buildMapModel, isOutside } from './mapModel.js';
import { buildScene, GROUP_PADDING, hasClass, nodeShape, sameLook } from './mapScene.js';
import { StableLayout } from './stableLayout.js';

function sceneOf(graph: GraphResponse, layout = new StableLayout()) {
  const model = buildMapModel(graph);
  const positions = layout.positions(
    model.nodes.map((n) => ({ id: n.data.id, parent: n.data.parent, outside: isOutside(n.data) })),
  );
  return { model, positions, scene: buildScene(model, positions) };
}

describe('buildScene', () => {
  it('draws namespaces as boxes around their members and every edge between drawn nodes', () => {
    const { model, positions, scene } = sceneOf(fixtures.graphWorkload);
    expect(scene.groups.map((g) => g.id).sort()).toEqual([...model.groups].sort());
    expect(scene.nodes.some((n) => model.groups.has(n.id))).toBe(false);
    expect(scene.edges).toHaveLength(model.edges.length);
    const api = scene.nodes.find((n) => n.id === 'wl:production/api')!;
    expect({ x: api.x, y: api.y }).toEqual(positions.get('wl:production/api'));
    const box = scene.groups.find((g) => g.id === 'ns:production')!;
    expect(box.x0).toBeLessThanOrEqual(api.x - api.r - GROUP_PADDING);
    expect(box.y1).toBeGreaterThanOrEqual(api.y + api.r + GROUP_PADDING);
    expect(scene.bounds.x0).toBeLessThanOrEqual(box.x0);
  });
  it('keeps what the cytoscape map shows: labels, drops, DNS, world', () => {
    const { scene } = sceneOf(fixtures.graphWorkload);
    const db = scene.edges.find((e) => e.id === 'wl:production/api->wl:production/db')!;
    expect(db.label).toBe('5432/TCP policy drop 4.5/s, 12 connects failed');
    expect(db.health).toBe('drops');
    expect(scene.edges.some((e) => e.dns)).toBe(true);
    const coredns = scene.nodes.find((n) => n.id === 'wl:kube-system/coredns')!;
    expect(coredns.shape).toBe('hexagon');
    const world = sceneOf(fixtures.graphNamespace).scene.nodes.find((n) => n.id === 'world')!;
    expect(world.shape).toBe('diamond');
    expect(world.outside).toBe(true);
  });
  it('keeps a node running CoreDNS a barrel, in the DNS colour', () => {
    const model = buildMapModel({
      ...fixtures.graphNamespace,
      level: 'node',
      nodes: [
        { id: 'node:a', kind: 'node', label: 'a', namespace: '', bytesPerSec: 1, dropsPerSec: 0, dns: true },
      ],
      edges: [],
    });
    const scene = buildScene(model, new Map([['node:a', { x: 0, y: 0 }]]));
    expect(scene.nodes[0]).toMatchObject({ shape: 'barrel', dns: true });
  });
  it('gives each kind its cytoscape shape', () => {
    expect(nodeShape('pod', 'k-pod')).toBe('circle');
    expect(nodeShape('host', 'k-host')).toBe('rect');
    expect(nodeShape('node', 'k-node')).toBe('barrel');
    expect(nodeShape('service', 'k-service')).toBe('tag');
    expect(nodeShape('workload', 'k-workload')).toBe('round-rect');
    expect(nodeShape('workload', 'k-workload dns')).toBe('hexagon');
  });
  it('holds widths and sizes that moved less than a visible step, so a wobbling rate draws nothing', () => {
    const layout = new StableLayout();
    const { model, positions, scene } = sceneOf(fixtures.graphWorkload, layout);
    const wobble = {
      ...model,
      nodes: model.nodes.map((n) => ({ ...n, data: { ...n.data, size: n.data.size + 1 } })),
      edges: model.edges.map((e) => ({ ...e, data: { ...e.data, width: e.data.width + 0.5 } })),
    };
    const next = buildScene(wobble, positions, scene);
    expect(next.edges.map((e) => e.width)).toEqual(scene.edges.map((e) => e.width));
    expect(sameLook(scene, next, false)).toBe(true);
    const bigger = {
      ...model,
      edges: model.edges.map((e) => ({ ...e, data: { ...e.data, width: e.data.width + 2 } })),
    };
    expect(sameLook(scene, buildScene(bigger, positions, scene), false)).toBe(false);
  });
  it('tells a changed state or a new node apart, and labels only when they are drawn', () => {
    const { model, positions, scene } = sceneOf(fixtures.graphWorkload);
    const failing = {
      ...model,
      edges: model.edges.map((e, i) =>
        i === 0 ? { ...e, data: { ...e.data, health: 'failing' as const } } : e,
      ),
    };
    expect(sameLook(scene, buildScene(failing, positions, scene), false)).toBe(false);
    const relabelled = {
      ...model,
      edges: model.edges.map((e, i) => (i === 0 ? { ...e, data: { ...e.data, label: '80/TCP 9 MB/s' } } : e)),
    };
    const next = buildScene(relabelled, positions, scene);
    expect(sameLook(scene, next, false)).toBe(true);
    expect(sameLook(scene, next, true)).toBe(false);
    const fewer = { ...model, nodes: model.nodes.slice(1) };
    expect(sameLook(scene, buildScene(fewer, positions, scene), false)).toBe(false);
  });
  it('carries compare marks to the scene, and a mark that changes is a new look', () => {
    const layout = new StableLayout();
    const { positions, scene } = sceneOf(fixtures.graphWorkload, layout);
    const compared = buildScene(buildMapModel(fixtures.graphWorkloadCompare), positions, scene);
    const mark = (id: string) => {
      const e = compared.edges.find((x) => x.id === id)!;
      return [e.presence, e.rose, e.health];
    };
    expect(mark('wl:production/api->wl:production/db')).toEqual([null, true, 'drops']);
    expect(mark('wl:production/frontend->wl:kube-system/coredns')).toEqual(['new', false, 'ok']);
    expect(mark('wl:production/frontend->wl:production/db')).toEqual(['vanished', false, 'ok']);
    expect(mark('wl:production/frontend->wl:production/api')).toEqual([null, false, 'ok']);
    const unmarked = buildScene(
      buildMapModel({
        ...fixtures.graphWorkloadCompare,
        edges: fixtures.graphWorkloadCompare.edges.map(({ changes: _, ...e }) => e),
      }),
      positions,
      compared,
    );
    expect(sameLook(compared, unmarked, false)).toBe(false);
  });
  it('marks self-loops and skips edges to nodes without a position', () => {
    const { model, positions } = sceneOf(fixtures.graphNamespace);
    const loopy = {
      ...model,
      edges: [
        {
          ...model.edges[0]!,
          data: { ...model.edges[0]!.data, id: 'self', target: model.edges[0]!.data.source },
        },
        { ...model.edges[0]!, data: { ...model.edges[0]!.data, id: 'dangling', target: 'ns:nowhere' } },
      ],
    };
    const scene = buildScene(loopy, positions);
    expect(scene.edges.map((e) => [e.id, e.loop])).toEqual([['self', true]]);
  });
});

describe('hasClass', () => {
  it('matches whole class names only', () => {
    expect(hasClass('h-ok dns', 'dns')).toBe(true);
    expect(hasClass('dns', 'dns')).toBe(true);
    expect(hasClass('k-pod dnsx', 'dns')).toBe(false);
    expect(hasClass('xdns dns', 'dns')).toBe(true);
    expect(hasClass('', 'dns')).toBe(false);
  });
});
