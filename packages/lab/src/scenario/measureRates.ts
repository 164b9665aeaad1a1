import { dnsZone } from '../agent/agentConfig.js';
import type { DnsStats } from '../agent/dnsServer.js';
import type { GeneratorStats } from '../agent/generator.js';
import type { ServerStats } from '../agent/servers.js';
import { type LabOptions, readState, stateDirOf } from '../lifecycle/labState.js';
import { labStatus } from '../lifecycle/labStatus.js';
import { planLab } from '../topology/addressPlan.js';
import { checkPrefix, DEFAULT_PREFIX } from '../topology/prefix.js';
import { trafficTargetFqdn } from '../topology/validateTopology.js';

interface AgentStats {
  now: number;
  generators: GeneratorStats[];
  servers: ServerStats[];
  dns: DnsStats | null;
}

export interface RateFigure {
  /** `<pod label> <generator>` (requests), `<pod label> <generator> bytes` (payload both ways), `<pod label> :<port>` (server side) or `<pod label> dns` */
  what: string;
  expectedPerSec: number;
  measuredPerSec: number;
  /** (measured - expected) / expected */
  error: number;
}

export interface RateReport {
  windowMs: number;
  figures: RateFigure[];
  /** Largest |error| over all figures. */
  worst: number;
}

async function snapshot(opts: LabOptions): Promise<Map<string, AgentStats>> {
  const s = await labStatus(opts);
  if (!s.up) throw new Error(s.message);
  const out = new Map<string, AgentStats>();
  for (const a of s.agents) if (a.stats) out.set(a.label, a.stats as AgentStats);
  return out;
}

/**
 * Measures what the lab's agents did over a window against the topology's configuration: each
 * generator's requests (or lookups) per second, each server port's requests per second, the DNS
 * server's queries per second (two per lookup: A and AAAA).
 */
export async function measureRates(opts: LabOptions, windowMs: number): Promise<RateReport> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const state = await readState(stateDirOf({ ...opts, prefix }));
  if (!state) throw new Error(`no lab "${prefix}" is up`);
  const plan = planLab(state.topology, state.prefix, state.slot);
  const zone = new Map(dnsZone(plan).map((z) => [z.name, z.a.length]));
  const a = await snapshot(opts);
  await new Promise((r) => setTimeout(r, windowMs));
  const b = await snapshot(opts);
  const figures: RateFigure[] = [];
  const add = (what: string, expectedPerSec: number, before: number, after: number, dtMs: number) => {
    const measuredPerSec = ((after - before) * 1000) / dtMs;
    figures.push({
      what,
      expectedPerSec,
      measuredPerSec,
      error: (measuredPerSec - expectedPerSec) / expectedPerSec,
    });
  };
  const serverExpected = new Map<string, number>();
  let dnsExpected = 0;
  for (const [label, sb] of b) {
    const sa = a.get(label);
    if (!sa) continue;
    const dt = sb.now - sa.now;
    for (const g of sb.generators) {
      const ga = sa.generators.find((x) => x.name === g.name);
      const cfg = plan.topology.traffic.find((t) => t.name === g.name);
      if (!ga) continue;
      dnsExpected += 2 * g.ratePerSec;
      if (!cfg) {
        add(`${label} ${g.name} lookups`, g.ratePerSec, ga.lookups, g.lookups, dt);
        continue;
      }
      const fanout = cfg.fanout === 'all' ? (zone.get(trafficTargetFqdn(cfg.to, plan.topology)) ?? 1) : 1;
      add(`${label} ${g.name}`, g.ratePerSec * fanout, ga.sent, g.sent, dt);
      const payload = cfg.requestBytes + cfg.responseBytes;
      if (!cfg.trouble && payload > 0)
        add(
          `${label} ${g.name} bytes`,
          g.ratePerSec * fanout * payload,
          ga.bytesIn + ga.bytesOut,
          g.bytesIn + g.bytesOut,
          dt,
        );
      // Dropped or refused on purpose: the server never sees these.
      if (cfg.trouble) continue;
      // Server side: spread over the backends (round robin) or each backend at the rate (fanout all).
      const to = trafficTargetFqdn(cfg.to, plan.topology);
      const backends = plan.pods.filter(
        (p) =>
          zone.has(to) &&
          dnsZone(plan)
            .find((z) => z.name === to)
            ?.a.includes(p.ipv4),
      );
      for (const p of backends) {
        const key = `${p.namespace}/${p.name} :${cfg.port}`;
        serverExpected.set(key, (serverExpected.get(key) ?? 0) + (g.ratePerSec * fanout) / backends.length);
      }
    }
  }
  for (const [key, expected] of serverExpected) {
    const [label, port] = key.split(' :') as [string, string];
    const sa = a.get(label)?.servers.find((s) => s.port === Number(port));
    const sb = b.get(label)?.servers.find((s) => s.port === Number(port));
    if (!sa || !sb?.listening) continue;
    add(key, expected, sa.requests, sb.requests, b.get(label)!.now - a.get(label)!.now);
  }
  for (const [label, sb] of b) {
    const sa = a.get(label);
    if (sb.dns && sa?.dns && dnsExpected > 0)
      add(`${label} dns`, dnsExpected, sa.dns.queries, sb.dns.queries, sb.now - sa.now);
  }
  return { windowMs, figures, worst: Math.max(0, ...figures.map((f) => Math.abs(f.error))) };
}
