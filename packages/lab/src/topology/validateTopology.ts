import { Value } from 'typebox/value';
import { type FaultSpec, parseFaultSpec } from '../faults/faultSpec.js';
import { CLUSTER_DOMAIN, serviceFqdn, Topology, type TopologyPod } from './topology.js';
import { TopologyError } from './topologyError.js';

/** `/pods/3/name` -> `pods[3].name` */
function fieldOf(instancePath: string): string {
  let out = '';
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(key)) out += `[${key}]`;
    else out += out ? `.${key}` : key;
  }
  return out;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let v: unknown = root;
  for (const part of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/**
 * Checks a parsed topology file: first its shape (TypeBox), then what the shape cannot say (references
 * between items, unique names, room in the address plan). Throws a TopologyError naming the first bad field.
 */
export function validateTopology(value: unknown, source?: string): Topology {
  if (!Value.Check(Topology, value)) {
    const errors = [...Value.Errors(Topology, value)];
    // The most specific error (deepest path) says the most; "schema is false" repeats additionalProperties.
    const best =
      errors
        .filter((e) => e.keyword !== 'boolean')
        .sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0];
    if (!best) throw new TopologyError('', 'is not valid', source);
    const field = fieldOf(best.instancePath);
    const params = best.params as Record<string, unknown>;
    let problem = best.message;
    if (best.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
      problem = `unknown field ${params.additionalProperties.map((p) => `"${p}"`).join(', ')}`;
    } else if (best.keyword === 'required' && Array.isArray(params.requiredProperties)) {
      problem = `missing field ${params.requiredProperties.map((p) => `"${p}"`).join(', ')}`;
    } else if (best.instancePath) {
      problem = `${best.message} (got ${show(valueAt(value, best.instancePath))})`;
    }
    throw new TopologyError(field || '(root)', problem, source);
  }
  const t = value;
  const fail = (field: string, problem: string): never => {
    throw new TopologyError(field, problem, source);
  };

  const nodes = new Set<string>();
  t.nodes.forEach((n, i) => {
    if (nodes.has(n.name)) fail(`nodes[${i}].name`, `duplicate node "${n.name}"`);
    nodes.add(n.name);
  });
  const namespaces = new Set<string>();
  t.namespaces.forEach((ns, i) => {
    if (namespaces.has(ns)) fail(`namespaces[${i}]`, `duplicate namespace "${ns}"`);
    namespaces.add(ns);
  });

  const pods = new Set<string>();
  const workloads = new Set<string>();
  const perNode = new Map<string, number>();
  t.pods.forEach((p, i) => {
    if (!namespaces.has(p.namespace))
      fail(`pods[${i}].namespace`, `"${p.namespace}" is not declared in namespaces`);
    if (!nodes.has(p.node))
      fail(`pods[${i}].node`, `"${p.node}" is not one of the nodes (${[...nodes].join(', ')})`);
    const key = `${p.namespace}/${p.name}`;
    if (pods.has(key)) fail(`pods[${i}].name`, `duplicate pod "${key}"`);
    pods.add(key);
    workloads.add(`${p.namespace}/${p.workload}`);
    const count = (perNode.get(p.node) ?? 0) + 1;
    if (count > 200) fail(`pods[${i}].node`, `more than 200 pods on node "${p.node}"`);
    perNode.set(p.node, count);
  });

  const services = new Map<string, { index: number; pods: TopologyPod[] }>();
  t.services.forEach((s, i) => {
    if (!namespaces.has(s.namespace))
      fail(`services[${i}].namespace`, `"${s.namespace}" is not declared in namespaces`);
    const key = `${s.name}.${s.namespace}`;
    if (services.has(key)) fail(`services[${i}].name`, `duplicate service "${s.namespace}/${s.name}"`);
    if (Object.keys(s.selector).length === 0)
      fail(`services[${i}].selector`, 'must select by at least one label');
    const ports = new Set<string>();
    s.ports.forEach((p, j) => {
      const pk = `${p.port}/${p.protocol}`;
      if (ports.has(pk)) fail(`services[${i}].ports[${j}]`, `duplicate port ${pk}`);
      ports.add(pk);
      if ((p.appProtocol === 'dns') !== (p.protocol === 'UDP'))
        fail(`services[${i}].ports[${j}].protocol`, 'dns ports are UDP, http and kv ports are TCP');
    });
    services.set(key, {
      index: i,
      pods: t.pods.filter((p) => p.namespace === s.namespace && selects(s.selector, p.labels)),
    });
  });
  // Pods serve the ports of every service selecting them; two services must not claim one port differently.
  for (const p of t.pods) {
    const claimed = new Map<string, string>();
    t.services.forEach((s, i) => {
      if (s.namespace !== p.namespace || !selects(s.selector, p.labels)) return;
      for (const port of s.ports) {
        const pk = `${port.port}/${port.protocol}`;
        const prev = claimed.get(pk);
        if (prev && prev !== port.appProtocol)
          fail(
            `services[${i}].ports`,
            `port ${pk} of pod "${p.namespace}/${p.name}" is both ${prev} and ${port.appProtocol}`,
          );
        claimed.set(pk, port.appProtocol);
      }
    });
  }
  const dnsServers = t.services.filter((s) => s.ports.some((p) => p.appProtocol === 'dns'));
  if (dnsServers.length > 1)
    fail('services', `only one DNS service is supported (found ${dnsServers.map((s) => s.name).join(', ')})`);
  const dnsPods = dnsServers[0]
    ? (services.get(`${dnsServers[0].name}.${dnsServers[0].namespace}`)?.pods ?? [])
    : [];
  if ((t.traffic.length > 0 || (t.lookups ?? []).length > 0) && dnsPods.length === 0)
    fail(
      'services',
      'traffic needs a DNS service (a port with appProtocol "dns") that selects at least one pod',
    );

  const externals = new Map<string, { port: number; appProtocol: string }[]>();
  (t.external ?? []).forEach((e, i) => {
    if (externals.has(e.name)) fail(`external[${i}].name`, `duplicate external "${e.name}"`);
    if (e.name.endsWith(`.${CLUSTER_DOMAIN}`))
      fail(`external[${i}].name`, 'must not be inside cluster.local');
    externals.set(e.name, e.ports);
  });

  const names = new Set<string>();
  t.traffic.forEach((f, i) => {
    if (names.has(f.name)) fail(`traffic[${i}].name`, `duplicate traffic name "${f.name}"`);
    names.add(f.name);
    if (!workloads.has(`${f.from.namespace}/${f.from.workload}`))
      fail(`traffic[${i}].from`, `no pod of workload "${f.from.namespace}/${f.from.workload}"`);
    const svc = services.get(f.to);
    if (svc) {
      const s = t.services[svc.index]!;
      const port = s.ports.find((p) => p.port === f.port);
      // A port the service does not declare is allowed: that is how a scenario reaches a closed port.
      if (port && port.appProtocol === 'dns')
        fail(`traffic[${i}].port`, 'DNS traffic is generated by lookups');
      if (svc.pods.length === 0)
        fail(`traffic[${i}].to`, `service "${s.namespace}/${s.name}" selects no pod`);
      return;
    }
    if (!externals.has(f.to))
      fail(
        `traffic[${i}].to`,
        `"${f.to}" is neither "<service>.<namespace>" of a declared service nor an external name`,
      );
  });
  (t.lookups ?? []).forEach((l, i) => {
    if (!workloads.has(`${l.from.namespace}/${l.from.workload}`))
      fail(`lookups[${i}].from`, `no pod of workload "${l.from.namespace}/${l.from.workload}"`);
  });
  (t.policies ?? []).forEach((p, i) => {
    if (!namespaces.has(p.namespace))
      fail(`policies[${i}].namespace`, `"${p.namespace}" is not declared in namespaces`);
    if (Object.keys(p.podSelector).length === 0)
      fail(`policies[${i}].podSelector`, 'must select by at least one label');
    if (!workloads.has(`${p.denyFrom.namespace}/${p.denyFrom.workload}`))
      fail(`policies[${i}].denyFrom`, `no pod of workload "${p.denyFrom.namespace}/${p.denyFrom.workload}"`);
  });
  const faultIds = new Set<string>();
  for (const [i, f] of (t.faults ?? []).entries()) {
    if (faultIds.has(f.id)) fail(`faults[${i}].id`, `duplicate fault id "${f.id}"`);
    faultIds.add(f.id);
    const spec = faultSpecOf(f.fault, (message) => fail(`faults[${i}].fault`, message));
    if (
      spec.kind === 'policy-drop' &&
      spec.policy &&
      !(t.policies ?? []).some((p) => `${p.namespace}/${p.name}` === spec.policy)
    )
      fail(`faults[${i}].fault.policy`, `"${spec.policy}" is not one of the topology's policies`);
  }
  const bound = (where: string, fault: string | undefined) => {
    if (fault !== undefined && !faultIds.has(fault))
      fail(`${where}.fault`, `"${fault}" is not the id of one of the topology's faults`);
  };
  for (const [i, f] of t.traffic.entries()) bound(`traffic[${i}]`, f.fault);
  for (const [i, l] of (t.lookups ?? []).entries()) bound(`lookups[${i}]`, l.fault);
  return t;
}

/** A topology fault's spec, or `fail` with the first line of parseFaultSpec's message. */
function faultSpecOf(fault: Record<string, unknown>, fail: (message: string) => never): FaultSpec {
  try {
    return parseFaultSpec(fault);
  } catch (err) {
    return fail((err as Error).message.split('\n')[0]!);
  }
}

/** Service short form used in traffic (`api.production`) -> the cluster DNS name. */
export function trafficTargetFqdn(to: string, t: Topology): string {
  const s = t.services.find((x) => `${x.name}.${x.namespace}` === to);
  return s ? serviceFqdn(s.name, s.namespace) : to;
}
