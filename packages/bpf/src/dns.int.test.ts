import { type ChildProcess, spawn } from 'node:child_process';
import type { ProbeDns, ProbeRecord, ProbeStats } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeRun, startProbe } from './fixtures/probeRun.js';
import { createTestNet, type TestNet } from './fixtures/testNet.js';

const isDns = (r: ProbeRecord): r is ProbeDns => r.type === 'dns';
const isStats = (r: ProbeRecord): r is ProbeStats => r.type === 'stats';
/** Second addresses of pod b: a forger beside the real server, inside the test's own namespaces. */
const SPOOF = { ip4: '198.18.77.3', ip6: 'fd57:7062::3' };
/** Third addresses of pod b: a real DNS server (dnsmasq) answering from its own records. */
const REAL = { ip4: '198.18.77.4', ip6: 'fd57:7062::4' };
let dnsmasq: ChildProcess | undefined;

let net: TestNet;
let run: ProbeRun;

beforeAll(async () => {
  net = await createTestNet('dn');
  await net.sh(net.b, ['ip', 'addr', 'add', `${SPOOF.ip4}/24`, 'dev', 'eth0']);
  await net.sh(net.b, ['ip', 'addr', 'add', `${SPOOF.ip6}/64`, 'dev', 'eth0', 'nodad']);
  await net.serve(net.b, ['dns-server', net.b.ip4, '53', SPOOF.ip4]);
  await net.serve(net.b, ['dns-server', net.b.ip6, '53', SPOOF.ip6]);
  await net.sh(net.b, ['ip', 'addr', 'add', `${REAL.ip4}/24`, 'dev', 'eth0']);
  await net.sh(net.b, ['ip', 'addr', 'add', `${REAL.ip6}/64`, 'dev', 'eth0', 'nodad']);
  // web has two addresses of each family; alias is a CNAME to it, deep a CNAME to alias
  dnsmasq = spawn(
    'ip',
    [
      ...['netns', 'exec', net.b.ns, 'dnsmasq', '--keep-in-foreground', '--no-resolv', '--no-hosts'],
      ...['--conf-file=/dev/null', '--pid-file=', '--user=root', '--bind-interfaces', '--port=53'],
      ...[`--listen-address=${REAL.ip4}`, `--listen-address=${REAL.ip6}`, '--local-ttl=42'],
      ...[
        '--host-record=web.weft.test,198.18.9.1,2001:db8::9:1',
        '--host-record=web.weft.test,198.18.9.2,2001:db8::9:2',
      ],
      ...['--cname=alias.weft.test,web.weft.test', '--cname=deep.weft.test,alias.weft.test'],
    ],
    { stdio: 'ignore' },
  );
  // up once it answers
  for (let i = 0; ; i++) {
    const [res] = await net.tool(net.a, ['dns-query', REAL.ip4, '53', 'web.weft.test', '1', '1']);
    if (res?.rcode === 0) break;
    if (i > 50) throw new Error('dnsmasq did not answer');
  }
  run = await startProbe({ ifacePrefixes: [net.ifPrefix], intervalMs: 200, args: ['--dns-timeout', '1000'] });
});

afterAll(async () => {
  dnsmasq?.kill('SIGKILL');
  await run?.stop();
  await net?.destroy();
});

describe.each([
  ['IPv4', 'ip4', 'A', 1, 0x4000],
  ['IPv6', 'ip6', 'AAAA', 28, 0x6000],
] as const)('DNS over %s', (_name, fam, qtype, qtypeNum, idBase) => {
  const ask = async (name: string, id: number, tcp = false) => {
    const args = ['dns-query', net.b[fam], '53', name, String(qtypeNum), String(id)];
    const [res] = await net.tool(net.a, tcp ? [...args, 'tcp'] : args);
    return res as { rcode: number; answers: number; elapsed_us: number };
  };
  const byId =
    (id: number) =>
    (r: ProbeRecord): r is ProbeDns =>
      isDns(r) && r.id === id && r.client === net.a[fam] && r.server === net.b[fam];

  it('pairs each query with its answer: NOERROR and NXDOMAIN counted, names right, latency positive', async () => {
    const asked: { id: number; name: string; rcode: string }[] = [];
    for (let i = 0; i < 3; i++) asked.push({ id: idBase + i, name: `ok${i}.weft.test`, rcode: 'NOERROR' });
    for (let i = 3; i < 5; i++) asked.push({ id: idBase + i, name: `nx${i}.weft.test`, rcode: 'NXDOMAIN' });
    for (const q of asked) {
      const res = await ask(q.name, q.id);
      expect(res.rcode).toBe(q.rcode === 'NOERROR' ? 0 : 3);
    }
    const mine = (r: ProbeRecord): r is ProbeDns => asked.some((q) => byId(q.id)(r));
    const got = await run.waitFor(mine, (m) => m.length >= asked.length);
    await run.intervals(1);
    expect(run.records.filter(mine)).toHaveLength(asked.length);
    for (const q of asked) {
      const r = got.find((g) => g.id === q.id);
      expect(r).toMatchObject({
        qname: q.name,
        qtype,
        rcode: q.rcode,
        answers: q.rcode === 'NOERROR' ? 1 : 0,
      });
      // the address the test server answers with, its TTL; none with NXDOMAIN
      expect(r?.addrs).toEqual(
        q.rcode === 'NOERROR' ? [{ ip: fam === 'ip4' ? '198.18.7.7' : '2001:db8::7', ttl: 30 }] : undefined,
      );
      expect(r?.latency_us).toBeGreaterThan(0);
      expect(r?.cport).toBeGreaterThan(0);
    }
    expect(got.filter((g) => g.rcode === 'NOERROR')).toHaveLength(3);
    expect(got.filter((g) => g.rcode === 'NXDOMAIN')).toHaveLength(2);
  });

  it('shows a server’s 300 ms delay in the latency (within 20%)', async () => {
    const res = await ask('slow300.weft.test', idBase + 10);
    expect(res.rcode).toBe(0);
    const [r] = await run.waitFor(byId(idBase + 10), (m) => m.length > 0);
    expect(r?.latency_us).toBeGreaterThanOrEqual(300_000 * 0.8);
    // The server's timer fires late on a busy machine: the delay it really took is what the client
    // measured, and the probe, seeing the packets nearer the server, can't see more than that.
    expect(r?.latency_us).toBeLessThanOrEqual(Math.max(300_000, res.elapsed_us) * 1.2);
  });

  it('parses DNS over TCP (length-prefixed) too', async () => {
    const res = await ask('ok.tcp.weft.test', idBase + 20, true);
    expect(res.rcode).toBe(0);
    const [r] = await run.waitFor(byId(idBase + 20), (m) => m.length > 0);
    expect(r).toMatchObject({ qname: 'ok.tcp.weft.test', qtype, rcode: 'NOERROR', answers: 1 });
    expect(r?.addrs).toHaveLength(1);
  });

  /** The query's records whoever answered, once the probe has drained past them; and the new mismatches. */
  const askForged = async (name: string, id: number) => {
    const before = run.records.filter(isStats).at(-1)?.dns_mismatch ?? 0;
    const of = (r: ProbeRecord): r is ProbeDns => isDns(r) && r.id === id && r.client === net.a[fam];
    await ask(name, id);
    await run.waitFor(of, (m) => m.length > 0);
    await run.intervals(2);
    const mismatch = (run.records.filter(isStats).at(-1)?.dns_mismatch ?? 0) - before;
    return { records: run.records.filter(of), mismatch };
  };

  it('does not take an answer from another server address or port for the query’s: the real one counts', async () => {
    const { records, mismatch } = await askForged('spoofsrc.weft.test', idBase + 40);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      server: net.b[fam],
      qname: 'spoofsrc.weft.test',
      qtype,
      rcode: 'NOERROR',
      answers: 1,
    });
    // the one from the other port is not DNS to the probe at all (neither port is 53)
    expect(mismatch).toBe(1);
  });

  it('does not take an answer to another question (name, type, class) for the query’s', async () => {
    const { records, mismatch } = await askForged('spoofq.weft.test', idBase + 50);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      server: net.b[fam],
      qname: 'spoofq.weft.test',
      qtype,
      rcode: 'NOERROR',
      answers: 1,
    });
    expect(mismatch).toBe(3);
  });

  it('reports an unanswered query as TIMEOUT', async () => {
    const res = await ask('mute.weft.test', idBase + 30);
    expect(res.rcode).toBe(-1);
    const [r] = await run.waitFor(byId(idBase + 30), (m) => m.length > 0);
    expect(r).toMatchObject({ qname: 'mute.weft.test', rcode: 'TIMEOUT', answers: 0 });
    expect(r?.latency_us).toBeGreaterThanOrEqual(1_000_000);
  });
});

describe.each([
  ['IPv4', 'ip4', 1, '198.18.9.1', '198.18.9.2', 0x7000],
  ['IPv6', 'ip6', 28, '2001:db8::9:1', '2001:db8::9:2', 0x7100],
] as const)('a real DNS server’s answers over %s', (_name, fam, qtypeNum, first, second, idBase) => {
  const resolve = async (name: string, id: number) => {
    const [res] = await net.tool(net.a, ['dns-query', REAL[fam], '53', name, String(qtypeNum), String(id)]);
    expect(res?.rcode).toBe(0);
    const [r] = await run.waitFor(
      (x): x is ProbeDns => isDns(x) && x.id === id && x.client === net.a[fam] && x.server === REAL[fam],
      (m) => m.length > 0,
    );
    return r!;
  };
  const ips = (r: ProbeDns) => (r.addrs ?? []).map((a) => a.ip).sort();

  it('give the name’s addresses with their TTL', async () => {
    const r = await resolve('web.weft.test', idBase);
    expect(ips(r)).toEqual([first, second]);
    expect(r.addrs?.every((a) => a.ttl === 42)).toBe(true);
  });

  it('give the addresses a CNAME chain leads to, for the name asked', async () => {
    const r = await resolve('deep.weft.test', idBase + 1);
    expect(r).toMatchObject({ qname: 'deep.weft.test', rcode: 'NOERROR', answers: 4 });
    expect(ips(r)).toEqual([first, second]);
  });
});

describe('hostile query names', () => {
  it('are escaped, never break a record', async () => {
    // a label holding a dot, a quote, a backslash and a control byte
    const [res] = await net.tool(net.a, [
      'dns-query',
      net.b.ip4,
      '53',
      'we\\.i"r\\\\d\\001x.weft.test',
      '1',
      '777',
    ]);
    expect(res?.rcode).toBe(0);
    const [r] = await run.waitFor(
      (x): x is ProbeDns => isDns(x) && x.id === 777 && x.client === net.a.ip4,
      (m) => m.length > 0,
    );
    expect(r?.qname).toBe('we\\.i"r\\\\d\\001x.weft.test');
  });
});
