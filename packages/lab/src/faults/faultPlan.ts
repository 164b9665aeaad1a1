import { type GeneratorConfig, lookupGenerator, trafficGenerator } from '../agent/agentConfig.js';
import type { AgentFaults } from '../agent/agentFaults.js';
import type { LabPlan, PlannedPod } from '../topology/addressPlan.js';
import { serviceFqdn } from '../topology/topology.js';
import { selects } from '../topology/validateTopology.js';
import { type Fault, FaultError, type FaultSpec } from './faultSpec.js';

/** `ns/name` or `name`: a pod, every pod of a workload, or every pod a service selects. */
export function resolvePodRef(plan: LabPlan, ref: string): PlannedPod[] {
  const slash = ref.indexOf('/');
  const ns = slash >= 0 ? ref.slice(0, slash) : null;
  const name = slash >= 0 ? ref.slice(slash + 1) : ref;
  const services = plan.topology.services.filter(
    (s) => s.name === name && (ns === null || s.namespace === ns),
  );
  const pods = plan.pods.filter(
    (p) =>
      (ns === null || p.namespace === ns) &&
      (p.name === name ||
        p.workload === name ||
        services.some((s) => s.namespace === p.namespace && selects(s.selector, p.labels))),
  );
  if (pods.length === 0) {
    const known = [...new Set(plan.pods.map((p) => `${p.namespace}/${p.workload}`))].join(', ');
    throw new FaultError(`no pod, workload or service matches "${ref}" (workloads: ${known})`);
  }
  const namespaces = new Set(pods.map((p) => p.namespace));
  if (ns === null && namespaces.size > 1)
    throw new FaultError(
      `"${ref}" is in several namespaces (${[...namespaces].join(', ')}): write <namespace>/${name}`,
    );
  return pods;
}

/** Spike destination: `svc.ns`, `ns/svc` or an external name -> the DNS name and port the generator uses. */
export function resolveSpikeTarget(
  plan: LabPlan,
  to: string,
  port: number | null,
): { host: string; port: number; app: 'http' | 'kv' } {
  const t = plan.topology;
  const svc = t.services.find(
    (s) =>
      `${s.name}.${s.namespace}` === to ||
      `${s.namespace}/${s.name}` === to ||
      serviceFqdn(s.name, s.namespace) === to,
  );
  const ports = svc
    ? svc.ports.flatMap((p) =>
        p.appProtocol === 'dns' ? [] : [{ port: p.port, app: p.appProtocol as 'http' | 'kv' }],
      )
    : (t.external?.find((e) => e.name === to)?.ports.map((p) => ({ port: p.port, app: p.appProtocol })) ??
      null);
  if (!ports) {
    const known = [
      ...t.services.map((s) => `${s.name}.${s.namespace}`),
      ...(t.external ?? []).map((e) => e.name),
    ].join(', ');
    throw new FaultError(`bandwidth-spike: --to "${to}" is not a service or external name (known: ${known})`);
  }
  const chosen = port === null ? ports[0] : ports.find((p) => p.port === port);
  if (!chosen)
    throw new FaultError(
      `bandwidth-spike: "${to}" has no ${port === null ? 'TCP' : `port ${port}`} to send to`,
    );
  return { host: svc ? serviceFqdn(svc.name, svc.namespace) : to, port: chosen.port, app: chosen.app };
}

/** Checks that a spec names things that exist in this lab; throws FaultError otherwise. */
export function checkFaultTargets(plan: LabPlan, spec: FaultSpec): void {
  switch (spec.kind) {
    case 'policy-drop':
      resolvePodRef(plan, spec.from);
      resolvePodRef(plan, spec.to);
      if (
        spec.policy &&
        !(plan.topology.policies ?? []).some((p) => `${p.namespace}/${p.name}` === spec.policy)
      )
        throw new FaultError(
          `policy-drop: --policy "${spec.policy}" is not one of the lab topology's policies`,
        );
      return;
    case 'refused':
    case 'timeout':
      resolvePodRef(plan, spec.target);
      return;
    case 'bandwidth-spike':
      resolvePodRef(plan, spec.from);
      resolveSpikeTarget(plan, spec.to, spec.port);
      return;
    default:
      return;
  }
}

export interface NetnsFaults {
  /** Addresses whose packets the pod's ingress policy drops. */
  dropFrom: string[];
  /** TCP ports whose SYNs are blackholed. */
  blackholePorts: number[];
}

/** Netfilter and routing state each pod netns needs for the active faults. */
export function netnsFaults(plan: LabPlan, faults: readonly Fault[]): Map<string, NetnsFaults> {
  const out = new Map<string, NetnsFaults>();
  const get = (netns: string) => {
    let v = out.get(netns);
    if (!v) {
      v = { dropFrom: [], blackholePorts: [] };
      out.set(netns, v);
    }
    return v;
  };
  for (const f of faults) {
    // A policy-drop with a policy is that NetworkPolicy (scenarioPolicies.ts), not a bare rule.
    if (f.kind === 'policy-drop' && !f.policy) {
      const from = resolvePodRef(plan, f.from).flatMap((p) => [p.ipv4, p.ipv6]);
      for (const p of resolvePodRef(plan, f.to)) get(p.netns).dropFrom.push(...from);
    } else if (f.kind === 'timeout') {
      for (const p of resolvePodRef(plan, f.target)) get(p.netns).blackholePorts.push(f.port);
    }
  }
  for (const v of out.values()) {
    v.dropFrom = [...new Set(v.dropFrom)].sort();
    v.blackholePorts = [...new Set(v.blackholePorts)].sort((a, b) => a - b);
  }
  return out;
}

/** What each agent (by netns) must do for the active faults. */
export function agentFaults(plan: LabPlan, faults: readonly Fault[]): Map<string, AgentFaults> {
  const out = new Map<string, AgentFaults>();
  const ids = [...plan.pods.map((p) => p.netns), ...(plan.world ? [plan.world.netns] : [])];
  for (const id of ids) out.set(id, { closedPorts: [], dns: [], generators: [] });
  const t = plan.topology;
  const on = new Set(faults.map((f) => f.id));
  const podsOf = (from: { namespace: string; workload: string }) =>
    plan.pods.filter((p) => p.namespace === from.namespace && p.workload === from.workload);
  for (const f of t.traffic)
    if (f.fault !== undefined && on.has(f.fault))
      for (const p of podsOf(f.from)) out.get(p.netns)!.generators.push(trafficGenerator(t, f));
  (t.lookups ?? []).forEach((l, i) => {
    if (l.fault !== undefined && on.has(l.fault))
      for (const p of podsOf(l.from))
        out.get(p.netns)!.generators.push(lookupGenerator(l, `lookup-${l.fault}-${i}`));
  });
  for (const f of faults) {
    switch (f.kind) {
      case 'refused':
        for (const p of resolvePodRef(plan, f.target)) out.get(p.netns)!.closedPorts.push(f.port);
        break;
      case 'dns-nxdomain':
      case 'dns-servfail':
      case 'dns-slow': {
        const rule = {
          mode: f.kind === 'dns-nxdomain' ? 'nxdomain' : f.kind === 'dns-servfail' ? 'servfail' : 'slow',
          name: f.name,
          delayMs: f.kind === 'dns-slow' ? f.delayMs : 0,
          every: f.kind === 'dns-slow' ? f.every : 1,
        } as const;
        // Every agent gets DNS rules; only those running a DNS server use them.
        for (const v of out.values()) v.dns.push(rule);
        break;
      }
      case 'bandwidth-spike': {
        const target = resolveSpikeTarget(plan, f.to, f.port);
        // Ten requests a second, each carrying a tenth of the rate, on fresh connections.
        const g: GeneratorConfig = {
          name: `spike-${f.id}`,
          kind: target.app,
          host: target.host,
          port: target.port,
          family: 4,
          ratePerSec: 10,
          requestBytes: Math.max(1, Math.round(f.bytesPerSec / 10)),
          responseBytes: 0,
          fanout: 'one',
        };
        for (const p of resolvePodRef(plan, f.from)) out.get(p.netns)!.generators.push(g);
        break;
      }
      default:
        break;
    }
  }
  return out;
}
