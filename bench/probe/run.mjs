#!/usr/bin/env node
/**
 * weft-probe figures, run as root on the machine being measured:
 *   node bench/probe/run.mjs [--pairs 5] [--seconds 2] [--flows 10000] [--flow-seconds 10]
 *                            [--only throughput] [--variant 'LABEL=[bin:PATH] probe args'] ... [--nice | --rt] [--pin]
 *
 * --variant (repeatable) compares other probe builds or flags in the same throughput measurement:
 * each round runs the baseline, the probe and every variant once, in an order that reverses every
 * round, so all of them share the same load. Each gets a median ratio to the baseline and a median of
 * per-round ratios (each run against the baseline run of its own round: what load drift disturbs least).
 *
 * 1. tc program cost per invocation (kernel.bpf_stats_enabled: run_time_ns / run_cnt) under iperf3 TCP
 *    and under small UDP packets, plus the same program on fixed frames through BPF_PROG_TEST_RUN
 *    (`weft-probe --bench-tc`: warm caches, no other traffic: the program's own cost).
 * 2. iperf3 TCP throughput between two network namespaces, with and without the probe, in alternating
 *    runs (ABBA order so drift cancels): the per-round ratios' median with quartiles, range and a
 *    bootstrap 95% interval, and what else the machine did meanwhile (steal time, other processes).
 * 3. Loader CPU and RSS with N flows active every interval (UDP to N distinct ports, redirected to one
 *    socket in the receiver so nothing is dropped).
 *
 * Builds its own namespaces (wpb-bn-a, wpb-bn-b, bridge wpb-bn) and removes them, also on failure.
 * Nothing leaves them: the bridge has no address and the root namespace routes nothing to them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
// many short alternating pairs: on a shared 2-vCPU guest, load drifts within a minute, and a long
// run lets one disturbance decide a pair; 20 pairs of 1 s give a median with a bootstrap interval
const PAIRS = arg('pairs', 20);
const SECONDS = arg('seconds', 1);
const FLOWS = arg('flows', 10000);
const FLOW_SECONDS = arg('flow-seconds', 10);
const PROBE = fileURLToPath(new URL('../../packages/bpf/dist/weft-probe', import.meta.url));
const argAll = (name) => process.argv.flatMap((a, i) => (a === `--${name}` ? [process.argv[i + 1]] : []));
const ONLY = argAll('only');
/** `LABEL=[bin:PATH] args...`: another probe binary and/or extra flags, measured beside the probe. */
const VARIANTS = argAll('variant').map((spec) => {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new Error(`--variant '${spec}': expected LABEL=[bin:PATH] args`);
  const words = spec
    .slice(eq + 1)
    .split(' ')
    .filter(Boolean);
  const bin = words[0]?.startsWith('bin:') ? words.shift().slice(4) : PROBE;
  return { label: spec.slice(0, eq), bin, args: words };
});
/** --nice: iperf3 at nice -20; --rt: at SCHED_FIFO 1 (other work on a shared machine disturbs it less). */
const NICE = process.argv.includes('--rt')
  ? ['chrt', '-f', '1']
  : process.argv.includes('--nice')
    ? ['nice', '-n', '-20']
    : [];
/** --pin: iperf3 client on CPU 0, server on CPU 1 (the scheduler otherwise sometimes puts both on one). */
const PIN = process.argv.includes('--pin') ? ['-A', '0,1'] : [];
const wanted = (part) => ONLY.length === 0 || ONLY.includes(part);

const A = { ns: 'wpb-bn-a', host: 'wpbbna', ip: '198.18.78.1' };
const B = { ns: 'wpb-bn-b', host: 'wpbbnb', ip: '198.18.78.2' };
const BRIDGE = 'wpb-bn';

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts });
const quiet = (cmd, args) => {
  try {
    sh(cmd, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
};
const inNs = (ns, args, opts) => sh('ip', ['netns', 'exec', ns, ...args], opts);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
};

/** 95% bootstrap interval of the median (seeded: the same runs give the same interval). */
function medianInterval(xs, rounds = 2000) {
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const meds = [];
  for (let r = 0; r < rounds; r++) meds.push(median(xs.map(() => xs[Math.floor(rand() * xs.length)])));
  return [quantile(meds, 0.025), quantile(meds, 0.975)];
}

/** CPU time of the whole machine (/proc/stat, in ticks): steal is what the hypervisor gave others. */
function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/** utime + stime of every process, by pid (with its command name). */
function processTicks() {
  const out = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { name, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** What the machine did between two snapshots, apart from the benchmark's own processes. */
function machineActivity(before, after, seconds) {
  const t0 = before.machine;
  const t1 = after.machine;
  const total = t1.busy + t1.idle + t1.steal - (t0.busy + t0.idle + t0.steal);
  const hz = 100; // USER_HZ
  const others = [];
  for (const [pid, p] of after.procs) {
    if (['iperf3', 'weft-probe', 'ip'].includes(p.name) || pid === String(process.pid)) continue;
    const d = p.ticks - (before.procs.get(pid)?.ticks ?? 0);
    if (d > 0)
      others.push({ pid: Number(pid), name: p.name, cpu_pct: +((d / hz / seconds) * 100).toFixed(1) });
  }
  others.sort((a, b) => b.cpu_pct - a.cpu_pct);
  return {
    seconds: +seconds.toFixed(1),
    loadavg: [before.load, after.load],
    steal_pct: total ? +(((t1.steal - t0.steal) / total) * 100).toFixed(2) : null,
    other_processes_cpu_pct: +others.reduce((a, o) => a + o.cpu_pct, 0).toFixed(1),
    busiest_other_processes: others.slice(0, 5),
  };
}

const snapshot = () => ({
  machine: machineTicks(),
  procs: processTicks(),
  load: os.loadavg().map((x) => +x.toFixed(2)),
  at: performance.now(),
});

const children = [];
function teardown() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const p of [A, B]) {
    const pids = (() => {
      try {
        return sh('ip', ['netns', 'pids', p.ns], { stdio: ['ignore', 'pipe', 'ignore'] })
          .split('\n')
          .filter(Boolean);
      } catch {
        return [];
      }
    })();
    for (const pid of pids) quiet('kill', ['-9', pid]);
    quiet('ip', ['netns', 'del', p.ns]);
    quiet('ip', ['link', 'del', p.host]);
  }
  quiet('ip', ['link', 'del', BRIDGE]);
}

function setup() {
  teardown();
  sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  sh('ip', ['link', 'set', BRIDGE, 'up']);
  for (const p of [A, B]) {
    sh('ip', ['netns', 'add', p.ns]);
    sh('ip', ['link', 'add', p.host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.ns]);
    sh('ip', ['link', 'set', p.host, 'master', BRIDGE, 'up']);
    sh('ip', ['-n', p.ns, 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', p.ns, 'link', 'set', 'lo', 'up']);
    sh('ip', ['-n', p.ns, 'link', 'set', 'eth0', 'up']);
  }
}

/** Starts the probe with a reader that counts records (binary stream, 16-byte headers). */
async function startProbe(extra = [], bin = PROBE) {
  const child = spawn(bin, ['--iface-prefix', 'wpbbn', '--interval', '1000', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const counts = {};
  let buf = Buffer.alloc(0);
  let headerSeen = false;
  let links = 0;
  child.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    let off = 0;
    if (!headerSeen && buf.length >= 8) {
      off = 8;
      headerSeen = true;
    }
    while (buf.length - off >= 16) {
      const len = buf.readUInt32LE(off);
      if (buf.length - off < len) break;
      const type = buf.readUInt16LE(off + 4);
      counts[type] = (counts[type] ?? 0) + 1;
      if (type === 8 && buf.readUInt8(off + 20) === 1) links++;
      off += len;
    }
    buf = buf.subarray(off);
  });
  for (let i = 0; i < 100 && links < 2; i++) await sleep(50);
  if (links < 2) throw new Error('probe did not attach to the bench links');
  return {
    child,
    counts,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('close', r)));
    },
  };
}

function progIds(pid, names) {
  const ids = {};
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info = '';
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    const m = /^prog_id:\s+(\d+)/m.exec(info);
    if (!m) continue;
    const show = JSON.parse(sh('bpftool', ['prog', 'show', 'id', m[1], '-j']));
    // the kernel keeps 15 characters of a program name
    const name = names.find((n) => n.slice(0, 15) === String(show.name).slice(0, 15));
    if (name) ids[name] = Number(m[1]);
  }
  return ids;
}

function progStats(id) {
  const p = JSON.parse(sh('bpftool', ['prog', 'show', 'id', String(id), '-j']));
  return { ns: p.run_time_ns ?? 0, cnt: p.run_cnt ?? 0 };
}

function iperfRun(args) {
  const out = inNs(A.ns, [...NICE, 'iperf3', '-c', B.ip, '-J', ...PIN, ...args], { maxBuffer: 64 << 20 });
  return JSON.parse(out).end;
}

const ALL_PROGS = [
  'weft_tc_ingress',
  'weft_tc_egress',
  'weft_kfree_skb',
  'weft_inet_sock_set_state',
  'weft_tcp_probe',
  'weft_tcp_retransmit_skb',
];

const WORKLOADS = [
  ['iperf3 TCP, 1 stream', () => ['-t', String(SECONDS)]],
  ['iperf3 UDP, 64-byte datagrams, 20 Mbit/s', () => ['-u', '-l', '64', '-b', '20M', '-t', String(SECONDS)]],
];

/** Per-run ns of the given tc programs, and every probe program's time against the transfer CPU. */
async function tcRuns(probeArgs, tcNames, bin = PROBE) {
  const probe = await startProbe(probeArgs, bin);
  try {
    const names = [...new Set([...tcNames, ...ALL_PROGS])];
    const ids = progIds(probe.child.pid, names);
    const out = [];
    for (const [label, args] of WORKLOADS) {
      const before = Object.fromEntries(Object.entries(ids).map(([n, id]) => [n, progStats(id)]));
      const end = iperfRun(args());
      const res = { workload: label };
      let tns = 0;
      let tcnt = 0;
      let allNs = 0;
      for (const [n, id] of Object.entries(ids)) {
        const after = progStats(id);
        const ns = after.ns - before[n].ns;
        const cnt = after.cnt - before[n].cnt;
        allNs += ns;
        res[n] = { run_cnt: cnt, ns_per_run: cnt ? +(ns / cnt).toFixed(1) : null };
        if (tcNames.includes(n)) {
          tns += ns;
          tcnt += cnt;
        }
      }
      res.tc_ns_per_run = tcnt ? +(tns / tcnt).toFixed(1) : null;
      // every probe program's time against the CPU time the transfer itself used (iperf3's own
      // accounting of both ends, softirq work included): a noise-free estimate of the slowdown
      const seconds = end.sum_sent?.seconds ?? end.sum?.seconds ?? 0;
      const cpu = end.cpu_utilization_percent ?? {};
      const transferCpuS = (((cpu.host_total ?? 0) + (cpu.remote_total ?? 0)) / 100) * seconds;
      res.all_probe_programs_ms = +(allNs / 1e6).toFixed(1);
      res.transfer_cpu_s = +transferCpuS.toFixed(2);
      res.probe_share_of_transfer_cpu = transferCpuS ? +(allNs / 1e9 / transferCpuS).toFixed(4) : null;
      out.push(res);
    }
    return out;
  } finally {
    await probe.stop();
  }
}

async function tcCost(bin = PROBE, extraArgs = []) {
  const prev = sh('sysctl', ['-n', 'kernel.bpf_stats_enabled']).trim();
  sh('sysctl', ['-q', '-w', 'kernel.bpf_stats_enabled=1']);
  try {
    // the floor: an empty program on the same hooks (the two clock reads bpf_stats adds to every run)
    const floor = await tcRuns(['--tc-noop', ...extraArgs], ['weft_tc_noop'], bin);
    const real = await tcRuns(extraArgs, ['weft_tc_ingress', 'weft_tc_egress'], bin);
    return real.map((r, i) => ({
      ...r,
      empty_program_ns_per_run: floor[i]?.tc_ns_per_run ?? null,
      tc_ns_per_run_above_empty:
        floor[i]?.tc_ns_per_run != null ? +(r.tc_ns_per_run - floor[i].tc_ns_per_run).toFixed(1) : null,
    }));
  } finally {
    sh('sysctl', ['-q', '-w', `kernel.bpf_stats_enabled=${prev}`]);
  }
}

/** Throughput, and bytes per CPU-second the transfer used (iperf3's accounting of both ends). */
function transfer() {
  const end = iperfRun(['-t', String(SECONDS)]);
  const bps = end.sum_received?.bits_per_second ?? end.sum?.bits_per_second;
  const seconds = end.sum_received?.seconds ?? end.sum?.seconds ?? SECONDS;
  const cpu = end.cpu_utilization_percent ?? {};
  const cpuS = (((cpu.host_total ?? 0) + (cpu.remote_total ?? 0)) / 100) * seconds;
  return { bps, gbitPerCpuS: cpuS ? (bps * seconds) / 1e9 / cpuS : 0 };
}

async function throughput() {
  const configs = [
    { label: 'baseline', probe: null },
    { label: 'probe', probe: { bin: PROBE, args: [] } },
    ...VARIANTS.map((v) => ({ label: v.label, probe: v })),
  ];
  const runs = Object.fromEntries(configs.map((c) => [c.label, []]));
  const run = async (c) => {
    if (!c.probe) return transfer();
    const p = await startProbe(c.probe.args, c.probe.bin);
    try {
      return transfer();
    } finally {
      await p.stop();
    }
  };
  const before = snapshot();
  for (let i = 0; i < PAIRS; i++) {
    const order = i % 2 === 0 ? configs : [...configs].reverse();
    for (const c of order) runs[c.label].push(await run(c));
  }
  const after = snapshot();
  const r2 = (x) => +x.toFixed(2);
  const r3 = (x) => +x.toFixed(3);
  const bps = (xs) => xs.map((x) => x.bps);
  const eff = (xs) => xs.map((x) => x.gbitPerCpuS);
  const base = runs.baseline;
  const summary = (xs) => {
    const rounds = xs.map((x, i) => x.bps / base[i].bps);
    return {
      median_ratio: r3(median(bps(xs)) / median(bps(base))),
      mean_ratio: r3(bps(xs).reduce((a, b) => a + b, 0) / bps(base).reduce((a, b) => a + b, 0)),
      // each run against the baseline run of its own round (same minutes, same load)
      round_ratio_median: r3(median(rounds)),
      round_ratio_median_95pct: medianInterval(rounds).map(r3),
      round_ratio_quartiles: [quantile(rounds, 0.25), quantile(rounds, 0.75)].map(r3),
      round_ratio_range: [Math.min(...rounds), Math.max(...rounds)].map(r3),
      round_ratios: rounds.map(r3),
      efficiency_median_ratio: r3(median(eff(xs)) / median(eff(base))),
    };
  };
  const withProbe = runs.probe;
  return {
    runs: PAIRS,
    seconds: SECONDS,
    machine_meanwhile: machineActivity(before, after, (after.at - before.at) / 1000),
    baseline_gbit: bps(base).map((x) => r2(x / 1e9)),
    probe_gbit: bps(withProbe).map((x) => r2(x / 1e9)),
    ...summary(withProbe),
    // Gbit moved per CPU-second the transfer got: what other workloads on the machine disturb least
    baseline_gbit_per_cpu_s: eff(base).map(r2),
    probe_gbit_per_cpu_s: eff(withProbe).map(r2),
    ...(VARIANTS.length
      ? {
          variants: Object.fromEntries(
            VARIANTS.map((v) => [
              v.label,
              {
                bin: v.bin,
                args: v.args,
                gbit: bps(runs[v.label]).map((x) => r2(x / 1e9)),
                ...summary(runs[v.label]),
              },
            ]),
          ),
        }
      : {}),
  };
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
}

function rssKb(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]), hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) };
}

async function manyFlows() {
  // every datagram to 20000..20000+N is redirected to one socket: received, not dropped
  inNs(B.ns, [
    'nft',
    `add table ip wpbbench; add chain ip wpbbench pre { type nat hook prerouting priority -100; }; add rule ip wpbbench pre udp dport 20000-${20000 + FLOWS - 1} redirect to :19999`,
  ]);
  const sink = spawn(
    'ip',
    [
      'netns',
      'exec',
      B.ns,
      process.execPath,
      '-e',
      `require('dgram').createSocket('udp4').bind(19999, '${B.ip}')`,
    ],
    { stdio: 'ignore' },
  );
  children.push(sink);
  // N flows, each sent one datagram every interval, spread over the second
  const sender = spawn(
    'ip',
    [
      'netns',
      'exec',
      A.ns,
      process.execPath,
      '-e',
      // rate-based: a late timer catches up, so each port still gets its datagram every second
      `const s = require('dgram').createSocket('udp4'); const N = ${FLOWS}; let p = 0, sent = 0; const b = Buffer.alloc(32);
       const t0 = Date.now();
       setInterval(() => { const due = Math.floor((Date.now() - t0) * N / 1000);
         for (; sent < due; sent++) { s.send(b, 20000 + p, '${B.ip}'); p = (p + 1) % N; } }, 10);`,
    ],
    { stdio: 'ignore' },
  );
  children.push(sender);
  await sleep(1500);
  const probe = await startProbe();
  try {
    await sleep(2000); // warm-up: maps sized, first drains done
    const pid = probe.child.pid;
    const flowsBefore = probe.counts[2] ?? 0;
    const t0 = process.hrtime.bigint();
    const c0 = cpuTicks(pid);
    let maxRss = 0;
    for (let i = 0; i < FLOW_SECONDS * 4; i++) {
      await sleep(250);
      maxRss = Math.max(maxRss, rssKb(pid).rss);
    }
    const c1 = cpuTicks(pid);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const hz = 100; // USER_HZ
    const flowRecords = (probe.counts[2] ?? 0) - flowsBefore;
    return {
      active_flows: FLOWS,
      seconds: +secs.toFixed(1),
      flow_records_per_s: Math.round(flowRecords / secs),
      loader_cpu_percent_of_core: +((100 * (c1 - c0)) / hz / secs).toFixed(2),
      loader_rss_mb: +(maxRss / 1024).toFixed(1),
      loader_rss_hwm_mb: +(rssKb(pid).hwm / 1024).toFixed(1),
    };
  } finally {
    await probe.stop();
    sender.kill('SIGKILL');
    sink.kill('SIGKILL');
  }
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('run as root (network namespaces, BPF)');
  setup();
  const server = spawn('ip', ['netns', 'exec', B.ns, ...NICE, 'iperf3', '-s', '-B', B.ip], {
    stdio: 'ignore',
  });
  children.push(server);
  await sleep(500);
  const machine = {
    kernel: os.release(),
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    mem_gb: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavg_at_start: os.loadavg().map((x) => +x.toFixed(2)),
    date: new Date().toISOString(),
  };
  const result = { machine };
  if (wanted('tc')) {
    result.tc_test_run_ns = JSON.parse(sh(PROBE, ['--bench-tc', '1000000']));
    result.tc_cost = await tcCost();
    for (const v of VARIANTS) {
      result.variants_tc_test_run_ns ??= {};
      result.variants_tc_cost ??= {};
      result.variants_tc_test_run_ns[v.label] = JSON.parse(sh(v.bin, ['--bench-tc', '1000000']));
      result.variants_tc_cost[v.label] = await tcCost(v.bin, v.args);
    }
  }
  if (wanted('throughput')) result.throughput = await throughput();
  if (wanted('flows')) result.flows = await manyFlows();
  result.machine.loadavg_at_end = os.loadavg().map((x) => +x.toFixed(2));
  console.log(JSON.stringify(result, null, 2));
}

main()
  .catch((err) => {
    console.error(`bench failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(teardown);
