import { existsSync } from 'node:fs';
import { guardRuleset } from '../netfilter/netfilterRules.js';
import type { LabPlan } from '../topology/addressPlan.js';
import { run } from './run.js';

const prefixLen = (cidr: string) => cidr.slice(cidr.indexOf('/'));

/** Every host-side and in-namespace command that builds the plan's network, in order. */
export function hostBatch(plan: LabPlan): string[] {
  const lines: string[] = [];
  for (const n of plan.nodes) {
    lines.push(
      `link add name ${n.bridge} type bridge forward_delay 0`,
      `addr add ${n.gateway4}${prefixLen(n.cidr4)} dev ${n.bridge}`,
      `addr add ${n.gateway6}${prefixLen(n.cidr6)} dev ${n.bridge} nodad`,
      `link set ${n.bridge} up`,
    );
  }
  for (const p of plan.pods) {
    const bridge = plan.nodes[p.nodeIndex - 1]!.bridge;
    lines.push(
      `netns add ${p.netns}`,
      `link add name ${p.hostIfname} type veth peer name eth0 netns ${p.netns}`,
      `link set ${p.hostIfname} master ${bridge} up`,
    );
  }
  const w = plan.world;
  if (w) {
    lines.push(
      `netns add ${w.netns}`,
      `link add name ${w.hostIfname} type veth peer name eth0 netns ${w.netns}`,
      `addr add ${w.hostIp4}${prefixLen(w.cidr4)} dev ${w.hostIfname}`,
      `addr add ${w.hostIp6}${prefixLen(w.cidr6)} dev ${w.hostIfname} nodad`,
      `link set ${w.hostIfname} up`,
    );
  }
  return lines;
}

export function podBatch(plan: LabPlan, index: number): string[] {
  const p = plan.pods[index]!;
  const n = plan.nodes[p.nodeIndex - 1]!;
  return [
    'link set lo up',
    `addr add ${p.ipv4}${prefixLen(n.cidr4)} dev eth0`,
    `addr add ${p.ipv6}${prefixLen(n.cidr6)} dev eth0 nodad`,
    'link set eth0 up',
    `route add default via ${n.gateway4}`,
    `route add default via ${n.gateway6}`,
  ];
}

export function worldBatch(plan: LabPlan): string[] {
  const w = plan.world!;
  return [
    'link set lo up',
    ...w.externals.flatMap((e) => [
      `addr add ${e.ipv4}${prefixLen(w.cidr4)} dev eth0`,
      `addr add ${e.ipv6}${prefixLen(w.cidr6)} dev eth0 nodad`,
    ]),
    'link set eth0 up',
    `route add default via ${w.hostIp4}`,
    `route add default via ${w.hostIp6}`,
  ];
}

/**
 * Forwarding only where the lab needs it: per interface (IPv4 `forwarding`, IPv6 `force_forwarding`),
 * so the host's own interfaces keep routing nothing, and the global switches stay as they were.
 */
export function forwardingSysctls(plan: LabPlan, ipv6 = true): string[] {
  const ifs = [...plan.nodes.map((n) => n.bridge), ...(plan.world ? [plan.world.hostIfname] : [])];
  return ifs.flatMap((i) => [
    `net.ipv4.conf.${i}.forwarding=1`,
    ...(ipv6 ? [`net.ipv6.conf.${i}.force_forwarding=1`] : []),
  ]);
}

/** Per-interface IPv6 forwarding (`force_forwarding`) came with Linux 6.17; without it IPv6 stays within a node. */
export function hasIpv6ForceForwarding(): boolean {
  return existsSync('/proc/sys/net/ipv6/conf/default/force_forwarding');
}

/** Builds the whole network of a plan: safety net first, then bridges, pods, the world. */
export async function buildNetwork(plan: LabPlan): Promise<void> {
  await run('nft', ['-f', '-'], guardRuleset(plan));
  await run('ip', ['-batch', '-'], `${hostBatch(plan).join('\n')}\n`);
  await run('sysctl', ['-q', '-w', ...forwardingSysctls(plan, hasIpv6ForceForwarding())]);
  const jobs = plan.pods.map((p, i) =>
    run('ip', ['-n', p.netns, '-batch', '-'], `${podBatch(plan, i).join('\n')}\n`),
  );
  if (plan.world)
    jobs.push(run('ip', ['-n', plan.world.netns, '-batch', '-'], `${worldBatch(plan).join('\n')}\n`));
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Routes already on the host that overlap the lab's ranges (another lab, a VPN...): refuse to build over them. */
export async function clashingRoutes(plan: LabPlan): Promise<string[]> {
  const clashes: string[] = [];
  for (const [flag, ranges] of [
    ['-4', plan.ranges4],
    ['-6', plan.ranges6],
  ] as const) {
    const { stdout } = await run('ip', ['-j', flag, 'route', 'show', 'table', 'all']);
    const routes = JSON.parse(stdout || '[]') as { dst?: string; dev?: string; table?: string }[];
    for (const r of routes) {
      if (!r.dst || r.dst === 'default' || r.table === 'local') continue;
      for (const range of ranges)
        if (overlaps(r.dst, range)) clashes.push(`${r.dst}${r.dev ? ` dev ${r.dev}` : ''}`);
    }
  }
  return [...new Set(clashes)];
}

function toBits(ip: string): bigint | null {
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (tail === undefined && h.length !== 8) return null;
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
  }
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

/** Whether two CIDRs (or addresses) of one family share any address. */
export function overlaps(a: string, b: string): boolean {
  const v6 = a.includes(':');
  if (v6 !== b.includes(':')) return false;
  const width = v6 ? 128 : 32;
  const parse = (c: string) => {
    const [ip, len] = c.split('/') as [string, string | undefined];
    return { bits: toBits(ip), len: len === undefined ? width : Number(len) };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.bits === null || y.bits === null) return false;
  const len = BigInt(width - Math.min(x.len, y.len));
  return x.bits >> len === y.bits >> len;
}
