import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { type ProbeFlow, ProbeRecord } from '@weft/protocol';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProbe } from './checkProbe.js';
import { startProbe } from './fixtures/probeRun.js';
import { createTestNet, ip, type TestNet } from './fixtures/testNet.js';
import { probeBinaryPath } from './probeBinaryPath.js';
import { RECORD_LAYOUT } from './records.js';

const run = promisify(execFile);
const BIN = probeBinaryPath();

async function probeExit(args: string[], asNobody = false) {
  const argv = asNobody
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', BIN, ...args]
    : [BIN, ...args];
  const [cmd, ...rest] = argv as [string, ...string[]];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const c = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    c.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** BPF programs and maps the process holds, from its fds' fdinfo. */
async function bpfObjects(pid: number): Promise<{ progs: number[]; maps: number[] }> {
  const progs = new Set<number>();
  const maps = new Set<number>();
  for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    const p = /^prog_id:\s+(\d+)/m.exec(info);
    const m = /^map_id:\s+(\d+)/m.exec(info);
    if (p) progs.add(Number(p[1]));
    if (m) maps.add(Number(m[1]));
  }
  return { progs: [...progs], maps: [...maps] };
}

async function exists(kind: 'prog' | 'map', id: number): Promise<boolean> {
  return run('bpftool', [kind, 'show', 'id', String(id)]).then(
    () => true,
    () => false,
  );
}

/** The kernel frees programs and maps in deferred work after the last reference goes: wait for it. */
async function freed(kind: 'prog' | 'map', id: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (!(await exists(kind, id))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let net: TestNet;

beforeAll(async () => {
  net = await createTestNet('lc');
});

afterAll(async () => {
  await net?.destroy();
});

describe('weft-probe --layout', () => {
  it('matches the layout the TypeScript decoder reads', async () => {
    const { stdout } = await run(BIN, ['--layout']);
    expect(JSON.parse(stdout)).toEqual(RECORD_LAYOUT);
  });
});

describe('weft-probe --check', () => {
  it('reports every hook this kernel supports', async () => {
    const check = await checkProbe();
    expect(check).toEqual({
      ok: true,
      hooks: {
        tc: true,
        kfree_skb: true,
        inet_sock_set_state: true,
        tcp_probe: true,
        tcp_retransmit_skb: true,
      },
      problems: [],
    });
  });

  it('names the fix when the binary is missing', async () => {
    const check = await checkProbe('/nonexistent/weft-probe');
    expect(check.ok).toBe(false);
    expect(check.problems[0]).toMatch(/pnpm --filter @weft\/bpf build/);
  });

  it('says "not root" without privileges', async () => {
    const r = await probeExit(['--check'], true);
    const report = JSON.parse(r.stdout) as { ok: boolean; problems: string[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.stringMatching(/^not root: .*CAP_BPF/)]);
  });
});

describe('errors name the fix in one line', () => {
  it.each([
    [['--iface', 'wpbnosuch0'], /^weft-probe: link not found: wpbnosuch0 \(.*ip link/],
    [['--format=xml'], /^weft-probe: invalid --format 'xml': expected binary or json$/],
    [['--interval', '0'], /^weft-probe: invalid --interval '0'/],
    [['--bogus'], /^weft-probe: unknown or incomplete option '--bogus'/],
    [['--iface', 'x'.repeat(20)], /^weft-probe: invalid --iface/],
  ])('%j', async (args, message) => {
    const r = await probeExit(args);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('not root', async () => {
    const r = await probeExit(['--iface-prefix', 'wpb'], true);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^weft-probe: not root: run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN/,
    );
  });

  it('no BTF (hidden in a private mount namespace)', async () => {
    const hide = `mount -t tmpfs none /sys/kernel/btf && exec "${BIN}" --iface-prefix wpb`;
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', hide], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      c.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'weft-probe: no BTF: /sys/kernel/btf/vmlinux is missing; use a kernel built with CONFIG_DEBUG_INFO_BTF=y',
    );
  });

  it('--help documents every flag', async () => {
    const r = await probeExit(['--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--iface ',
      '--iface-prefix',
      '--interval',
      '--format',
      '--flow-map-size',
      '--check',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});

describe('record formats', () => {
  it('binary and --format=json give the same records, all valid ProbeRecords', async () => {
    const bin = await startProbe({ ifacePrefixes: [net.ifPrefix], intervalMs: 200 });
    const json = spawn(BIN, ['--format=json', '--iface-prefix', net.ifPrefix, '--interval', '200'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    json.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    try {
      await bin.waitFor(
        (r): r is ProbeRecord => r.type === 'stats',
        () => text.includes('"type":"stats"') && text.includes('"links":2'),
      );
      const server = await net.serve(net.b, ['sink', net.b.ip4, '9300']);
      const dns = await net.serve(net.b, ['dns-server', net.b.ip4, '53']);
      const [sent] = await net.tool(net.a, ['send', net.b.ip4, '9300', '300000']);
      // a hostile query name: quote, backslash, dot inside a label, control byte, non-ASCII byte
      await net.tool(net.a, ['dns-query', net.b.ip4, '53', 'h"\\\\o\\.s\\001t\\255.weft.test', '1', '4242']);
      server.kill();
      dns.kill();
      await bin.intervals(3);
      json.kill('SIGTERM');
      await new Promise((r) => json.on('close', r));
      const lines = text.split('\n').filter(Boolean);
      const parsed = lines.map((l) => JSON.parse(l) as unknown);
      for (const p of parsed) expect(Value.Check(ProbeRecord, p), JSON.stringify(p)).toBe(true);
      for (const r of bin.records) expect(Value.Check(ProbeRecord, r), JSON.stringify(r)).toBe(true);
      expect((parsed[0] as { type: string }).type).toBe('hello');
      expect(bin.records[0]?.type).toBe('hello');

      const total = (recs: unknown[]) => {
        const m = new Map<string, number>();
        for (const f of recs as ProbeFlow[]) {
          if (f.type !== 'flow' || (f.sport !== sent?.sport && f.dport !== sent?.sport)) continue;
          const k = `${f.ifname} ${f.dir} ${f.src} ${f.dst} ${f.sport} ${f.dport} ${f.proto}`;
          m.set(k, (m.get(k) ?? 0) + f.bytes);
        }
        return m;
      };
      const qname = (recs: unknown[]) =>
        (recs as { type: string; id?: number; qname?: string }[]).find(
          (r) => r.type === 'dns' && r.id === 4242,
        )?.qname;
      expect(qname(parsed)).toBe('h"\\\\o\\.s\\001t\\255.weft.test');
      expect(qname(bin.records)).toBe(qname(parsed));
      const fromJson = total(parsed);
      expect(fromJson.size).toBe(4);
      expect(total(bin.records)).toEqual(fromJson);
    } finally {
      json.kill('SIGKILL');
      await bin.stop();
    }
  });
});

describe('links that come and go', () => {
  it('attaches to a link created after start and forgets it when it vanishes, whatever its name', async () => {
    const probe = await startProbe({ ifacePrefixes: [net.ifPrefix], intervalMs: 200 });
    // a hostile but legal link name: quote and backslash
    const name = `${net.ifPrefix}"\\x`;
    try {
      await ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${net.ifPrefix}y`);
      const isLink = (r: ProbeRecord): r is Extract<ProbeRecord, { type: 'link' }> =>
        r.type === 'link' && r.ifname === name;
      await probe.waitFor(isLink, (m) => m.some((l) => l.event === 'attach'));
      await ip('link', 'del', name);
      const events = await probe.waitFor(isLink, (m) => m.some((l) => l.event === 'detach'));
      expect(events.map((e) => e.event)).toEqual(['attach', 'detach']);
      // the peer (same prefix) came and went with it: back to the two pod veths
      await probe.waitFor(
        (r): r is Extract<ProbeRecord, { type: 'stats' }> => r.type === 'stats',
        (m) => m.at(-1)?.links === 2,
      );
    } finally {
      await run('ip', ['link', 'del', name]).catch(() => undefined);
      await probe.stop();
    }
  });
});

describe('start/stop', () => {
  it('20 cycles leave no tc filter, qdisc, program, map, pinned object or process behind', async () => {
    const hosts = [net.a.hostIf, net.b.hostIf];
    const pinnedBefore = await readdir('/sys/fs/bpf').catch(() => []);
    for (let i = 0; i < 20; i++) {
      const mode = i % 2 === 0 ? 'clsact' : 'tcx';
      // records consumed in the background: breaking out of the stream would close the probe's stdout
      const cycle = await startProbe({
        ifacePrefixes: [net.ifPrefix],
        intervalMs: 100,
        args: ['--tc-mode', mode],
      });
      const probe = cycle.probe;
      const attached = cycle.records.filter((r) => r.type === 'link' && r.event === 'attach');
      expect(attached.map((r) => (r.type === 'link' ? r.message : ''))).toEqual([mode, mode]);
      const held = await bpfObjects(probe.pid);
      expect(held.progs.length).toBe(7);
      if (mode === 'clsact') {
        const filters = await run('tc', ['filter', 'show', 'dev', hosts[0] as string, 'ingress']);
        expect(filters.stdout).toContain('weft_tc_ingress');
      }
      // SIGTERM (what stop() sends) and SIGINT (Ctrl-C) both detach everything and exit 0
      if (i % 4 === 3) process.kill(probe.pid, 'SIGINT');
      await cycle.stop();
      expect(await probe.exited).toEqual({ code: 0, signal: null });
      expect(alive(probe.pid)).toBe(false);
      for (const dev of hosts) {
        const qdisc = await run('tc', ['qdisc', 'show', 'dev', dev]);
        expect(qdisc.stdout).not.toContain('clsact');
        for (const dir of ['ingress', 'egress']) {
          const f = await run('tc', ['filter', 'show', 'dev', dev, dir]).catch(() => ({ stdout: '' }));
          expect(f.stdout).toBe('');
        }
      }
      for (const id of held.progs) expect(await freed('prog', id)).toBe(true);
      for (const id of held.maps) expect(await freed('map', id)).toBe(true);
    }
    expect(await readdir('/sys/fs/bpf').catch(() => [])).toEqual(pinnedBefore);
  });

  it('in clsact mode, the probe that created the qdisc keeps it while another probe’s filters use it', async () => {
    const dev = net.a.hostIf;
    const args = ['--tc-mode', 'clsact'];
    const first = await startProbe({ ifaces: [dev], intervalMs: 100, args });
    const second = await startProbe({ ifaces: [dev], intervalMs: 100, args });
    const count = async () =>
      (await run('tc', ['filter', 'show', 'dev', dev, 'ingress'])).stdout.match(/weft_tc_ingress:\[/g)
        ?.length ?? 0;
    try {
      expect(await count()).toBe(2);
      await first.stop();
      expect(await count()).toBe(1);
      expect((await run('tc', ['qdisc', 'show', 'dev', dev])).stdout).toContain('clsact');
    } finally {
      await first.stop();
      await second.stop();
      // the second probe did not create the qdisc, so it leaves it (empty) in place
      await run('tc', ['qdisc', 'del', 'dev', dev, 'clsact']).catch(() => undefined);
    }
    expect(await count()).toBe(0);
  });

  it('a killed probe (SIGKILL) in tcx mode still leaves no hook behind', async () => {
    const killed = await startProbe({
      ifacePrefixes: [net.ifPrefix],
      intervalMs: 100,
      args: ['--tc-mode', 'tcx'],
    });
    const probe = killed.probe;
    const held = await bpfObjects(probe.pid);
    process.kill(probe.pid, 'SIGKILL');
    expect((await probe.exited).signal).toBe('SIGKILL');
    for (const id of held.progs) expect(await freed('prog', id)).toBe(true);
    for (const dev of [net.a.hostIf, net.b.hostIf]) {
      expect((await run('tc', ['qdisc', 'show', 'dev', dev])).stdout).not.toContain('clsact');
    }
    await killed.stop();
  });
});
