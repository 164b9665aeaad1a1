/**
 * What a small cluster lists to the collector's informers, keyed `group/resource` as RbacApiServer
 * serves them: one Deployment's pod on `node`, its ReplicaSet, a Service, and the node itself.
 */
export function smallCluster(node: string): Record<string, object[]> {
  return {
    '/pods': [
      {
        metadata: {
          name: 'web-5d9c7b-x2x4q',
          namespace: 'shop',
          uid: 'pod-1',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c7b', uid: 'rs-1', controller: true },
          ],
        },
        spec: { nodeName: node, containers: [{ name: 'web', image: 'web' }] },
        status: { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }] },
      },
    ],
    'apps/replicasets': [
      {
        metadata: {
          name: 'web-5d9c7b',
          namespace: 'shop',
          uid: 'rs-1',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-1', controller: true },
          ],
        },
        spec: { selector: { matchLabels: { app: 'web' } } },
      },
    ],
    '/services': [
      {
        metadata: { name: 'web', namespace: 'shop' },
        spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], selector: { app: 'web' } },
      },
    ],
    '/nodes': [
      { metadata: { name: node }, status: { addresses: [{ type: 'InternalIP', address: '10.224.0.4' }] } },
    ],
    '/namespaces': [{ metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } }],
    'networking.k8s.io/networkpolicies': [
      {
        metadata: { name: 'web-ingress', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
      },
    ],
  };
}
