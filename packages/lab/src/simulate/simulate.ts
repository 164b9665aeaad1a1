import type { ProbeRecord } from '@weft/protocol';
import { dnsZone } from '../agent/agentConfig.js';
import { resolvePodRef, resolveSpikeTarget } from '../faults/faultPlan.js';
import type { FaultSpec } from '../faults/faultSpec.js';
import { scenarioFaults } from '../scenario/scenarioFaults.js';
import { policiesInForce } from '../scenario/scenarioPolicies.js';
import type { LabPlan, PlannedPod } from '../topology/addressPlan.js';
import { serviceFqdn } from '../topology/topology.js';
import { selects, trafficTargetFqdn } from '../topology/validateTopology.js';
import { hashSeed, mulberry32 } from './prng.js';

/** An address the simulation can observe: pods have a node and a host-side veth, the world has neither. */
export interface SimEndpoint {
  ip4: string;
  ip6: string;
  node: string | null;
  ifname: string | null;
}

export interface SimFlow {
  key: string;
  client: SimEndpoint;
  backends: SimEndpoint[];
  port: number;
  family: 4 | 6;
  app: 'http' | 'kv' | 'lookup';
  ratePerSec: number;
  requestBytes: number;
  responseBytes: number;
  fanout: 'one' | 'all';
  dnsName: string;
}

export interface SimModel {
  seed: number;
  intervalMs: number;
  dns: SimEndpoint | null;
  zone: Set<string>;
  flows: SimFlow[];
  slowEvery: number;
  slowMs: number;
  /** `clientIp>serverIp` pairs a network policy drops. */
  dropPairs: Set<string>;
  /** `serverIp:port` with nothing listening. */
  closed: Set<string>;
  /** `serverIp:port` whose SYNs vanish. */
  blackholed: Set<string>;
  dnsRules: { mode: 'nxdomain' | 'servfail' | 'slow'; name: string | null; delayMs: number; every: number }[];
}

const pe = (p: PlannedPod): SimEndpoint => ({ ip4: p.ipv4, ip6: p.ipv6, node: p.node, ifname: p.hostIfname });

/** The traffic of a plan (scenario already applied) with its faults on (default: the scenario's own). */
export function buildSimModel(
  plan: LabPlan,
  opts: { seed?: number; intervalMs?: number; faults?: (FaultSpec & { id?: string })[] } = {},
): SimModel {
  const t = plan.topology;
  // Without faults given, the scenario's own (a lab starts with them).
  const faults = opts.faults ?? scenarioFaults(plan);
  // A fault's own clients (the item names it) run while it is on.
  const on = new Set(faults.map((f) => f.id));
  const running = (item: { fault?: string }) => item.fault === undefined || on.has(item.fault);
  const dnsSvc = t.services.find((s) => s.ports.some((p) => p.appProtocol === 'dns'));
  const dnsPod = dnsSvc
    ? plan.pods.find((p) => p.namespace === dnsSvc.namespace && selects(dnsSvc.selector, p.labels))
    : undefined;
  const backendsOf = (to: string): { eps: SimEndpoint[]; ports: Set<number> } => {
    const s = t.services.find(
      (x) => `${x.name}.${x.namespace}` === to || serviceFqdn(x.name, x.namespace) === to,
    );
    if (s) {
      return {
        eps: plan.pods.filter((p) => p.namespace === s.namespace && selects(s.selector, p.labels)).map(pe),
        ports: new Set(s.ports.filter((p) => p.protocol === 'TCP').map((p) => p.port)),
      };
    }
    const e = plan.world?.externals.find((x) => x.name === to);
    return e
      ? {
          eps: [{ ip4: e.ipv4, ip6: e.ipv6, node: null, ifname: null }],
          ports: new Set(e.ports.map((p) => p.port)),
        }
      : { eps: [], ports: new Set() };
  };
  const closed = new Set<string>();
  const flows: SimFlow[] = [];
  for (const f of t.traffic.filter(running)) {
    const { eps, ports } = backendsOf(f.to);
    if (!ports.has(f.port)) for (const b of eps) closed.add(`${b.ip4}:${f.port}`).add(`${b.ip6}:${f.port}`);
    const app = t.services
      .find((s) => `${s.name}.${s.namespace}` === f.to)
      ?.ports.find((p) => p.port === f.port)?.appProtocol;
    for (const c of plan.pods.filter(
      (p) => p.namespace === f.from.namespace && p.workload === f.from.workload,
    )) {
      flows.push({
        key: `${f.name}/${c.namespace}/${c.name}`,
        client: pe(c),
        backends: eps,
        port: f.port,
        family: f.family ?? 4,
        app: app === 'kv' ? 'kv' : 'http',
        ratePerSec: f.ratePerSec,
        requestBytes: f.requestBytes,
        responseBytes: f.responseBytes,
        fanout: f.fanout ?? 'one',
        dnsName: trafficTargetFqdn(f.to, t),
      });
    }
  }
  (t.lookups ?? []).forEach((l, i) => {
    if (!running(l)) return;
    for (const c of plan.pods.filter(
      (p) => p.namespace === l.from.namespace && p.workload === l.from.workload,
    )) {
      flows.push({
        key: `lookup-${i}/${c.namespace}/${c.name}`,
        client: pe(c),
        backends: [],
        port: 53,
        family: 4,
        app: 'lookup',
        ratePerSec: l.ratePerSec,
        requestBytes: 0,
        responseBytes: 0,
        fanout: 'one',
        dnsName: l.name.toLowerCase(),
      });
    }
  });
  const dropPairs = new Set<string>();
  const addDrops = (from: PlannedPod[], to: PlannedPod[]) => {
    for (const a of from) for (const b of to) dropPairs.add(`${a.ipv4}>${b.ipv4}`).add(`${a.ipv6}>${b.ipv6}`);
  };
  for (const pol of policiesInForce(t, faults)) {
    addDrops(
      plan.pods.filter((p) => p.namespace === pol.denyFrom.namespace && p.workload === pol.denyFrom.workload),
      plan.pods.filter((p) => p.namespace === pol.namespace && selects(pol.podSelector, p.labels)),
    );
  }
  const model: SimModel = {
    seed: opts.seed ?? 1,
    intervalMs: opts.intervalMs ?? 1000,
    dns: dnsPod ? pe(dnsPod) : null,
    zone: new Set(dnsZone(plan).map((z) => z.name)),
    flows,
    slowEvery: t.dns?.slowEvery ?? 0,
    slowMs: t.dns?.slowMs ?? 0,
    dropPairs,
    closed,
    blackholed: new Set(),
    dnsRules: [],
  };
  for (const f of faults) {
    switch (f.kind) {
      case 'policy-drop':
        // With a policy, the fault is that policy (policiesInForce above).
        if (!f.policy) addDrops(resolvePodRef(plan, f.from), resolvePodRef(plan, f.to));
        break;
      case 'refused':
      case 'timeout':
        for (const p of resolvePodRef(plan, f.target))
          (f.kind === 'refused' ? closed : model.blackholed)
            .add(`${p.ipv4}:${f.port}`)
            .add(`${p.ipv6}:${f.port}`);
        break;
      case 'dns-nxdomain':
      case 'dns-servfail':
      case 'dns-slow':
        model.dnsRules.push({
          mode: f.kind === 'dns-nxdomain' ? 'nxdomain' : f.kind === 'dns-servfail' ? 'servfail' : 'slow',
          name: f.name,
          delayMs: f.kind === 'dns-slow' ? f.delayMs : 0,
          every: f.kind === 'dns-slow' ? f.every : 1,
        });
        break;
      case 'bandwidth-spike': {
        const target = resolveSpikeTarget(plan, f.to, f.port);
        const { eps } = backendsOf(target.host);
        for (const c of resolvePodRef(plan, f.from)) {
          flows.push({
            key: `spike/${f.from}/${f.to}/${c.name}`,
            client: pe(c),
            backends: eps,
            port: target.port,
            family: 4,
            app: target.app,
            ratePerSec: 10,
            requestBytes: Math.max(1, Math.round(f.bytesPerSec / 10)),
            responseBytes: 0,
            fanout: 'one',
            dnsName: target.host,
          });
        }
        break;
      }
    }
  }
  return model;
}

const MSS = 1448;
const segs = (n: number) => Math.ceil(n / MSS);
const FIN = 1;
const SYN = 2;
const RST = 4;
const PSH = 8;
const ACK = 16;

function under(name: string, rule: string | null): boolean {
  return rule === null || name === rule || name.endsWith(`.${rule}`);
}

/** Requests of a flow due in interval k: the fractional rate accumulates, so long-run counts are exact. */
export function requestsIn(k: number, ratePerSec: number, intervalMs: number, phase: number): number {
  const per = (ratePerSec * intervalMs) / 1000;
  return Math.floor((k + 1) * per + phase) - Math.floor(k * per + phase);
}

/**
 * The probe records node `node` would report for interval k (which covers [k*interval, (k+1)*interval)
 * ms since the epoch), shaped like the real probe's: flows at each local pod's host-side veth with the
 * direction relative to that pod, TCP connect outcomes, smoothed RTT and DNS pairs at the client's node,
 * drops where the kernel frees the packet. Every node derives the same connections from (seed, k), so
 * a cross-node connection has the same 5-tuple at both ends.
 */
export function simulateInterval(model: SimModel, k: number, node: string): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  const start = k * model.intervalMs;
  const end = start + model.intervalMs;
  const here = (e: SimEndpoint) => e.node === node;
  const flow = (
    at: SimEndpoint,
    dir: 'ingress' | 'egress',
    src: string,
    dst: string,
    sport: number,
    dport: number,
    proto: 'tcp' | 'udp',
    packets: number,
    bytes: number,
    flags: number,
  ) => {
    if (!here(at) || !at.ifname || packets === 0) return;
    out.push({
      type: 'flow',
      ts: end,
      src,
      dst,
      sport,
      dport,
      proto,
      ifname: at.ifname,
      dir,
      bytes,
      packets,
      tcp_flags: flags,
    });
  };
  const stats = new Map<
    string,
    { ts: number; src: string; dst: string; sport: number; dport: number; srtt: number }
  >();

  for (const f of model.flows) {
    const n = requestsIn(k, f.ratePerSec, model.intervalMs, (hashSeed(model.seed, f.key) % 1000) / 1000);
    for (let i = 0; i < n; i++) {
      const rnd = mulberry32(hashSeed(model.seed, f.key, k, i));
      const ts = start + ((i + rnd()) / n) * model.intervalMs;
      const c = f.client;
      // DNS first, as the lab's generators do: A and AAAA on one fresh socket.
      let rcode = 'NOERROR';
      if (model.dns) {
        const name = f.dnsName;
        const rules = model.dnsRules.filter((r) => under(name, r.name));
        if (rules.some((r) => r.mode === 'servfail')) rcode = 'SERVFAIL';
        else if (rules.some((r) => r.mode === 'nxdomain') || !model.zone.has(name)) rcode = 'NXDOMAIN';
        let slow = 0;
        for (const r of rules) if (r.mode === 'slow' && r.every <= 1) slow = Math.max(slow, r.delayMs);
        if (model.slowEvery > 0 && Math.floor(rnd() * model.slowEvery) === 0)
          slow = Math.max(slow, model.slowMs);
        for (const r of rules)
          if (r.mode === 'slow' && r.every > 1 && Math.floor(rnd() * r.every) === 0)
            slow = Math.max(slow, r.delayMs);
        const cport = 32768 + Math.floor(rnd() * 28232);
        const d = model.dns;
        const answers = rcode === 'NOERROR' ? f.backends.length : 0;
        const qlen = 12 + name.length + 2 + 4;
        for (const [qtype, size] of [
          ['A', 16],
          ['AAAA', 28],
        ] as const) {
          const id = Math.floor(rnd() * 65536);
          const latency = 60 + rnd() * 340 + slow * 1000;
          // What the answer resolves to, as the probe reads it (at most 8 addresses).
          const addrs =
            rcode === 'NOERROR'
              ? f.backends
                  .map((b) => (qtype === 'A' ? b.ip4 : b.ip6))
                  .filter((ip) => ip)
                  .slice(0, 8)
                  .map((ip) => ({ ip, ttl: 30 }))
              : [];
          if (here(c))
            out.push({
              type: 'dns',
              ts: Math.min(end, Math.round(ts + latency / 1000)),
              client: c.ip4,
              server: d.ip4,
              cport,
              id,
              qname: name,
              qtype,
              rcode,
              answers,
              latency_us: Math.round(latency),
              ...(addrs.length > 0 ? { addrs } : {}),
            });
          const q = 42 + qlen;
          const r = 42 + qlen + answers * (size + 12);
          flow(c, 'egress', c.ip4, d.ip4, cport, 53, 'udp', 1, q, 0);
          flow(d, 'ingress', c.ip4, d.ip4, cport, 53, 'udp', 1, q, 0);
          flow(d, 'egress', d.ip4, c.ip4, 53, cport, 'udp', 1, r, 0);
          flow(c, 'ingress', d.ip4, c.ip4, 53, cport, 'udp', 1, r, 0);
        }
      }
      if (f.app === 'lookup' || rcode !== 'NOERROR' || f.backends.length === 0) continue;
      const targets = f.fanout === 'all' ? f.backends : [f.backends[(k * 7919 + i) % f.backends.length]!];
      for (const b of targets) {
        const src = f.family === 6 ? c.ip6 : c.ip4;
        const dst = f.family === 6 ? b.ip6 : b.ip4;
        const h = f.family === 6 ? 86 : 66;
        const sport = 32768 + Math.floor(rnd() * 28232);
        const dport = f.port;
        const tsConn = Math.round(ts);
        // The backend's node sees the drop; the client's node sees the failed connect.
        const tcpDrop = (reason: string, packets: number, bytes: number) =>
          out.push({
            type: 'drop',
            ts: tsConn,
            src,
            dst,
            sport,
            dport,
            proto: 'tcp',
            reason,
            packets,
            bytes,
          });
        const connectFail = (cause: 'timeout' | 'refused') =>
          out.push({ type: 'tcp', ts: tsConn, event: 'connect_fail', src, dst, sport, dport, cause });
        if (model.dropPairs.has(`${src}>${dst}`) || model.blackholed.has(`${dst}:${dport}`)) {
          // Two SYNs (the first and its 1 s retry) before the client's 3 s timeout gives up.
          const syn = h + 8;
          flow(c, 'egress', src, dst, sport, dport, 'tcp', 2, 2 * syn, SYN);
          flow(b, 'ingress', src, dst, sport, dport, 'tcp', 2, 2 * syn, SYN);
          if (model.dropPairs.has(`${src}>${dst}`) && here(b)) tcpDrop('NETFILTER_DROP', 2, 2 * syn);
          if (here(c)) connectFail('timeout');
          continue;
        }
        if (model.closed.has(`${dst}:${dport}`)) {
          flow(c, 'egress', src, dst, sport, dport, 'tcp', 1, h + 8, SYN);
          flow(b, 'ingress', src, dst, sport, dport, 'tcp', 1, h + 8, SYN);
          flow(b, 'egress', dst, src, dport, sport, 'tcp', 1, h - 12, RST | ACK);
          flow(c, 'ingress', dst, src, dport, sport, 'tcp', 1, h - 12, RST | ACK);
          if (here(b)) tcpDrop('NO_SOCKET', 1, h + 8);
          if (here(c)) connectFail('refused');
          continue;
        }
        const req = f.requestBytes + (f.app === 'http' ? 110 : 12);
        const resp = f.responseBytes + (f.app === 'http' ? 120 : 8);
        const upPkts = 3 + segs(req) + Math.ceil(segs(resp) / 2);
        const downPkts = 2 + segs(resp) + Math.max(1, Math.ceil(segs(req) / 2));
        const flags = FIN | SYN | PSH | ACK;
        flow(c, 'egress', src, dst, sport, dport, 'tcp', upPkts, upPkts * h + req, flags);
        flow(b, 'ingress', src, dst, sport, dport, 'tcp', upPkts, upPkts * h + req, flags);
        flow(b, 'egress', dst, src, dport, sport, 'tcp', downPkts, downPkts * h + resp, flags);
        flow(c, 'ingress', dst, src, dport, sport, 'tcp', downPkts, downPkts * h + resp, flags);
        if (!here(c)) continue;
        const base = b.node === null ? 120 : b.node === c.node ? 35 : 70;
        const latency = Math.round(base + rnd() * base * 1.5);
        out.push({
          type: 'tcp',
          ts: tsConn,
          event: 'connect_ok',
          src,
          dst,
          sport,
          dport,
          latency_us: latency,
        });
        stats.set(`${src}>${dst}:${dport}`, {
          ts: tsConn,
          src,
          dst,
          sport,
          dport,
          srtt: Math.round(latency * (1.2 + rnd())),
        });
      }
    }
  }
  // tcp_probe samples: one smoothed RTT per client->server pair per interval, like a sampled probe.
  for (const s of stats.values())
    out.push({
      type: 'tcp_stats',
      ts: end,
      src: s.src,
      dst: s.dst,
      sport: s.sport,
      dport: s.dport,
      srtt_us: s.srtt,
      retransmits: 0,
    });
  return out;
}
