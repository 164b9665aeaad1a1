import type { LabPlan, PlannedPod } from '../topology/addressPlan.js';
import {
  type AppProtocol,
  CLUSTER_DOMAIN,
  serviceFqdn,
  type Topology,
  type TopologyLookup,
  type TrafficFlow,
} from '../topology/topology.js';
import { selects, trafficTargetFqdn } from '../topology/validateTopology.js';

/** A port the pod's agent listens on, and what it answers there. */
export interface ListenerConfig {
  port: number;
  proto: 'tcp' | 'udp';
  app: AppProtocol;
}

export interface GeneratorConfig {
  name: string;
  /** lookup = DNS only (no connection follows). */
  kind: 'http' | 'kv' | 'lookup';
  host: string;
  port: number;
  family: 4 | 6;
  ratePerSec: number;
  requestBytes: number;
  responseBytes: number;
  fanout: 'one' | 'all';
}

export interface DnsZoneEntry {
  name: string;
  a: string[];
  aaaa: string[];
}

export interface DnsConfig {
  zone: DnsZoneEntry[];
  /** Names under this suffix that are not in the zone answer NXDOMAIN; so does everything else. */
  clusterDomain: string;
  slowEvery: number;
  slowMs: number;
  ttl: number;
}

export interface AgentConfig {
  /** The agent's netns, also its id. */
  id: string;
  /** `namespace/pod`, or `world` */
  label: string;
  ips: string[];
  controlSocket: string;
  pidFile: string;
  dnsServer: string | null;
  servers: ListenerConfig[];
  dns: DnsConfig | null;
  generators: GeneratorConfig[];
}

export interface AgentPaths {
  controlSocket(index: number): string;
  pidFile(index: number): string;
}

export function dnsZone(plan: LabPlan): DnsZoneEntry[] {
  const t = plan.topology;
  const zone: DnsZoneEntry[] = t.services.map((s) => {
    const pods = plan.pods.filter((p) => p.namespace === s.namespace && selects(s.selector, p.labels));
    return {
      name: serviceFqdn(s.name, s.namespace),
      a: pods.map((p) => p.ipv4),
      aaaa: pods.map((p) => p.ipv6),
    };
  });
  for (const e of plan.world?.externals ?? []) zone.push({ name: e.name, a: [e.ipv4], aaaa: [e.ipv6] });
  return zone;
}

function dnsPods(plan: LabPlan): PlannedPod[] {
  const svc = plan.topology.services.find((s) => s.ports.some((p) => p.appProtocol === 'dns'));
  if (!svc) return [];
  return plan.pods.filter((p) => p.namespace === svc.namespace && selects(svc.selector, p.labels));
}

/** A traffic item's client, as each pod of its workload runs it. */
export function trafficGenerator(t: Topology, f: TrafficFlow): GeneratorConfig {
  const s = t.services.find((x) => `${x.name}.${x.namespace}` === f.to);
  const declared = s?.ports.find((p) => p.port === f.port)?.appProtocol;
  const ext = t.external?.find((e) => e.name === f.to)?.ports.find((p) => p.port === f.port)?.appProtocol;
  const app = declared ?? ext;
  return {
    name: f.name,
    // A closed port is probed the way a scraper would: over HTTP.
    kind: app === 'kv' ? 'kv' : 'http',
    host: trafficTargetFqdn(f.to, t),
    port: f.port,
    family: f.family ?? 4,
    ratePerSec: f.ratePerSec,
    requestBytes: f.requestBytes,
    responseBytes: f.responseBytes,
    fanout: f.fanout ?? 'one',
  };
}

/** A lookup item's client: DNS queries only. */
export function lookupGenerator(l: TopologyLookup, name: string): GeneratorConfig {
  return {
    name,
    kind: 'lookup',
    host: l.name,
    port: 53,
    family: 4,
    ratePerSec: l.ratePerSec,
    requestBytes: 0,
    responseBytes: 0,
    fanout: 'one',
  };
}

/** What each agent (one per pod, plus the world) serves and sends, derived from the plan. */
export function agentConfigs(plan: LabPlan, paths: AgentPaths): AgentConfig[] {
  const t = plan.topology;
  const dnsServer = dnsPods(plan)[0]?.ipv4 ?? null;
  const zone = dnsZone(plan);
  const configs: AgentConfig[] = plan.pods.map((p, i) => {
    const servers = new Map<string, ListenerConfig>();
    for (const s of t.services) {
      if (s.namespace !== p.namespace || !selects(s.selector, p.labels)) continue;
      for (const port of s.ports) {
        servers.set(`${port.port}/${port.protocol}`, {
          port: port.port,
          proto: port.protocol === 'UDP' ? 'udp' : 'tcp',
          app: port.appProtocol,
        });
      }
    }
    const mine = (from: { namespace: string; workload: string }) =>
      from.namespace === p.namespace && from.workload === p.workload;
    // A fault's own clients run while it is on (faultPlan.ts agentFaults), not from the start.
    const generators: GeneratorConfig[] = [
      ...t.traffic.filter((f) => mine(f.from) && f.fault === undefined).map((f) => trafficGenerator(t, f)),
      ...(t.lookups ?? [])
        .filter((l) => mine(l.from) && l.fault === undefined)
        .map((l, j) => lookupGenerator(l, `lookup-${j}`)),
    ];
    const isDns = [...servers.values()].some((s) => s.app === 'dns');
    return {
      id: p.netns,
      label: `${p.namespace}/${p.name}`,
      ips: [p.ipv4, p.ipv6],
      controlSocket: paths.controlSocket(i),
      pidFile: paths.pidFile(i),
      dnsServer,
      servers: [...servers.values()],
      dns: isDns
        ? {
            zone,
            clusterDomain: CLUSTER_DOMAIN,
            slowEvery: t.dns?.slowEvery ?? 0,
            slowMs: t.dns?.slowMs ?? 0,
            ttl: 5,
          }
        : null,
      generators,
    };
  });
  if (plan.world) {
    const ports = new Map<number, ListenerConfig>();
    for (const e of plan.world.externals)
      for (const port of e.ports)
        ports.set(port.port, { port: port.port, proto: 'tcp', app: port.appProtocol });
    const i = plan.pods.length;
    configs.push({
      id: plan.world.netns,
      label: 'world',
      ips: plan.world.externals.flatMap((e) => [e.ipv4, e.ipv6]),
      controlSocket: paths.controlSocket(i),
      pidFile: paths.pidFile(i),
      dnsServer,
      servers: [...ports.values()],
      dns: null,
      generators: [],
    });
  }
  return configs;
}
