import { type Cidr, cidrContains, parseCidr, parseIp } from './cidr.js';
import { type Direction, describePolicy, describePort } from './describePolicy.js';
import { selectorMatches } from './labelSelector.js';
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRef, PolicyRule } from './networkPolicy.js';
import { podPeerMatches } from './podPeerMatches.js';
import type { Flow, FlowEnd, World, WorldPod } from './world.js';

export interface DirectionVerdict {
  direction: Direction;
  allowed: boolean;
  /** The pod whose policies decide this direction (the source for egress, the destination for ingress). */
  pod?: PolicyRef;
  /** The policies selecting that pod for this direction, by namespace/name. */
  policies: PolicyRef[];
  /** On allow through a policy: which one, and which of its rules (0-based). */
  allowedBy?: { policy: PolicyRef; rule: number };
  /** One sentence: why. */
  reason: string;
}

export interface Verdict {
  allowed: boolean;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
  /** The denying direction's reason, or both directions' reasons when allowed. */
  explanation: string;
}

/** A flow end resolved against the world: the pod it is (if any) and the addresses it may use. */
interface End {
  pod: WorldPod | null;
  ips: { family: 4 | 6; bits: bigint }[];
  label: string;
}

interface CompiledPolicy {
  policy: NetworkPolicy;
  ref: PolicyRef;
  blocks: Map<PolicyPeer, { cidr: Cidr; except: Cidr[] }>;
  /** describePolicy per direction, made on first use: a deny explanation reuses it. */
  described: Partial<Record<Direction, string>>;
}

/** A deny names at most this many selecting policies in its sentence (`policies` lists them all). */
const NAMED_POLICIES = 5;

const refOf = (p: { namespace: string; name: string }): PolicyRef => ({
  namespace: p.namespace,
  name: p.name,
});

/**
 * Evaluates flows against a fixed set of policies and a fixed world, with Kubernetes semantics: a pod
 * selected by no policy of a direction allows everything in that direction; a selected pod allows
 * only what some selecting policy's rule allows (policies add up, never subtract). A flow is the
 * connection's first packet: replies of an allowed connection are not evaluated (stateful).
 * Pods are indexed by name and address, policies by namespace, so one evaluation reads only the
 * policies of the two ends' namespaces.
 */
export class PolicyEvaluator {
  private readonly nsLabels = new Map<string, Record<string, string>>();
  private readonly podsByKey = new Map<string, WorldPod>();
  private readonly podsByIp = new Map<string, WorldPod>();
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();

  constructor(policies: readonly NetworkPolicy[], world: World) {
    for (const ns of world.namespaces) this.nsLabels.set(ns.name, ns.labels);
    for (const p of world.pods) {
      this.podsByKey.set(`${p.namespace}/${p.name}`, p);
      for (const ip of p.ips) this.podsByIp.set(ip, p);
    }
    for (const policy of policies) {
      const blocks = new Map<PolicyPeer, { cidr: Cidr; except: Cidr[] }>();
      for (const r of [...policy.ingress, ...policy.egress])
        for (const peer of r.peers)
          if (peer.ipBlock)
            blocks.set(peer, {
              cidr: parseCidr(peer.ipBlock.cidr)!,
              except: peer.ipBlock.except.map((e) => parseCidr(e)!),
            });
      const list = this.byNamespace.get(policy.namespace) ?? [];
      list.push({ policy, ref: refOf(policy), blocks, described: {} });
      this.byNamespace.set(policy.namespace, list);
    }
  }

  /** Namespace labels; a namespace the world does not list still carries its name label. */
  namespaceLabels(ns: string): Record<string, string> {
    return this.nsLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
  }

  private readonly labelsOf = (ns: string) => this.namespaceLabels(ns);

  /** Policies selecting a pod for a direction. */
  selecting(pod: WorldPod, dir: Direction): NetworkPolicy[] {
    return this.selectingCompiled(pod, dir).map((c) => c.policy);
  }

  private selectingCompiled(pod: WorldPod, dir: Direction): CompiledPolicy[] {
    const type = dir === 'ingress' ? 'Ingress' : 'Egress';
    return (this.byNamespace.get(pod.namespace) ?? []).filter(
      (c) => c.policy.policyTypes.includes(type) && selectorMatches(c.policy.podSelector, pod.labels),
    );
  }

  private resolve(end: FlowEnd): End {
    if ('name' in end) {
      const pod = this.podsByKey.get(`${end.namespace}/${end.name}`) ?? null;
      const ips = (end.ip ? [end.ip] : (pod?.ips ?? [])).map(parseIp).filter((x) => x !== null);
      return { pod, ips, label: `${end.name} in ${end.namespace}` };
    }
    const pod = this.podsByIp.get(end.ip) ?? null;
    const ip = parseIp(end.ip);
    return {
      pod,
      ips: ip ? [ip] : [],
      label: pod ? `${pod.name} in ${pod.namespace}` : end.ip,
    };
  }

  private peerMatches(c: CompiledPolicy, peer: PolicyPeer, end: End): boolean {
    const block = c.blocks.get(peer);
    if (block)
      return end.ips.some(
        (ip) => cidrContains(block.cidr, ip) && !block.except.some((x) => cidrContains(x, ip)),
      );
    return end.pod !== null && podPeerMatches(peer, c.policy.namespace, end.pod, this.labelsOf);
  }

  private portMatches(p: PolicyPort, flow: Flow, dstPod: WorldPod | null): boolean {
    if (p.protocol !== flow.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return flow.port >= p.port && flow.port <= (p.endPort ?? p.port);
    // A named port is the destination pod's container port of that name and protocol.
    return (dstPod?.ports ?? []).some(
      (cp) => cp.name === p.port && cp.protocol === p.protocol && cp.port === flow.port,
    );
  }

  private ruleMatch(c: CompiledPolicy, r: PolicyRule, peer: End, flow: Flow, dstPod: WorldPod | null) {
    const peerOk = r.peers.length === 0 || r.peers.some((x) => this.peerMatches(c, x, peer));
    const portOk = r.ports.length === 0 || r.ports.some((x) => this.portMatches(x, flow, dstPod));
    return { peerOk, portOk };
  }

  private direction(
    dir: Direction,
    subject: End,
    peer: End,
    flow: Flow,
    dstPod: WorldPod | null,
  ): DirectionVerdict {
    const pod = subject.pod;
    const verb = dir === 'ingress' ? 'ingress to' : 'egress from';
    if (!pod)
      return {
        direction: dir,
        allowed: true,
        policies: [],
        reason: `${verb} ${subject.label}: not a known pod, so no policy applies`,
      };
    const selecting = this.selectingCompiled(pod, dir);
    const base = { direction: dir, pod: refOf(pod), policies: selecting.map((c) => c.ref) };
    if (selecting.length === 0)
      return {
        ...base,
        allowed: true,
        reason: `${verb} ${subject.label}: no NetworkPolicy selects it for ${dir}, so all is allowed`,
      };
    const portOnly: string[] = [];
    for (const c of selecting) {
      const rules = dir === 'ingress' ? c.policy.ingress : c.policy.egress;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        const m = this.ruleMatch(c, r, peer, flow, dstPod);
        if (m.peerOk && m.portOk)
          return {
            ...base,
            allowed: true,
            allowedBy: { policy: c.ref, rule: i },
            reason: `${verb} ${subject.label}: allowed by ${c.ref.namespace}/${c.ref.name} (${dir} rule ${i + 1})`,
          };
        if (m.peerOk) portOnly.push(...r.ports.map(describePort));
      }
    }
    const named = selecting.slice(0, NAMED_POLICIES).map((c) => {
      c.described[dir] ??= describePolicy(c.policy, dir);
      return c.described[dir];
    });
    const more = selecting.length - named.length;
    const policies = `${named.join('; ')}${more > 0 ? `; and ${more} more policies select it` : ''}`;
    const asked = `${flow.protocol} ${flow.port}`;
    const why =
      portOnly.length > 0
        ? `${peer.label} is an allowed peer only on ${[...new Set(portOnly)].join(', ')}, not ${asked}`
        : `${peer.label} matches no allowed peer`;
    return { ...base, allowed: false, reason: `${policies}; ${why}` };
  }

  /** Whether some policy (or none selecting) lets one direction through: `direction` without words. */
  private directionAllows(dir: Direction, subject: End, peer: End, flow: Flow, dstPod: WorldPod | null) {
    if (!subject.pod) return true;
    const selecting = this.selectingCompiled(subject.pod, dir);
    if (selecting.length === 0) return true;
    for (const c of selecting)
      for (const r of dir === 'ingress' ? c.policy.ingress : c.policy.egress) {
        const m = this.ruleMatch(c, r, peer, flow, dstPod);
        if (m.peerOk && m.portOk) return true;
      }
    return false;
  }

  /** evaluate(flow).allowed without the explanation: for passes over many flows (what-if). */
  allows(flow: Flow): boolean {
    const src = this.resolve(flow.src);
    const dst = this.resolve(flow.dst);
    return (
      this.directionAllows('egress', src, dst, flow, dst.pod) &&
      this.directionAllows('ingress', dst, src, flow, dst.pod)
    );
  }

  evaluate(flow: Flow): Verdict {
    const src = this.resolve(flow.src);
    const dst = this.resolve(flow.dst);
    const egress = this.direction('egress', src, dst, flow, dst.pod);
    const ingress = this.direction('ingress', dst, src, flow, dst.pod);
    const allowed = egress.allowed && ingress.allowed;
    const explanation = allowed
      ? `allowed: ${egress.reason}; ${ingress.reason}`
      : [egress, ingress]
          .filter((d) => !d.allowed)
          .map((d) => `${d.direction} denied: ${d.reason}`)
          .join('. ');
    return { allowed, egress, ingress, explanation };
  }
}

/** One flow against policies and a world (builds the index each call: use PolicyEvaluator for many). */
export function evaluate(policies: readonly NetworkPolicy[], world: World, flow: Flow): Verdict {
  return new PolicyEvaluator(policies, world).evaluate(flow);
}
