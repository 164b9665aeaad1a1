import type { ProbeFlow, ProbeRecord } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeRun, startProbe } from './fixtures/probeRun.js';
import { createTestNet, type TestNet } from './fixtures/testNet.js';

const PAYLOAD = 2_000_000;
const isFlow = (r: ProbeRecord): r is ProbeFlow => r.type === 'flow';

let net: TestNet;
let run: ProbeRun;

beforeAll(async () => {
  net = await createTestNet('fl');
  run = await startProbe({ ifacePrefixes: [net.ifPrefix], intervalMs: 200 });
});

afterAll(async () => {
  await run?.stop();
  await net?.destroy();
});

describe.each([
  ['IPv4', 'ip4', 14 + 20 + 32, 9001],
  ['IPv6', 'ip6', 14 + 40 + 32, 9002],
] as const)('flows over %s', (_name, fam, hdr, port) => {
  it('counts a TCP transfer once per direction per observation point, bytes within 1% of payload + headers', async () => {
    const { a, b } = net;
    const server = await net.serve(b, ['sink', b[fam], String(port)]);
    const [sent] = await net.tool(a, ['send', b[fam], String(port), String(PAYLOAD)]);
    server.kill();
    const sport = sent?.sport as number;
    expect(sport).toBeGreaterThan(0);

    // the connection is closed: two more drains and every packet is in the records
    await run.intervals(2);
    const mine = run.records
      .filter(isFlow)
      .filter(
        (f) =>
          f.proto === 'tcp' &&
          ((f.sport === sport && f.dport === port) || (f.sport === port && f.dport === sport)),
      );
    const sum = new Map<string, { bytes: number; packets: number }>();
    for (const f of mine) {
      const k = `${f.ifname} ${f.dir} ${f.src} ${f.dst}`;
      const s = sum.get(k) ?? { bytes: 0, packets: 0 };
      s.bytes += f.bytes;
      s.packets += f.packets;
      sum.set(k, s);
    }
    // A's data leaves pod A (egress on A's veth) and enters pod B (ingress on B's veth); ACKs the other way
    expect([...sum.keys()].sort()).toEqual(
      [
        `${a.hostIf} egress ${a[fam]} ${b[fam]}`,
        `${a.hostIf} ingress ${b[fam]} ${a[fam]}`,
        `${b.hostIf} egress ${b[fam]} ${a[fam]}`,
        `${b.hostIf} ingress ${a[fam]} ${b[fam]}`,
      ].sort(),
    );
    const out = sum.get(`${a.hostIf} egress ${a[fam]} ${b[fam]}`);
    const inB = sum.get(`${b.hostIf} ingress ${a[fam]} ${b[fam]}`);
    if (!out || !inB) throw new Error('missing observation');
    // every packet leaving A's veth arrives at B's: the same count at both points
    expect(inB).toEqual(out);
    const expected = PAYLOAD + out.packets * hdr;
    expect(Math.abs(out.bytes - expected) / expected).toBeLessThan(0.01);
    // at most one MSS of payload per counted packet (GSO packets count as their segments)
    expect(out.packets).toBeGreaterThanOrEqual(Math.ceil(PAYLOAD / 1448));
    const acks = sum.get(`${b.hostIf} egress ${b[fam]} ${a[fam]}`);
    expect(acks?.bytes).toBeGreaterThan(0);
    expect(acks?.bytes).toBeLessThan(PAYLOAD * 0.05);
    // the handshake's SYN and the FIN show in the flags
    expect((mine.filter((f) => f.src === a[fam]).reduce((o, f) => o | f.tcp_flags, 0) & 0x03) === 0x03).toBe(
      true,
    );
  });
});

describe('draining key by key (kernels without batch map ops)', () => {
  it('counts a transfer the same as the batch drain', async () => {
    const byKey = await startProbe({
      ifacePrefixes: [net.ifPrefix],
      intervalMs: 200,
      args: ['--drain-by-key'],
    });
    try {
      const server = await net.serve(net.b, ['sink', net.b.ip4, '9003']);
      const [sent] = await net.tool(net.a, ['send', net.b.ip4, '9003', String(PAYLOAD)]);
      server.kill();
      await byKey.intervals(2);
      await run.intervals(2);
      const total = (records: ProbeRecord[]) =>
        records
          .filter(isFlow)
          .filter((f) => f.sport === sent?.sport && f.ifname === net.a.hostIf)
          .reduce((n, f) => n + f.bytes, 0);
      expect(total(byKey.records)).toBeGreaterThan(PAYLOAD);
      expect(total(byKey.records)).toBe(total(run.records));
    } finally {
      await byKey.stop();
    }
  });
});

describe('a full flow map', () => {
  it('counts the overflow in stats records and keeps running', async () => {
    const small = await startProbe({
      ifacePrefixes: [net.ifPrefix],
      intervalMs: 1000,
      args: ['--flow-map-size', '16'],
    });
    try {
      // 40 distinct source ports in one interval: more flows than the map holds
      for (let i = 0; i < 40; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            net.tool(net.a, ['udp', net.b.ip4, '9100', '1', String(20000 + i + j)]),
          ),
        );
      }
      const stats = await small.waitFor(
        (r): r is Extract<ProbeRecord, { type: 'stats' }> => r.type === 'stats',
        (m) => m.some((s) => s.flow_overflow > 0),
      );
      expect(stats.at(-1)?.flow_overflow).toBeGreaterThan(0);
      expect(small.probe.pid).toBeGreaterThan(0);
      // still draining: a later interval arrives
      await small.intervals(1);
    } finally {
      await small.stop();
    }
    expect((await small.probe.exited).code).toBe(0);
  });
});

describe('IPv6 extension headers', () => {
  it('are skipped to the transport protocol (an MLD report behind hop-by-hop options is icmpv6)', async () => {
    // joining a new address makes pod A send MLD reports: IPv6 + hop-by-hop header + ICMPv6
    await net.sh(net.a, ['ip', 'addr', 'add', 'fd57:7062::99/64', 'dev', 'eth0', 'nodad']);
    const mld = await run.waitFor(
      (r): r is ProbeFlow =>
        isFlow(r) && r.ifname === net.a.hostIf && r.dst === 'ff02::16' && r.dir === 'egress',
      (m) => m.length > 0,
    );
    expect(mld.every((f) => f.proto === 'icmpv6')).toBe(true);
  });
});
