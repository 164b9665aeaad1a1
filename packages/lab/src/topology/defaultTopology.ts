import type { ServicePort, Topology, TopologyPod, TopologyService } from './topology.js';

function pod(
  name: string,
  namespace: string,
  node: string,
  workloadKind: TopologyPod['workloadKind'],
  workload: string,
  labels: Record<string, string>,
  trouble?: boolean,
): TopologyPod {
  return { name, namespace, node, workloadKind, workload, labels, ...(trouble ? { trouble } : {}) };
}

function service(
  name: string,
  namespace: string,
  selector: Record<string, string>,
  ports: ServicePort[],
): TopologyService {
  return { name, namespace, selector, ports };
}

function tcp(name: string, port: number, appProtocol: ServicePort['appProtocol']): ServicePort {
  return { name, port, protocol: 'TCP', appProtocol };
}

const N1 = 'lab-node-1';
const N2 = 'lab-node-2';

/**
 * The seed article's traffic map on two nodes: production (frontend x2 -> api x2 -> db, redis and an
 * external API), monitoring (prometheus scraping frontend, api and db) and kube-system (CoreDNS for every
 * pod). Replicas sit on different nodes so traffic crosses nodes. Rates are a hundredth of the article's
 * figures with the same proportions, so the lab runs quietly next to other work.
 * The `trouble` items give every panel data from the first minute: one of each common fault (`faults`),
 * each at a low rate: a client a NetworkPolicy drops, a scrape refused, a scrape timing out, lookups of
 * a deleted service (NXDOMAIN) and of a name whose server fails (SERVFAIL), and a slow DNS answer now
 * and then. The lookups are their faults' own clients: clearing the fault stops them.
 */
export function defaultTopology(): Topology {
  const fe = { app: 'frontend', 'pod-template-hash': '7d9f8c6b5' };
  const api = { app: 'api', 'pod-template-hash': '5c8d7f9b6' };
  return {
    version: 1,
    nodes: [{ name: N1 }, { name: N2 }],
    namespaces: ['production', 'monitoring', 'kube-system'],
    pods: [
      pod('frontend-7d9f8c6b5-x2k4p', 'production', N1, 'Deployment', 'frontend', fe),
      pod('frontend-7d9f8c6b5-m8q7n', 'production', N2, 'Deployment', 'frontend', fe),
      pod('api-5c8d7f9b6-h4j2k', 'production', N1, 'Deployment', 'api', api),
      pod('api-5c8d7f9b6-t7w9r', 'production', N2, 'Deployment', 'api', api),
      pod('db-0', 'production', N1, 'StatefulSet', 'db', {
        app: 'db',
        'statefulset.kubernetes.io/pod-name': 'db-0',
      }),
      pod('redis-6b7c9d8f4-p2x5z', 'production', N2, 'Deployment', 'redis', {
        app: 'redis',
        'pod-template-hash': '6b7c9d8f4',
      }),
      pod('prometheus-0', 'monitoring', N2, 'StatefulSet', 'prometheus', {
        'app.kubernetes.io/name': 'prometheus',
      }),
      pod('coredns-5d78c9869d-q7b2v', 'kube-system', N1, 'Deployment', 'coredns', {
        'k8s-app': 'kube-dns',
        'pod-template-hash': '5d78c9869d',
      }),
      pod(
        'legacy-worker-84f6d9c7b-z5n3m',
        'production',
        N1,
        'Deployment',
        'legacy-worker',
        { app: 'legacy-worker', 'pod-template-hash': '84f6d9c7b' },
        true,
      ),
    ],
    services: [
      service('frontend', 'production', { app: 'frontend' }, [
        tcp('http', 80, 'http'),
        tcp('metrics', 9090, 'http'),
      ]),
      service('api', 'production', { app: 'api' }, [tcp('http', 80, 'http'), tcp('metrics', 9090, 'http')]),
      service('db', 'production', { app: 'db' }, [
        tcp('postgres', 5432, 'kv'),
        tcp('metrics', 9090, 'http'),
        tcp('exporter', 9187, 'http'),
      ]),
      service('redis', 'production', { app: 'redis' }, [
        tcp('redis', 6379, 'kv'),
        tcp('exporter', 9121, 'http'),
      ]),
      service('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }, [
        tcp('web', 9090, 'http'),
      ]),
      service('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }, [
        { name: 'dns', port: 53, protocol: 'UDP', appProtocol: 'dns' },
      ]),
    ],
    external: [
      { name: 'api.payments.example', ports: [{ port: 443, appProtocol: 'http' }] },
      // Looked up by api now and then; its DNS fails while the fault s5 is on.
      { name: 'ledger.payments.example', ports: [{ port: 443, appProtocol: 'http' }] },
    ],
    traffic: [
      {
        name: 'frontend-to-api',
        from: { namespace: 'production', workload: 'frontend' },
        to: 'api.production',
        port: 80,
        ratePerSec: 10,
        requestBytes: 512,
        responseBytes: 7680,
      },
      {
        name: 'api-to-db',
        from: { namespace: 'production', workload: 'api' },
        to: 'db.production',
        port: 5432,
        ratePerSec: 10,
        requestBytes: 256,
        responseBytes: 1024,
      },
      {
        name: 'api-to-redis',
        from: { namespace: 'production', workload: 'api' },
        to: 'redis.production',
        port: 6379,
        ratePerSec: 10,
        requestBytes: 64,
        responseBytes: 256,
        family: 6,
      },
      {
        name: 'api-to-payments',
        from: { namespace: 'production', workload: 'api' },
        to: 'api.payments.example',
        port: 443,
        ratePerSec: 2,
        requestBytes: 1024,
        responseBytes: 2560,
      },
      ...(['frontend', 'api', 'db'] as const).map((target) => ({
        name: `scrape-${target}`,
        from: { namespace: 'monitoring', workload: 'prometheus' },
        to: `${target}.production`,
        port: 9090,
        ratePerSec: 1,
        requestBytes: 0,
        responseBytes: 4096,
        fanout: 'all' as const,
      })),
      {
        name: 'legacy-worker-to-api',
        from: { namespace: 'production', workload: 'legacy-worker' },
        to: 'api.production',
        port: 80,
        ratePerSec: 1,
        requestBytes: 256,
        responseBytes: 1024,
        trouble: true,
      },
      {
        name: 'scrape-redis-exporter',
        from: { namespace: 'monitoring', workload: 'prometheus' },
        to: 'redis.production',
        port: 9121,
        ratePerSec: 0.5,
        requestBytes: 0,
        responseBytes: 1024,
        trouble: true,
      },
      {
        name: 'scrape-db-exporter',
        from: { namespace: 'monitoring', workload: 'prometheus' },
        to: 'db.production',
        port: 9187,
        ratePerSec: 0.2,
        requestBytes: 0,
        responseBytes: 1024,
        trouble: true,
      },
    ],
    lookups: [
      {
        from: { namespace: 'production', workload: 'frontend' },
        name: 'recommendations.production.svc.cluster.local',
        ratePerSec: 0.5,
        fault: 's4',
        trouble: true,
      },
      {
        from: { namespace: 'production', workload: 'api' },
        name: 'ledger.payments.example',
        ratePerSec: 0.2,
        fault: 's5',
        trouble: true,
      },
    ],
    policies: [
      {
        name: 'api-allow-frontend',
        namespace: 'production',
        podSelector: { app: 'api' },
        denyFrom: { namespace: 'production', workload: 'legacy-worker' },
        trouble: true,
      },
    ],
    // One of each common fault, each at a low rate, listed and cleared like any other (`weft lab fault list`).
    faults: [
      {
        id: 's1',
        fault: {
          kind: 'policy-drop',
          from: 'production/legacy-worker',
          to: 'production/api',
          policy: 'production/api-allow-frontend',
        },
        trouble: true,
      },
      { id: 's2', fault: { kind: 'refused', target: 'production/redis', port: 9121 }, trouble: true },
      { id: 's3', fault: { kind: 'timeout', target: 'production/db', port: 9187 }, trouble: true },
      {
        id: 's4',
        fault: { kind: 'dns-nxdomain', name: 'recommendations.production.svc.cluster.local' },
        trouble: true,
      },
      { id: 's5', fault: { kind: 'dns-servfail', name: 'ledger.payments.example' }, trouble: true },
      { id: 's6', fault: { kind: 'dns-slow', delayMs: 300, every: 50 }, trouble: true },
    ],
  };
}
