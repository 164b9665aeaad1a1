import { describe, expect, it } from 'vitest';
import { parsePolicies } from './parsePolicies.js';
import { PolicyError } from './policyError.js';

const ok = (name: string, spec: string, ns = 'production') => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;

const DENY = ok('deny', '  podSelector: {}\n  policyTypes: [Ingress]');

function fails(text: string): string {
  try {
    parsePolicies(text, { source: 'p.yaml' });
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as Error).message;
  }
  throw new Error('parsed without error');
}

describe('parsePolicies', () => {
  it('reads many documents, fills defaults (namespace, TCP) and skips empty documents', () => {
    const ps = parsePolicies(
      `${DENY}\n---\n---\n${ok('web', '  podSelector: { matchLabels: { app: web } }\n  ingress:\n  - ports: [{ port: 80 }]').replace('  namespace: production\n', '')}`,
      { defaultNamespace: 'shop' },
    );
    expect(ps.map((p) => `${p.namespace}/${p.name}`)).toEqual(['production/deny', 'shop/web']);
    expect(ps[1]!.ingress[0]).toEqual({ peers: [], ports: [{ protocol: 'TCP', port: 80 }] });
    expect(ps[1]!.podSelector).toEqual({ matchLabels: { app: 'web' }, matchExpressions: [] });
  });

  it('reads a List as kubectl get -o yaml writes it', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${DENY.trim().split('\n').join('\n  ')}\n`;
    expect(parsePolicies(list).map((p) => p.name)).toEqual(['deny']);
  });

  it.each([
    [
      ok('x', '  podSelector: {}\n  ingres: []'),
      /document 1 \(production\/x\): spec\.ingres: unknown or unsupported field/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - from:\n    - podSelectr: {}'),
      /spec\.ingress\[0\]\.from\[0\]\.podSelectr: unknown/,
    ],
    [
      ok('x', '  podSelector:\n    matchLabels: { app: 1 }'),
      /spec\.podSelector\.matchLabels\.app: must be a string, not number 1/,
    ],
    [
      ok('x', '  podSelector:\n    matchExpressions: [{ key: a, operator: In }]'),
      /matchExpressions\[0\]\.values: must not be empty for In/,
    ],
    [
      ok('x', '  podSelector:\n    matchExpressions: [{ key: a, operator: Exists, values: [b] }]'),
      /values: must be empty for Exists/,
    ],
    [
      ok('x', '  podSelector:\n    matchExpressions: [{ key: a, operator: Gt, values: ["1"] }]'),
      /operator: "Gt" is not one of/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: { cidr: 10.0.0/8 }'),
      /ipBlock\.cidr: "10\.0\.0\/8" is not a CIDR/,
    ],
    [
      ok(
        'x',
        '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/8] }',
      ),
      /except\[0\]: "10\.1\.0\.0\/8" must be a strict subset of cidr 10\.0\.0\.0\/8/,
    ],
    [
      ok(
        'x',
        '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: { cidr: fd00::/64, except: [10.0.0.0/24] }',
      ),
      /except\[0\]: .* must be a strict subset/,
    ],
    [
      ok(
        'x',
        '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: { cidr: 10.0.0.0/8 }\n      podSelector: {}',
      ),
      /from\[0\]\.ipBlock: may not be combined/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - from:\n    - {}'),
      /from\[0\]: must have podSelector, namespaceSelector or ipBlock/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - ports: [{ protocol: ICMP }]'),
      /ports\[0\]\.protocol: "ICMP" is not one of TCP, UDP, SCTP/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - ports: [{ port: 70000 }]'),
      /ports\[0\]\.port: 70000 is not a port number/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - ports: [{ port: Http_Port }]'),
      /ports\[0\]\.port: "Http_Port" is not a port name/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - ports: [{ port: http, endPort: 90 }]'),
      /ports\[0\]\.endPort: needs a numeric port/,
    ],
    [
      ok('x', '  podSelector: {}\n  ingress:\n  - ports: [{ port: 90, endPort: 80 }]'),
      /endPort: 80 is less than port 90/,
    ],
    [
      ok('x', '  podSelector: {}\n  policyTypes: [Ingress, Sideways]'),
      /spec\.policyTypes\[1\]: "Sideways" is not Ingress or Egress/,
    ],
    [ok('x', '  policyTypes: [Ingress]'), /spec\.podSelector: is required/],
    [ok('Bad_Name', '  podSelector: {}'), /metadata\.name: "Bad_Name" is not a valid name/],
    [
      ok('x', '  podSelector: {}').replace('networking.k8s.io/v1', 'networking.k8s.io/v1beta1'),
      /apiVersion: .*only networking\.k8s\.io\/v1/,
    ],
    [
      ok('x', '  podSelector: {}').replace('kind: NetworkPolicy', 'kind: Service'),
      /document 1 \(production\/x\): kind: string "Service": only NetworkPolicy/,
    ],
    [`${ok('x', '  podSelector: {}')}\nstatus: {}`, /document 1 \(production\/x\): status: unknown/],
    [`${DENY}\n---\n${DENY}`, /production\/deny is given twice/],
    ['', /no NetworkPolicy found/],
  ])('refuses %#, naming the document and the field', (text, message) => {
    expect(fails(text)).toMatch(message);
  });

  it('names malformed YAML by document and line, and returns nothing when any document is bad', () => {
    const msg = fails(`${DENY}\n---\nkind: [unclosed\n`);
    expect(msg).toMatch(/^p\.yaml: document 2: malformed YAML at line \d+/);
    expect(fails(`${DENY}\n---\n${ok('x', '  podSelector: {}\n  bogus: 1')}`)).toMatch(
      /document 2 \(production\/x\): spec\.bogus/,
    );
  });

  it('reports every bad document at once', () => {
    const msg = fails(
      `${ok('a', '  podSelector: {}\n  x: 1')}\n---\n${ok('b', '  podSelector: {}\n  y: 1')}`,
    );
    expect(msg).toMatch(/document 1 \(production\/a\): spec\.x.*; document 2 \(production\/b\): spec\.y/);
  });

  it('rejects duplicate keys', () => {
    expect(fails(ok('x', '  podSelector: {}\n  podSelector: {}'))).toMatch(/malformed YAML/);
  });
});
