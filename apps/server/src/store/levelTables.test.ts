import { describe, expect, it } from 'vitest';
import { MemoryShare } from '../memoryBudget.js';
import { levelNode } from './levelNode.js';
import { LEVEL_INDEX, LevelTables } from './levelTables.js';

const pod = (ns: string, name: string) =>
  levelNode(
    {
      ip: '10.0.0.1',
      kind: 'pod',
      namespace: ns,
      name,
      workloadKind: '',
      workload: '',
      service: '',
      node: 'n1',
    },
    'pod',
  );

describe('LevelTables', () => {
  it('numbers each graph node once per level', () => {
    const t = new LevelTables(100);
    const l = LEVEL_INDEX.pod;
    const a = t.idOf(l, pod('prod', 'api-0'));
    const b = t.idOf(l, pod('prod', 'db-0'));
    expect(t.idOf(l, pod('prod', 'api-0'))).toBe(a);
    expect(b).not.toBe(a);
    expect(t.nodes[l]![b]!.id).toBe('pod:prod/db-0');
    // Another level has its own numbers.
    expect(t.idOf(LEVEL_INDEX.namespace, pod('prod', 'api-0'))).toBe(0);
  });

  it('starts over past its bound with a new generation, and only between queries', () => {
    const t = new LevelTables(10);
    for (let i = 0; i < 25; i++) t.idOf(LEVEL_INDEX.pod, pod('ns', `p-${i}`));
    // Growing past the bound during a query keeps every number valid.
    expect(t.nodes[LEVEL_INDEX.pod]!.length).toBe(25);
    expect(t.generation).toBe(0);
    t.trim();
    expect(t.generation).toBe(1);
    expect(t.nodes[LEVEL_INDEX.pod]!.length).toBe(0);
    t.idOf(LEVEL_INDEX.pod, pod('ns', 'p-0'));
    t.trim();
    expect(t.generation).toBe(1);
  });
});

describe('LevelTables memory share', () => {
  it('starts over past its bytes at the next trim, and counts what it let go', () => {
    const share = new MemoryShare('endpoints', 1_000_000);
    const t = new LevelTables(1_000_000, 100_000, share);
    for (let k = 0; k < 200; k++) t.idOf(LEVEL_INDEX.pod, pod('ns', `p${k}-${'y'.repeat(1_000)}`));
    expect(t.bytes).toBeGreaterThan(100_000);
    const gen = t.generation;
    t.trim();
    expect(t.generation).toBe(gen + 1);
    expect(t.bytes).toBe(0);
    expect(share.evicted).toBe(200);
  });
});
