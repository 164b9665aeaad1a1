import type { ContainerPort, World } from '@weft/policy';
import type { LabPlan } from '../topology/addressPlan.js';

/** The labels every lab namespace carries, as Kubernetes sets them on every namespace. */
export function namespaceLabels(name: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': name };
}

/**
 * The lab as policies see it: namespaces with their labels, pods with labels, addresses and named
 * ports. Lab pods declare no container ports; a service port that has a name and selects the pod
 * stands for one (lab services send to the port they expose).
 */
export function labWorld(plan: LabPlan): World {
  const services = plan.topology.services;
  return {
    namespaces: plan.topology.namespaces.map((name) => ({ name, labels: namespaceLabels(name) })),
    pods: plan.pods.map((p) => {
      const ports = new Map<string, ContainerPort>();
      for (const s of services) {
        if (s.namespace !== p.namespace) continue;
        if (!Object.entries(s.selector).every(([k, v]) => p.labels[k] === v)) continue;
        for (const sp of s.ports)
          if (sp.name && !ports.has(sp.name))
            ports.set(sp.name, { name: sp.name, port: sp.port, protocol: sp.protocol });
      }
      return {
        namespace: p.namespace,
        name: p.name,
        labels: p.labels,
        ips: [p.ipv4, p.ipv6],
        ports: [...ports.values()],
      };
    }),
  };
}
