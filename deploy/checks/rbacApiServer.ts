import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One rule of a ClusterRole, as the RBAC API defines it. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What a request asks for, in RBAC terms. */
export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
  name: string;
}

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === '*' || x === v);

/** The RBAC authorizer's rule match for resource requests. */
export function allows(rules: readonly PolicyRule[], a: Attributes): boolean {
  return rules.some(
    (r) =>
      has(r.verbs, a.verb) &&
      has(r.apiGroups, a.group) &&
      has(r.resources, a.resource) &&
      (!r.resourceNames ||
        r.resourceNames.length === 0 ||
        (a.name !== '' && r.resourceNames.includes(a.name))),
  );
}

/** `/api/v1/...` and `/apis/GROUP/VERSION/...` paths -> RBAC attributes (null for anything else). */
export function requestAttributes(method: string, url: URL): Attributes | null {
  const parts = url.pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1]) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts[1] && parts[2]) {
    group = parts[1];
    rest = parts.slice(3);
  } else return null;
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const [resource = '', name = ''] = rest;
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const verb =
    method === 'GET' ? (watch ? 'watch' : name ? 'get' : 'list') : (verbs[method] ?? method.toLowerCase());
  return { verb, group, resource, namespace, name };
}

/** Kinds the fake serves lists of, by group/resource. */
const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  '/pods': { apiVersion: 'v1', kind: 'Pod' },
  '/services': { apiVersion: 'v1', kind: 'Service' },
  '/nodes': { apiVersion: 'v1', kind: 'Node' },
  'apps/replicasets': { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  '/namespaces': { apiVersion: 'v1', kind: 'Namespace' },
  'networking.k8s.io/networkpolicies': { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  'discovery.k8s.io/endpointslices': { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  'apps/deployments': { apiVersion: 'apps/v1', kind: 'Deployment' },
  'apps/statefulsets': { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  'apps/daemonsets': { apiVersion: 'apps/v1', kind: 'DaemonSet' },
};

/**
 * A Kubernetes API server reduced to what RBAC decides: every request is authorized against a
 * ClusterRole's rules the way the RBAC authorizer does, and refused with the API's own 403 Status
 * when no rule allows it. Allowed lists answer with the objects given (JSON, with a resourceVersion);
 * allowed watches stay open and quiet. Every request's attributes are recorded.
 */
export class RbacApiServer {
  readonly requests: (Attributes & { allowed: boolean })[] = [];
  url = '';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly rules: readonly PolicyRule[],
    private readonly user: string,
    private readonly objects: Record<string, object[]> = {},
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const a = requestAttributes(req.method ?? 'GET', url);
    if (!a) {
      this.status(res, 404, 'NotFound', `the server could not find the requested resource`);
      return;
    }
    const allowed = allows(this.rules, a);
    this.requests.push({ ...a, allowed });
    if (!allowed) {
      const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
      this.status(
        res,
        403,
        'Forbidden',
        `${a.resource}${a.group ? `.${a.group}` : ''} is forbidden: User "${this.user}" cannot ${a.verb} resource "${a.resource}" in API group "${a.group}" ${scope}`,
      );
      return;
    }
    const kind = KINDS[`${a.group}/${a.resource}`];
    if (!kind) {
      this.status(res, 404, 'NotFound', `the server could not find the requested resource`);
      return;
    }
    if (a.verb === 'watch') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      return;
    }
    if (a.verb === 'list') {
      const items = this.objects[`${a.group}/${a.resource}`] ?? [];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: kind.apiVersion,
          kind: `${kind.kind}List`,
          metadata: { resourceVersion: '1000' },
          items: items.map((o) => ({ apiVersion: kind.apiVersion, kind: kind.kind, ...o })),
        }),
      );
      return;
    }
    this.status(res, 405, 'MethodNotAllowed', `${a.verb} is not served here`);
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
      }),
    );
  }
}
