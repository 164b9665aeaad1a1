import { PROBE_RECORD_VERSION, type ProbeRecord } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { createSimulatedSource } from './simulatedSource.js';

async function take(
  records: AsyncIterable<ProbeRecord>,
  until: (r: ProbeRecord, n: number) => boolean,
): Promise<ProbeRecord[]> {
  const out: ProbeRecord[] = [];
  for await (const r of records) {
    out.push(r);
    if (until(r, out.length)) break;
  }
  return out;
}

describe('createSimulatedSource', () => {
  const now = () => 1_790_000_000_500;

  it('starts like the probe: hello with its hooks, then one attach per local veth', async () => {
    const s = createSimulatedSource({ node: 'lab-node-1', realtime: false, now });
    const head = await take(s.records, (_, n) => n === 6);
    expect(head[0]).toMatchObject({ type: 'hello', kernel: 'simulated', version: PROBE_RECORD_VERSION });
    const hooks = (head[0] as { hooks: string[] }).hooks;
    expect(hooks).toContain('tc:weft1-0');
    expect(hooks).toContain('tp_btf/kfree_skb');
    expect(head.slice(1).map((r) => (r.type === 'link' ? r.ifname : r.type))).toEqual([
      'weft1-0',
      'weft1-1',
      'weft1-2',
      'weft1-3',
      'weft1-4',
    ]);
    await s.stop();
  });

  it('closes each interval with a stats record at its aligned end', async () => {
    const s = createSimulatedSource({ node: 'lab-node-2', realtime: false, now, intervalMs: 500 });
    let stats = 0;
    const out = await take(s.records, (r) => r.type === 'stats' && ++stats === 3);
    const ends = out.filter((r) => r.type === 'stats').map((r) => r.ts);
    expect(ends).toEqual([1_790_000_001_000, 1_790_000_001_500, 1_790_000_002_000]);
    await s.stop();
  });

  it('stops a realtime source that is waiting for its interval', async () => {
    let t = 1_790_000_000_000;
    const s = createSimulatedSource({ node: 'lab-node-1', now: () => t, intervalMs: 60_000 });
    const it = s.records[Symbol.asyncIterator]();
    for (let i = 0; i < 6; i++) await it.next();
    const pending = it.next();
    t += 1;
    await s.stop();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('takes faults while running', async () => {
    const s = createSimulatedSource({ node: 'lab-node-1', realtime: false, now, scenario: 'clean' });
    s.setFaults([{ kind: 'dns-servfail', name: null }]);
    const out = await take(s.records, (r) => r.type === 'stats');
    expect(out.filter((r) => r.type === 'dns').every((r) => r.type === 'dns' && r.rcode === 'SERVFAIL')).toBe(
      true,
    );
    expect(out.some((r) => r.type === 'dns')).toBe(true);
    await s.stop();
  });

  it('rejects an unknown node or interval clearly', () => {
    expect(() => createSimulatedSource({ node: 'node-9' })).toThrow(
      /node "node-9" is not in the topology \(lab-node-1, lab-node-2\)/,
    );
    expect(() => createSimulatedSource({ node: 'lab-node-1', intervalMs: 0 })).toThrow(/intervalMs/);
  });
});
