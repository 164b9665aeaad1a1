import {
  DEFAULT_FLOW_SEARCH,
  decodeFlowCursor,
  type FilterState,
  type FlowRow,
  type FlowSearch,
  parseFilter,
  parseFlowSearch,
} from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { labBatches, T0 } from '../../fixtures/labBatches.js';
import { EP, N1 } from '../../fixtures/labCluster.js';
import { testStore } from '../../fixtures/testStore.js';
import { searchFlows } from './searchFlows.js';

/** A store of 30 s of the lab (two nodes, policy drops), and a ring small enough to have wrapped. */
function store(maxFlowRows = 100_000) {
  const t = testStore({ maxFlowRows });
  t.feed(labBatches({ seconds: 30, policyDropsPerSec: 2 }));
  return t;
}

function parse(q: string): { f: FilterState; s: FlowSearch } {
  const params = Object.fromEntries(new URLSearchParams(q));
  const { state, issues } = parseFilter(params, [
    'limit',
    'sort',
    'cursor',
    'after',
    'service',
    'node',
    'ip',
    'dir',
    'flags',
    'dns',
  ]);
  const { search, issues: own } = parseFlowSearch(params);
  expect([...issues, ...own]).toEqual([]);
  return { f: state, s: search };
}

/** Every held row with its seq, newest first: what the search is checked against. */
function allRows(t: ReturnType<typeof store>): (FlowRow & { seq: number })[] {
  const rows: (FlowRow & { seq: number })[] = [];
  let seq = t.store.flows.head;
  t.store.recentFlows((r) => rows.push({ ...r, seq: seq-- }) > 0);
  return rows;
}

const inNet = (ip: string) => ip.startsWith('10.244.');

describe('searchFlows', () => {
  const t = store();
  const win = { start: T0, end: t.clock.now };
  const rows = allRows(t);
  const either = (r: FlowRow, p: (e: FlowRow['src']) => boolean) => p(r.src) || p(r.dst);

  /** Each filter against the same test written plainly over every row. */
  const cases: [string, (r: FlowRow) => boolean][] = [
    ['namespace=production', (r) => either(r, (e) => e.namespace === 'production')],
    [
      `pod=${EP.legacy.namespace}/${EP.legacy.name}`,
      (r) =>
        either(
          r,
          (e) => e.kind === 'pod' && e.name === EP.legacy.name && e.namespace === EP.legacy.namespace,
        ),
    ],
    ['verdict=dropped', (r) => r.verdict === 'dropped'],
    ['reason=policy_drop', (r) => r.reason === 'policy_drop'],
    ['verdict=forwarded&protocol=tcp', (r) => r.verdict === 'forwarded' && r.proto === 'tcp'],
    ['port=6379', (r) => r.sport === 6379 || r.dport === 6379],
    ['dir=ingress', (r) => r.dir === 'ingress'],
    ['flags=psh,ack', (r) => (r.tcpFlags & 0x18) === 0x18],
    [`node=${N1}`, (r) => r.node === N1 || either(r, (e) => e.node === N1)],
    ['ip=10.244.0.0/16', (r) => either(r, (e) => inNet(e.ip))],
    [`ip=${EP.api1.ip}`, (r) => either(r, (e) => e.ip === EP.api1.ip)],
    [
      `service=${EP.api1.namespace}/${EP.api1.service}`,
      (r) => either(r, (e) => e.namespace === EP.api1.namespace && e.service === EP.api1.service),
    ],
    [
      'q=policy',
      (r) =>
        r.reason.includes('policy') ||
        either(r, (e) =>
          `${e.namespace}/${e.name} ${e.workload} ${e.service} ${e.ip} ${e.node} ${e.kind}`.includes(
            'policy',
          ),
        ),
    ],
    [`src=${EP.legacy.namespace}/${EP.legacy.name}`, (r) => r.src.name === EP.legacy.name],
    [`dst=${EP.api1.ip}:${80}`, (r) => r.dst.ip === EP.api1.ip && r.dport === 80],
    ['dns=svc.cluster.local', (r) => r.dns?.name === 'db.production.svc.cluster.local'],
    // free text finds a row by its DNS name too
    ['q=db.production.svc', (r) => r.dns?.name.includes('db.production.svc') === true],
    [
      'dns=DB.Production.svc.cluster.local.&dir=ingress',
      (r) => r.dns?.name === 'db.production.svc.cluster.local' && r.dir === 'ingress',
    ],
    [
      'namespace=production&protocol=tcp&verdict=forwarded',
      (r) => either(r, (e) => e.namespace === 'production') && r.proto === 'tcp' && r.verdict === 'forwarded',
    ],
  ];

  it.each(cases)('%s counts what a plain test over every row counts', (q, test) => {
    const { f, s } = parse(q);
    const want = rows.filter((r) => r.ts >= win.start && r.ts < win.end && test(r));
    const got = searchFlows(t.store.flows, f, { ...s, limit: 5000 }, win);
    expect(got.total).toBe(want.length);
    expect(new Set(got.flows.map((r) => r.seq))).toEqual(new Set(want.map((r) => r.seq)));
    expect(got.next).toBeUndefined();
  });

  it('names a flow to an address its source resolved, and no other', () => {
    const resolvers = new Set([EP.frontend1.ip, EP.frontend2.ip, EP.api1.ip, EP.api2.ip]);
    const toDb = (r: FlowRow) => resolvers.has(r.src.ip) && r.dst.ip === EP.db.ip;
    // From the second second on: a node's flows may come a batch before the other node's DNS records.
    const later = rows.filter((r) => r.ts > T0 + 1000);
    expect(later.filter(toDb).length).toBeGreaterThan(0);
    for (const r of later)
      expect(r.dns, `${r.src.name} -> ${r.dst.name}`).toEqual(
        toDb(r) ? { name: 'db.production.svc.cluster.local' } : undefined,
      );
    const page = searchFlows(
      t.store.flows,
      parse('').f,
      { ...parse('dns=db.production.svc.cluster.local').s, limit: 10 },
      win,
    );
    expect(page.flows.length).toBeGreaterThan(0);
    for (const r of page.flows) expect(r.dns?.name).toBe('db.production.svc.cluster.local');
  });

  it('finds something for each filter (a case matching nothing would prove little)', () => {
    for (const [q, test] of cases) expect(rows.some(test), q).toBe(true);
  });

  it.each(['time', 'bytes', 'packets'] as const)('pages by %s cover every match once, in order', (sort) => {
    const { f } = parse('namespace=production');
    const all = searchFlows(t.store.flows, f, { ...DEFAULT_FLOW_SEARCH, sort, limit: 5000 }, win);
    const seen: FlowRow[] = [];
    let s: FlowSearch = { ...DEFAULT_FLOW_SEARCH, sort, limit: 37 };
    for (;;) {
      const page = searchFlows(t.store.flows, f, s, win);
      expect(page.total).toBe(all.total);
      seen.push(...page.flows);
      if (!page.next) break;
      s = { ...s, cursor: decodeFlowCursor(page.next) };
    }
    expect(seen.map((r) => r.seq)).toEqual(all.flows.map((r) => r.seq));
    const key = (r: FlowRow) => (sort === 'time' ? r.ts : sort === 'bytes' ? r.bytes : r.packets);
    for (let i = 1; i < seen.length; i++) expect(key(seen[i - 1]!)).toBeGreaterThanOrEqual(key(seen[i]!));
  });

  it('merge=connection: one row per connection and interval, with every observation of it', () => {
    const key = (r: FlowRow) => `${r.proto}|${r.src.ip}|${r.sport}|${r.dst.ip}|${r.dport}|${r.ts}`;
    const inWin = rows.filter((r) => r.ts >= win.start && r.ts < win.end);
    const byKey = new Map<string, number[]>();
    for (const r of inWin) byKey.set(key(r), [...(byKey.get(key(r)) ?? []), r.seq]);
    const s = { ...DEFAULT_FLOW_SEARCH, merge: 'connection' as const, limit: 5000 };
    const got = searchFlows(t.store.flows, parse('').f, s, win);
    expect(got.total).toBe(byKey.size);
    expect(got.total).toBeLessThan(inWin.length);
    for (const r of got.flows) {
      const seqs = byKey.get(key(r))!;
      expect(r.seq).toBe(Math.min(...seqs));
      expect((r.seen ?? [r]).map((o) => o.seq).sort()).toEqual([...seqs].sort());
    }
    // A connection between the two nodes: seen leaving one and arriving at the other, one row.
    const crossNode = got.flows.find((r) => new Set(r.seen?.map((o) => o.node)).size === 2);
    expect(crossNode?.seen?.map((o) => o.dir).sort()).toEqual(['egress', 'ingress']);
    // A policy drop is the row's verdict, whatever else saw the packets.
    const dropped = searchFlows(t.store.flows, parse('reason=policy_drop').f, s, win);
    expect(dropped.flows.every((r) => r.verdict === 'dropped')).toBe(true);
    // Pages over merged rows give each once.
    const seen: number[] = [];
    let page: FlowSearch = { ...s, limit: 41 };
    for (;;) {
      const p = searchFlows(t.store.flows, parse('').f, page, win);
      seen.push(...p.flows.map((r) => r.seq!));
      if (!p.next) break;
      page = { ...page, cursor: decodeFlowCursor(p.next) };
    }
    expect(seen).toEqual(got.flows.map((r) => r.seq));
  });

  it('after a seq, gives only the rows that arrived since', () => {
    const t2 = store();
    const { f } = parse('');
    const head = t2.store.flows.head;
    t2.feed(labBatches({ start: T0 + 30_000, seconds: 2, policyDropsPerSec: 2 }));
    const w = { start: T0, end: t2.clock.now };
    const since = searchFlows(t2.store.flows, f, { ...DEFAULT_FLOW_SEARCH, after: head, limit: 5000 }, w);
    expect(since.total).toBe(t2.store.flows.head - head);
    expect(since.flows.every((r) => r.seq! > head)).toBe(true);
    expect(since.head).toBe(t2.store.flows.head);
  });

  it('reads a wrapped ring: only what it still holds, the same as its rows', () => {
    const small = store(500);
    const held = allRows(small);
    expect(held).toHaveLength(small.store.flows.size);
    const got = searchFlows(small.store.flows, parse('').f, { ...DEFAULT_FLOW_SEARCH, limit: 5000 }, win);
    expect(got.total).toBe(held.length);
    expect(new Set(got.flows.map((r) => r.seq))).toEqual(new Set(held.map((r) => r.seq)));
  });
});
