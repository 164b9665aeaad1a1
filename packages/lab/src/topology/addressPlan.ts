import { checkPrefix, DEFAULT_PREFIX, prefixSlot } from './prefix.js';
import type { AppProtocol, Topology } from './topology.js';

export interface PlannedNode {
  name: string;
  /** 1-based */
  index: number;
  bridge: string;
  /** Host-side veths of this node's pods start with it: a collector per node uses `--iface-prefix`. */
  ifacePrefix: string;
  cidr4: string;
  gateway4: string;
  cidr6: string;
  gateway6: string;
}

export interface PlannedPod {
  namespace: string;
  name: string;
  node: string;
  nodeIndex: number;
  workloadKind: string;
  workload: string;
  labels: Record<string, string>;
  netns: string;
  hostIfname: string;
  ipv4: string;
  ipv6: string;
}

export interface PlannedExternal {
  name: string;
  ipv4: string;
  ipv6: string;
  ports: { port: number; appProtocol: Exclude<AppProtocol, 'dns'> }[];
}

export interface PlannedWorld {
  netns: string;
  hostIfname: string;
  cidr4: string;
  hostIp4: string;
  cidr6: string;
  hostIp6: string;
  externals: PlannedExternal[];
}

export interface LabPlan {
  prefix: string;
  slot: number;
  topology: Topology;
  nodes: PlannedNode[];
  pods: PlannedPod[];
  world: PlannedWorld | null;
  /** nft table (family inet) in the host holding the safety net. */
  guardTable: string;
  /** Every range the lab routes, for the safety net and for clash checks. */
  ranges4: string[];
  ranges6: string[];
}

/**
 * Deterministic addresses for a topology under a prefix: node n gets 10.244.<16*slot+n>.0/24 and
 * fd00:244:<16*slot+n>::/64 (gateway .1 on the node's bridge, pods from .10), the world gets a /28 of
 * TEST-NET-3 and a /64 of 2001:db8::/32. Slot 0 (prefix `weft`) is 10.244.1.0/24, 10.244.2.0/24, ...
 */
export function planLab(topology: Topology, prefix: string = DEFAULT_PREFIX, slotOverride?: number): LabPlan {
  checkPrefix(prefix);
  const slot = slotOverride ?? prefixSlot(prefix);
  if (!Number.isInteger(slot) || slot < 0 || slot > 14)
    throw new Error(`address slot ${slot} is not in 0..14`);
  const nodes: PlannedNode[] = topology.nodes.map((n, i) => {
    const octet = slot * 16 + i + 1;
    return {
      name: n.name,
      index: i + 1,
      bridge: `${prefix}br${i + 1}`,
      ifacePrefix: `${prefix}${i + 1}-`,
      cidr4: `10.244.${octet}.0/24`,
      gateway4: `10.244.${octet}.1`,
      cidr6: `fd00:244:${octet.toString(16)}::/64`,
      gateway6: `fd00:244:${octet.toString(16)}::1`,
    };
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const used = new Map<string, number>();
  const pods: PlannedPod[] = topology.pods.map((p) => {
    const node = byName.get(p.node);
    if (!node) throw new Error(`pod ${p.namespace}/${p.name}: unknown node "${p.node}"`);
    const k = used.get(node.name) ?? 0;
    used.set(node.name, k + 1);
    const octet = slot * 16 + node.index;
    return {
      namespace: p.namespace,
      name: p.name,
      node: node.name,
      nodeIndex: node.index,
      workloadKind: p.workloadKind,
      workload: p.workload,
      labels: p.labels,
      netns: `${prefix}-${p.namespace}-${p.name}`,
      hostIfname: `${node.ifacePrefix}${k}`,
      ipv4: `10.244.${octet}.${10 + k}`,
      ipv6: `fd00:244:${octet.toString(16)}::${(10 + k).toString(16)}`,
    };
  });
  const ext = topology.external ?? [];
  const world: PlannedWorld | null =
    ext.length === 0
      ? null
      : {
          netns: `${prefix}-world`,
          hostIfname: `${prefix}w0`,
          cidr4: `203.0.113.${slot * 16}/28`,
          hostIp4: `203.0.113.${slot * 16 + 1}`,
          cidr6: `2001:db8:${slot.toString(16)}::/64`,
          hostIp6: `2001:db8:${slot.toString(16)}::1`,
          externals: ext.map((e, i) => ({
            name: e.name,
            ipv4: `203.0.113.${slot * 16 + 10 + i}`,
            ipv6: `2001:db8:${slot.toString(16)}::${(10 + i).toString(16)}`,
            ports: e.ports,
          })),
        };
  return {
    prefix,
    slot,
    topology,
    nodes,
    pods,
    world,
    guardTable: `${prefix}_guard`,
    ranges4: [...nodes.map((n) => n.cidr4), ...(world ? [world.cidr4] : [])],
    ranges6: [...nodes.map((n) => n.cidr6), ...(world ? [world.cidr6] : [])],
  };
}
