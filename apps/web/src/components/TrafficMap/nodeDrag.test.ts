import { describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { buildMapModel, isOutside } from '../../domain/mapModel.js';
import { buildScene, GROUP_PADDING } from '../../domain/mapScene.js';
import { hitTest } from '../../domain/sceneHit.js';
import { StableLayout } from '../../domain/stableLayout.js';
import { NodeDrag } from './nodeDrag.js';

const model = buildMapModel(fixtures.graphWorkload);
function scene() {
  const positions = new StableLayout().positions(
    model.nodes.map((n) => ({ id: n.data.id, parent: n.data.parent, outside: isOutside(n.data) })),
  );
  return buildScene(model, positions);
}
const API = 'wl:production/api';

describe('NodeDrag', () => {
  it('moves a node, the ends of its edges and no other node', () => {
    const s = scene();
    const api = s.nodes.find((n) => n.id === API)!;
    const others = s.nodes.filter((n) => n !== api).map((n) => ({ ...n }));
    const { x, y } = api;
    new NodeDrag(s, model, { kind: 'node', id: API }).moveBy(300, -40);
    expect(api).toMatchObject({ x: x + 300, y: y - 40 });
    expect(s.nodes.filter((n) => n !== api)).toEqual(others);
    const out = s.edges.find((e) => e.id === 'wl:production/api->wl:production/db')!;
    const into = s.edges.find((e) => e.id === 'wl:production/frontend->wl:production/api')!;
    expect([out.sx, out.sy]).toEqual([x + 300, y - 40]);
    expect([into.tx, into.ty]).toEqual([x + 300, y - 40]);
    // Hit testing reads the same scene: the node is found at its new place, not at the old one.
    expect(hitTest(s, x + 300, y - 40, 1)).toEqual({ kind: 'node', id: API });
    expect(hitTest(s, x, y, 1)?.id).not.toBe(API);
  });

  it("fits the namespace box to the moved node, like cytoscape's compound node", () => {
    const s = scene();
    const api = s.nodes.find((n) => n.id === API)!;
    const box = s.groups.find((g) => g.id === 'ns:production')!;
    const kube = { ...s.groups.find((g) => g.id === 'ns:kube-system')! };
    const right = box.x1;
    const far = right - api.x + 500;
    const drag = new NodeDrag(s, model, { kind: 'node', id: API });
    drag.moveBy(far, 0);
    expect(box.x1).toBe(api.x + api.r + GROUP_PADDING);
    // Moved back inside, the box shrinks again: it is refitted, not only grown.
    drag.moveBy(-far, 0);
    expect(box.x1).toBe(right);
    expect(s.groups.find((g) => g.id === 'ns:kube-system')).toEqual(kube);
  });

  it('moves a namespace box with every member and their edges', () => {
    const s = scene();
    const box = s.groups.find((g) => g.id === 'ns:production')!;
    const before = { ...box };
    const members = s.nodes.filter((n) => n.id.startsWith('wl:production/')).map((n) => ({ ...n }));
    const coredns = { ...s.nodes.find((n) => n.id === 'wl:kube-system/coredns')! };
    new NodeDrag(s, model, { kind: 'group', id: 'ns:production' }).moveBy(-60, 90);
    expect(box).toMatchObject({
      x0: before.x0 - 60,
      x1: before.x1 - 60,
      y0: before.y0 + 90,
      y1: before.y1 + 90,
    });
    for (const m of members)
      expect(s.nodes.find((n) => n.id === m.id)).toMatchObject({ x: m.x - 60, y: m.y + 90 });
    expect(s.nodes.find((n) => n.id === coredns.id)).toEqual(coredns);
    const dns = s.edges.find((e) => e.id === 'wl:production/api->wl:kube-system/coredns')!;
    expect([dns.tx, dns.ty]).toEqual([coredns.x, coredns.y]);
    expect([dns.sx, dns.sy]).toEqual([
      members.find((m) => m.id === API)!.x - 60,
      members.find((m) => m.id === API)!.y + 90,
    ]);
  });
});
