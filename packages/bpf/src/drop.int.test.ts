import { statSync } from 'node:fs';
import type { ProbeDrop, ProbeRecord } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeRun, startProbe } from './fixtures/probeRun.js';
import { createTestNet, type TestNet } from './fixtures/testNet.js';

const isDrop = (r: ProbeRecord): r is ProbeDrop => r.type === 'drop';

let net: TestNet;
let run: ProbeRun;

beforeAll(async () => {
  net = await createTestNet('dr');
  // pod B's own firewall, like a NetworkPolicy: drop UDP to 9999 and TCP to 9998
  await net.sh(net.b, [
    'nft',
    'add table inet wpbpolicy; ' +
      'add chain inet wpbpolicy input { type filter hook input priority 0; }; ' +
      'add rule inet wpbpolicy input udp dport 9999 drop; ' +
      'add rule inet wpbpolicy input tcp dport 9998 drop',
  ]);
  // pod A's egress firewall: drop UDP it sends to 9997 (dropped on the way out, inside A)
  await net.sh(net.a, [
    'nft',
    'add table inet wpbegress; ' +
      'add chain inet wpbegress output { type filter hook output priority 0; }; ' +
      'add rule inet wpbegress output udp dport 9997 drop',
  ]);
  run = await startProbe({ ifacePrefixes: [net.ifPrefix], intervalMs: 200 });
});

afterAll(async () => {
  await run?.stop();
  await net?.destroy();
});

describe.each([
  ['IPv4', 'ip4', 31001],
  ['IPv6', 'ip6', 31002],
] as const)('drops over %s', (_name, fam, sport) => {
  it('reports each packet an nftables DROP rule dropped as NETFILTER_DROP with its 5-tuple', async () => {
    const { a, b } = net;
    const SENT = 25;
    await net.tool(a, ['udp', b[fam], '9999', String(SENT), String(sport)]);
    const mine = (r: ProbeRecord): r is ProbeDrop =>
      isDrop(r) && r.src === a[fam] && r.dst === b[fam] && r.sport === sport && r.dport === 9999;
    const drops = await run.waitFor(mine, (m) => m.reduce((n, d) => n + d.packets, 0) >= SENT);
    // nothing else arrives for this tuple after two more drains
    await run.intervals(2);
    const all = run.records.filter(mine);
    expect(all.every((d) => d.reason === 'NETFILTER_DROP' && d.proto === 'udp')).toBe(true);
    // dropped inside B's namespace (its own firewall), which names where the drop happened
    const bNetns = statSync(`/run/netns/${b.ns}`).ino;
    expect(new Set(all.map((d) => d.netns))).toEqual(new Set([bNetns]));
    expect(all.reduce((n, d) => n + d.packets, 0)).toBe(SENT);
    expect(drops.length).toBeGreaterThan(0);
    // UDP payload 100 + UDP header 8 (+ IP header when the skb still holds it)
    const perPacket = all.reduce((n, d) => n + d.bytes, 0) / SENT;
    expect(perPacket).toBeGreaterThanOrEqual(108);
    expect(perPacket).toBeLessThanOrEqual(108 + 40);
  });
});

describe('an egress drop', () => {
  it('is placed in the sending namespace', async () => {
    const { a, b } = net;
    await net.tool(a, ['udp', b.ip4, '9997', '5', '31003']);
    const mine = (r: ProbeRecord): r is ProbeDrop => isDrop(r) && r.sport === 31003 && r.dport === 9997;
    const drops = await run.waitFor(mine, (m) => m.reduce((n, d) => n + d.packets, 0) >= 5);
    const aNetns = statSync(`/run/netns/${a.ns}`).ino;
    expect(drops.map((d) => [d.reason, d.netns])).toEqual(drops.map(() => ['NETFILTER_DROP', aNetns]));
  });
});

describe('routine frees', () => {
  it('are not reported as drops', async () => {
    await run.intervals(2);
    const reasons = new Set(run.records.filter(isDrop).map((d) => d.reason));
    for (const routine of ['NOT_SPECIFIED', 'SOCKET_CLOSE', 'CONSUMED', 'NOT_DROPPED_YET']) {
      expect(reasons.has(routine)).toBe(false);
    }
  });
});
