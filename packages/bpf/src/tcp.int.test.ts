import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeRecord, ProbeTcp, ProbeTcpStats } from '@weft/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeRun, startProbe } from './fixtures/probeRun.js';
import { createTestNet, type TestNet } from './fixtures/testNet.js';
import { probeBinaryPath } from './probeBinaryPath.js';

const isTcp = (r: ProbeRecord): r is ProbeTcp => r.type === 'tcp';

let net: TestNet;
let run: ProbeRun;

beforeAll(async () => {
  net = await createTestNet('tc');
  // blackhole: pod B silently drops SYNs to 9998; pod A gives up after one SYN retry (1 s + 2 s)
  await net.sh(net.b, [
    'nft',
    'add table inet wpbpolicy; ' +
      'add chain inet wpbpolicy input { type filter hook input priority 0; }; ' +
      'add rule inet wpbpolicy input tcp dport 9998 drop',
  ]);
  await net.sh(net.a, ['sysctl', '-q', '-w', 'net.ipv4.tcp_syn_retries=1']);
  await net.serve(net.b, ['sink', '::', '9000']);
  run = await startProbe({ ifacePrefixes: [net.ifPrefix], intervalMs: 200 });
});

afterAll(async () => {
  await run?.stop();
  await net?.destroy();
});

describe.each([
  ['IPv4', 'ip4'],
  ['IPv6', 'ip6'],
] as const)('TCP connects over %s', (_name, fam) => {
  const to =
    (port: number) =>
    (r: ProbeRecord): r is ProbeTcp =>
      isTcp(r) && r.src === net.a[fam] && r.dst === net.b[fam] && r.dport === port;

  it('a successful connect carries a positive latency below the client’s own wall time', async () => {
    const [res] = await net.tool(net.a, ['connect', net.b[fam], '9000', '5000']);
    expect(res?.result).toBe('ok');
    const [ev] = await run.waitFor(
      (r): r is ProbeTcp => to(9000)(r) && r.sport === res?.sport,
      (m) => m.length > 0,
    );
    expect(ev?.event).toBe('connect_ok');
    expect(ev?.latency_us).toBeGreaterThan(0);
    expect(ev?.latency_us).toBeLessThan(res?.elapsed_us as number);
  });

  it('a connect to a closed port fails as refused', async () => {
    const [res] = await net.tool(net.a, ['connect', net.b[fam], '9997', '5000']);
    expect(res?.result).toBe('refused');
    const [ev] = await run.waitFor(to(9997), (m) => m.length > 0);
    expect(ev).toMatchObject({ event: 'connect_fail', cause: 'refused' });
    expect(ev?.sport).toBeGreaterThan(0);
  });

  it('a connect to a blackholed port fails as timeout (kernel SYN retries)', async () => {
    const [res] = await net.tool(net.a, ['connect', net.b[fam], '9998', '10000']);
    expect(res?.result).toBe('timeout');
    const evs = await run.waitFor(to(9998), (m) => m.length > 0);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ event: 'connect_fail', cause: 'timeout' });
    expect(evs[0]?.sport).toBeGreaterThan(0);
  });

  it('a connect the client abandons (its own timeout) fails as timeout', async () => {
    const before = run.records.filter(to(9998)).length;
    const [res] = await net.tool(net.a, ['connect', net.b[fam], '9998', '500']);
    expect(res?.result).toBe('timeout');
    const evs = await run.waitFor(to(9998), (m) => m.length > before);
    expect(evs.at(-1)).toMatchObject({ event: 'connect_fail', cause: 'timeout' });
    // the local port was released before the CLOSE transition: the probe still reports it
    expect(evs.at(-1)?.sport).toBeGreaterThan(0);
  });
});

async function expectRtt(probe: ProbeRun, bytes = 500_000): Promise<void> {
  const [sent] = await net.tool(net.a, ['send', net.b.ip4, '9000', String(bytes)]);
  const sport = sent?.sport as number;
  const stats = await probe.waitFor(
    (r): r is ProbeTcpStats =>
      r.type === 'tcp_stats' && r.src === net.a.ip4 && r.sport === sport && r.dport === 9000,
    (m) => m.length > 0,
  );
  expect(stats[0]?.dst).toBe(net.b.ip4);
  expect(stats.some((s) => s.srtt_us > 0)).toBe(true);
  expect(stats.every((s) => s.srtt_us < 1_000_000)).toBe(true);
}

describe('RTT', () => {
  it('reports the smoothed RTT of an established connection', async () => {
    await expectRtt(run);
  });

  // RTT sampling reads jiffies at the kernel config's CONFIG_HZ; containers often see no config
  it('reports it too where no kernel config is readable (sampling falls back to the ns clock)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wpb-nokconfig-'));
    // open() fails on a socket file: bound over /proc/config.gz it stands for a missing config
    const sock = join(dir, 'config.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    const wrapper = join(dir, 'probe.sh');
    await writeFile(
      wrapper,
      '#!/bin/sh\n' +
        // a private mount namespace: the host's /boot and /proc/config.gz stay as they are
        `exec unshare -m sh -c 'mount -t tmpfs none /boot && mount --bind ${sock} /proc/config.gz && exec "$0" "$@"' ${probeBinaryPath()} "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    let probe: ProbeRun | undefined;
    try {
      probe = await startProbe({
        binary: wrapper,
        ifacePrefixes: [net.ifPrefix],
        intervalMs: 200,
        args: ['--verbose'],
      });
      // long enough to span several sample periods of a probe that has only just started
      await expectRtt(probe, 20_000_000);
      expect(probe.stderr.join('\n')).toMatch(/CONFIG_HZ'?: set to 0/);
      expect(probe.stderr.join('\n')).not.toMatch(/hook unsupported/);
    } finally {
      await probe?.stop();
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
