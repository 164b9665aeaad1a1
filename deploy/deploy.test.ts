import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../apps/server/src/config.js';
import { parseCollectorConfig } from '../packages/collector/src/config.js';
import { type KubeObject, objectRef } from './checks/kubeObject.js';
import { renderKustomization } from './checks/kustomize.js';
import { admits, covers, type NetworkPolicySpec } from './checks/networkPolicy.js';
import { type PodSecurityLevel, podSecurityViolations } from './checks/podSecurity.js';
import { validateObject } from './checks/validateObject.js';
import {
  allContainers,
  envValue,
  findContainer,
  findObject,
  isWorkload,
  parseMemory,
  podTemplate,
  resolvePort,
} from './checks/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const k8sDir = join(here, 'kubernetes');

/** Every kustomization Weft ships; each must render and validate on its own. */
const KUSTOMIZATIONS = [
  'base',
  'overlays/small',
  'overlays/large',
  'overlays/replicas',
  'monitoring',
] as const;
/** The ones that install Weft itself (the monitoring one only adds Prometheus Operator objects). */
const INSTALLS = ['base', 'overlays/small', 'overlays/large', 'overlays/replicas'] as const;

const rendered = new Map<string, KubeObject[]>();
function render(name: string): KubeObject[] {
  let objects = rendered.get(name);
  if (!objects) {
    objects = renderKustomization(join(k8sDir, name));
    rendered.set(name, objects);
  }
  return objects;
}

/** Exactly what the collector's informers read, and nothing more. */
const ALLOWED_CAPABILITIES = ['BPF', 'NET_ADMIN', 'PERFMON', 'SYS_RESOURCE'];
const ALLOWED_RBAC = [
  '/pods:get',
  '/pods:list',
  '/pods:watch',
  '/services:get',
  '/services:list',
  '/services:watch',
  '/nodes:get',
  '/nodes:list',
  '/nodes:watch',
  '/namespaces:get',
  '/namespaces:list',
  '/namespaces:watch',
  'apps/replicasets:get',
  'apps/replicasets:list',
  'apps/replicasets:watch',
  'apps/deployments:get',
  'apps/deployments:list',
  'apps/deployments:watch',
  'apps/statefulsets:get',
  'apps/statefulsets:list',
  'apps/statefulsets:watch',
  'apps/daemonsets:get',
  'apps/daemonsets:list',
  'apps/daemonsets:watch',
  'discovery.k8s.io/endpointslices:get',
  'discovery.k8s.io/endpointslices:list',
  'discovery.k8s.io/endpointslices:watch',
  'networking.k8s.io/networkpolicies:get',
  'networking.k8s.io/networkpolicies:list',
  'networking.k8s.io/networkpolicies:watch',
].sort();

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Each (group, resource, verb) a role grants, spelled `group/resource:verb`. */
function grants(rules: PolicyRule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) {
      for (const res of r.resources ?? []) for (const v of r.verbs) out.push(`${g}/${res}:${v}`);
    }
    for (const url of r.nonResourceURLs ?? []) for (const v of r.verbs) out.push(`nonResource:${url}:${v}`);
  }
  return out.sort();
}

describe.each(KUSTOMIZATIONS)('kubectl kustomize %s', (name) => {
  it('renders', () => {
    expect(render(name).length).toBeGreaterThan(0);
  });

  it('validates every object against the Kubernetes schemas, with no unknown fields', () => {
    const problems = render(name).flatMap(validateObject);
    expect(problems).toEqual([]);
  });

  it("puts the collector's objects in weft-node and the rest in weft, each name once", () => {
    const refs = render(name).map(objectRef);
    expect(new Set(refs).size).toBe(refs.length);
    for (const o of render(name)) {
      if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) continue;
      // The token Secret is generated once per namespace: a pod reads Secrets of its own only.
      if (o.kind === 'Secret') {
        expect(['weft', 'weft-node'], objectRef(o)).toContain(o.metadata.namespace);
        continue;
      }
      const collectorSide = o.metadata.labels?.['app.kubernetes.io/component'] === 'collector';
      expect(o.metadata.namespace, objectRef(o)).toBe(collectorSide ? 'weft-node' : 'weft');
    }
  });

  it("runs every pod under the runtime's default seccomp profile", () => {
    for (const o of render(name).filter(isWorkload)) {
      expect(podTemplate(o).spec.securityContext?.seccompProfile, objectRef(o)).toEqual({
        type: 'RuntimeDefault',
      });
    }
  });

  it('runs no workload privileged or with host PID/IPC, and lets none escalate', () => {
    for (const o of render(name).filter(isWorkload)) {
      const spec = podTemplate(o).spec;
      expect(spec.hostPID ?? false, objectRef(o)).toBe(false);
      expect(spec.hostIPC ?? false, objectRef(o)).toBe(false);
      for (const c of allContainers(spec)) {
        expect(c.securityContext?.privileged ?? false, `${objectRef(o)} ${c.name}`).toBe(false);
        expect(c.securityContext?.allowPrivilegeEscalation, `${objectRef(o)} ${c.name}`).toBe(false);
        expect(c.securityContext?.capabilities?.drop, `${objectRef(o)} ${c.name}`).toEqual(['ALL']);
        expect(c.securityContext?.readOnlyRootFilesystem, `${objectRef(o)} ${c.name}`).toBe(true);
      }
    }
  });

  it('grants nothing beyond get/list/watch on pods, services, nodes, namespaces, networkpolicies, endpointslices and apps workloads', () => {
    const objects = render(name);
    expect(objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toEqual([]);
    for (const role of objects.filter((o) => o.kind === 'ClusterRole')) {
      const rules = role.rules as PolicyRule[];
      for (const r of rules) expect(r.resourceNames, objectRef(role)).toBeUndefined();
      for (const g of grants(rules)) expect(ALLOWED_RBAC, `${objectRef(role)} grants ${g}`).toContain(g);
    }
  });
});

describe.each(INSTALLS)('%s installs Weft', (name) => {
  const objects = () => render(name);
  const collectorDs = () => findObject(objects(), 'DaemonSet', 'weft-collector');
  const collectorPod = () => podTemplate(collectorDs()).spec;
  const collector = () => findContainer(collectorPod(), 'collector');
  const serverDeploy = () => findObject(objects(), 'StatefulSet', 'weft');
  const serverPod = () => podTemplate(serverDeploy()).spec;
  const server = () => findContainer(serverPod(), 'server');

  it('the collector asks for no capability beyond BPF, NET_ADMIN, PERFMON, SYS_RESOURCE', () => {
    for (const c of allContainers(collectorPod())) {
      const sc = c.securityContext;
      expect(sc?.privileged).toBe(false);
      expect(sc?.capabilities?.drop).toEqual(['ALL']);
      for (const cap of sc?.capabilities?.add ?? []) expect(ALLOWED_CAPABILITIES).toContain(cap);
    }
    expect([...(collector().securityContext?.capabilities?.add ?? [])].sort()).toEqual(ALLOWED_CAPABILITIES);
  });

  it('the collector sees the node: host network, cluster DNS, every node tolerated', () => {
    const spec = collectorPod();
    expect(spec.hostNetwork).toBe(true);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(spec.tolerations).toContainEqual({ operator: 'Exists' });
  });

  it('the collector mounts only bpffs and the kernel BTF from the host, read-only', () => {
    const hostPaths = (collectorPod().volumes ?? []).filter((v) => v.hostPath);
    expect(hostPaths.map((v) => v.hostPath?.path).sort()).toEqual(['/sys/fs/bpf', '/sys/kernel/btf']);
    for (const v of hostPaths) {
      const mounts = allContainers(collectorPod()).flatMap((c) =>
        (c.volumeMounts ?? []).filter((m) => m.name === v.name),
      );
      expect(mounts.length).toBeGreaterThan(0);
      for (const m of mounts) {
        expect(m.mountPath).toBe(v.hostPath?.path);
        expect(m.readOnly).toBe(true);
      }
    }
  });

  it('the collector has requests, limits and probes on its metrics port, and is scraped there', () => {
    const c = collector();
    expect(c.resources?.requests?.cpu).toBeDefined();
    expect(c.resources?.requests?.memory).toBeDefined();
    const limit = parseMemory(c.resources?.limits?.memory ?? '');
    // Measured idle: ~100 MB Node + ~7 MB probe + ~22 MB BPF maps (charged to the container's cgroup).
    expect(limit).toBeGreaterThanOrEqual(1.5 * 130 * 1e6);
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
      expect(probe?.httpGet?.path).toBe('/metrics');
      expect(resolvePort(c, probe?.httpGet?.port ?? '')).toBe(10093);
    }
    expect(envValue(c, 'WEFT_METRICS_PORT')).toBe('10093');
    const annotations = podTemplate(collectorDs()).metadata?.annotations ?? {};
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(annotations['prometheus.io/port']).toBe('10093');
    expect(annotations['prometheus.io/path']).toBe('/metrics');
  });

  it('the collector names pods from the Kubernetes API with its own service account', () => {
    expect(envValue(collector(), 'WEFT_IDENTITY')).toBe('kubernetes');
    const nodeName = collector().env?.find((e) => e.name === 'WEFT_NODE_NAME');
    expect(nodeName?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    expect(envValue(collector(), 'WEFT_IFACE_PREFIX')?.split(',')).toEqual(
      expect.arrayContaining(['lxc', 'cali', 'veth', 'azv']),
    );
    expect(collectorPod().serviceAccountName).toBe('weft-collector');
    findObject(objects(), 'ServiceAccount', 'weft-collector');
    const binding = findObject(objects(), 'ClusterRoleBinding', 'weft-collector');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'weft-collector',
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'weft-collector', namespace: collectorDs().metadata.namespace },
    ]);
    expect(collectorDs().metadata.namespace).toBe('weft-node');
    const role = findObject(objects(), 'ClusterRole', 'weft-collector');
    expect(grants(role.rules as PolicyRule[])).toEqual(ALLOWED_RBAC);
  });

  it('the server runs as non-root on a read-only root, with no API token and no role', () => {
    const spec = serverPod();
    expect(spec.securityContext?.runAsNonRoot).toBe(true);
    expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    expect(spec.hostNetwork ?? false).toBe(false);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.volumes?.filter((v) => v.hostPath) ?? []).toEqual([]);
    const s = server();
    expect(s.securityContext?.capabilities).toEqual({ drop: ['ALL'] });
    expect(s.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(spec.serviceAccountName).toBe('weft-server');
    const bound = objects()
      .filter((o) => o.kind === 'ClusterRoleBinding')
      .flatMap((o) => (o.subjects as { name: string }[]) ?? []);
    expect(bound.map((s) => s.name)).not.toContain('weft-server');
  });

  it('the server keeps its history on a volume claim of its own, mounted where WEFT_DATA_DIR points', () => {
    const sts = serverDeploy().spec as { volumeClaimTemplates?: KubeObject[] };
    const claim = sts.volumeClaimTemplates?.find((c) => c.metadata.name === 'data');
    expect((claim?.spec as { accessModes?: string[] } | undefined)?.accessModes).toEqual(['ReadWriteOnce']);
    const mount = server().volumeMounts?.find((m) => m.name === 'data');
    expect(mount?.mountPath).toBeDefined();
    expect(envValue(server(), 'WEFT_DATA_DIR')).toBe(mount?.mountPath);
    expect(mount?.readOnly ?? false).toBe(false);
    // Writable by the server's group on a volume that starts owned by root.
    expect(serverPod().securityContext?.fsGroup).toBe(serverPod().securityContext?.runAsGroup);
  });

  it('the server listens on 0.0.0.0:8080 with /healthz and /readyz probes', () => {
    const s = server();
    expect(envValue(s, 'WEFT_HOST')).toBe('0.0.0.0');
    expect(envValue(s, 'WEFT_PORT')).toBe('8080');
    expect(s.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(s.readinessProbe?.httpGet?.path).toBe('/readyz');
    for (const p of [s.livenessProbe, s.readinessProbe]) {
      expect(resolvePort(s, p?.httpGet?.port ?? '')).toBe(8080);
    }
  });

  it('Service weft maps port 80 to the server pods on 8080, for browsers and the collectors of one replica', () => {
    const svc = findObject(objects(), 'Service', 'weft');
    const spec = svc.spec as {
      selector: Record<string, string>;
      ports: { port: number; targetPort: number | string }[];
    };
    const labels = podTemplate(serverDeploy()).metadata?.labels ?? {};
    for (const [k, v] of Object.entries(spec.selector)) expect(labels[k]).toBe(v);
    const collectorLabels = podTemplate(collectorDs()).metadata?.labels ?? {};
    const selectsCollector = Object.entries(spec.selector).every(([k, v]) => collectorLabels[k] === v);
    expect(selectsCollector).toBe(false);
    const port = spec.ports.find((p) => p.port === 80);
    expect(resolvePort(server(), port?.targetPort ?? '')).toBe(8080);
  });

  it('the collectors stream to every server replica: through Service weft with one, by pod name with more', () => {
    const sts = serverDeploy();
    const stsSpec = sts.spec as { replicas?: number; serviceName: string };
    const replicas = stsSpec.replicas ?? 1;
    const urls = (envValue(collector(), 'WEFT_SERVER_URL') ?? '').split(',').map((u) => new URL(u));
    for (const url of urls) {
      expect(url.protocol).toBe('ws:');
      expect(url.pathname).toBe('/api/v1/ingest');
    }
    if (replicas === 1) {
      expect(urls).toHaveLength(1);
      const svc = findObject(objects(), 'Service', 'weft');
      expect(urls[0]!.hostname.split('.').slice(0, 2)).toEqual([svc.metadata.name, svc.metadata.namespace]);
      expect(Number(urls[0]!.port || 80)).toBe(80);
      return;
    }
    // One URL per replica, each a pod's stable name under the StatefulSet's headless Service.
    const headless = findObject(objects(), 'Service', stsSpec.serviceName);
    const hs = headless.spec as {
      clusterIP?: string;
      selector: Record<string, string>;
      ports: { port: number; targetPort: number | string }[];
    };
    expect(hs.clusterIP).toBe('None');
    const labels = podTemplate(sts).metadata?.labels ?? {};
    for (const [k, v] of Object.entries(hs.selector)) expect(labels[k]).toBe(v);
    expect(urls.map((u) => u.hostname)).toEqual(
      Array.from(
        { length: replicas },
        (_, i) => `${sts.metadata.name}-${i}.${headless.metadata.name}.${headless.metadata.namespace}.svc`,
      ),
    );
    for (const url of urls) {
      const p = hs.ports.find((x) => x.port === Number(url.port || 80));
      expect(resolvePort(server(), p?.targetPort ?? ''), url.href).toBe(8080);
    }
  });

  it('collectors and server read the same ingest token, each from the generated Secret of its namespace', () => {
    const values: string[] = [];
    for (const w of [collectorDs(), serverDeploy()]) {
      const c = w === collectorDs() ? collector() : server();
      const ref = c.env?.find((e) => e.name === 'WEFT_INGEST_TOKEN')?.valueFrom?.secretKeyRef;
      expect(ref, objectRef(w)).toBeDefined();
      // The content hash in the name is what rolls both workloads when the token changes.
      expect(ref!.name).toMatch(/^weft-ingest-token-[a-z0-9]+$/);
      const secret = objects().find(
        (o) =>
          o.kind === 'Secret' &&
          o.metadata.name === ref!.name &&
          o.metadata.namespace === w.metadata.namespace,
      );
      expect(secret, `Secret ${ref!.name} in ${w.metadata.namespace}`).toBeDefined();
      values.push(
        Buffer.from((secret!.data as Record<string, string>)[ref!.key] ?? '', 'base64').toString('utf8'),
      );
    }
    expect(values[1]).toBe(values[0]);
    // The token travels in an HTTP header: no whitespace, no trailing newline from an editor.
    expect(values[0]).toMatch(/^\S+$/);
  });

  it("each pod meets the Pod Security level its namespace enforces, and the server's enforces restricted", () => {
    const enforced = (ns: string | undefined) =>
      findObject(objects(), 'Namespace', ns ?? '').metadata.labels?.['pod-security.kubernetes.io/enforce'] as
        | PodSecurityLevel
        | undefined;
    expect(enforced(serverDeploy().metadata.namespace)).toBe('restricted');
    expect(podSecurityViolations(serverPod(), 'restricted')).toEqual([]);
    for (const w of objects().filter(isWorkload)) {
      const level = enforced(w.metadata.namespace);
      expect(level, objectRef(w)).toBeDefined();
      expect(podSecurityViolations(podTemplate(w).spec, level!), objectRef(w)).toEqual([]);
    }
    // The collector needs `privileged` (host network, hostPath, BPF capabilities), so nothing else may
    // share its namespace.
    expect(podSecurityViolations(collectorPod(), 'baseline')).not.toEqual([]);
    expect(
      objects()
        .filter(isWorkload)
        .filter((w) => w.metadata.namespace === collectorDs().metadata.namespace)
        .map(objectRef),
    ).toEqual([objectRef(collectorDs())]);
  });

  it('the collector serves /metrics on its pod IP (the node address), where probes and Prometheus reach it', () => {
    const host = collector().env?.find((e) => e.name === 'WEFT_METRICS_HOST');
    expect(host?.valueFrom?.fieldRef?.fieldPath).toBe('status.podIP');
    // The kubelet probes the pod IP when a probe names no host.
    for (const probe of [collector().startupProbe, collector().livenessProbe, collector().readinessProbe])
      expect((probe?.httpGet as { host?: string } | undefined)?.host).toBeUndefined();
  });

  it('says out loud that ingest is plain ws:// inside the cluster, and only then', () => {
    const url = new URL(envValue(collector(), 'WEFT_SERVER_URL') ?? '');
    expect(url.protocol).toBe('ws:');
    expect(envValue(collector(), 'WEFT_ALLOW_INSECURE')).toBe('1');
  });

  it('lets only collectors, Prometheus and labelled dashboard clients reach the server, and nothing out', () => {
    const policies = objects().filter((o) => o.kind === 'NetworkPolicy');
    const serverLabels = podTemplate(serverDeploy()).metadata?.labels ?? {};
    const policy = policies.find((p) => covers(p, serverDeploy().metadata.namespace ?? '', serverLabels));
    expect(policy, 'a NetworkPolicy covering the server pods').toBeDefined();
    const spec = policy!.spec as NetworkPolicySpec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.egress ?? []).toEqual([]);
    // It must not cover the collector (host network: policies do not apply there anyway).
    expect(
      covers(
        policy!,
        collectorDs().metadata.namespace ?? '',
        podTemplate(collectorDs()).metadata?.labels ?? {},
      ),
    ).toBe(false);
    // Every rule names the server's port, by the container port's name.
    for (const rule of spec.ingress ?? []) {
      expect(rule.ports?.length).toBeGreaterThan(0);
      for (const p of rule.ports ?? []) expect(resolvePort(server(), p.port ?? '')).toBe(8080);
      expect(rule.from?.length, 'a rule without `from` admits everyone').toBeGreaterThan(0);
    }
    const port = 'http';
    const collectorSource = {
      namespace: collectorDs().metadata.namespace ?? '',
      podLabels: podTemplate(collectorDs()).metadata?.labels ?? {},
    };
    expect(admits(policy!, collectorSource, port)).toBe(true);
    expect(
      admits(
        policy!,
        { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        port,
      ),
    ).toBe(true);
    expect(
      admits(policy!, { namespace: 'ingress', podLabels: { 'weft.dev/dashboard-client': 'true' } }, port),
    ).toBe(true);
    // The collector's labels outside weft-node, other pods in weft-node, and any other pod: refused.
    expect(admits(policy!, { ...collectorSource, namespace: 'shop' }, port)).toBe(false);
    expect(admits(policy!, { namespace: 'weft-node', podLabels: { app: 'debug' } }, port)).toBe(false);
    expect(admits(policy!, { namespace: 'weft', podLabels: { app: 'debug' } }, port)).toBe(false);
    expect(admits(policy!, { namespace: 'shop', podLabels: { app: 'frontend' } }, port)).toBe(false);
  });

  it('gives the server a memory budget inside its V8 heap', () => {
    const budget = Number(envValue(server(), 'WEFT_MEMORY_BUDGET_MB'));
    const heap = Number(/--max-old-space-size=(\d+)/.exec(envValue(server(), 'NODE_OPTIONS') ?? '')?.[1]);
    expect(budget).toBeGreaterThanOrEqual(64);
    expect(budget).toBeLessThanOrEqual(heap * 0.6);
  });

  it('keeps each Node heap well inside its container memory limit', () => {
    for (const c of [collector(), server()]) {
      const heap = /--max-old-space-size=(\d+)/.exec(envValue(c, 'NODE_OPTIONS') ?? '');
      expect(heap, c.name).not.toBeNull();
      const limit = parseMemory(c.resources?.limits?.memory ?? '');
      expect(Number(heap![1]) * 2 ** 20, c.name).toBeLessThanOrEqual(limit * 0.8);
    }
  });
});

describe('overlays', () => {
  const collectorOf = (name: string) =>
    findContainer(podTemplate(findObject(render(name), 'DaemonSet', 'weft-collector')).spec, 'collector');
  const serverOf = (name: string) =>
    findContainer(podTemplate(findObject(render(name), 'StatefulSet', 'weft')).spec, 'server');

  it("leaves the server's container room beyond its heap for what is not heap", () => {
    // The 10-minute soaks (bench/server/RESULTS.md) saw the server's RSS reach 117 and 132 MiB over
    // its 384 MiB old space: young space, code, socket buffers. Half as much again beyond that.
    for (const s of ['base', 'overlays/small', 'overlays/large'].map(serverOf)) {
      const heap = Number(/--max-old-space-size=(\d+)/.exec(envValue(s, 'NODE_OPTIONS') ?? '')?.[1]);
      const limit = parseMemory(s.resources?.limits?.memory ?? '');
      expect(limit - heap * 2 ** 20, s.name).toBeGreaterThanOrEqual(192 * 2 ** 20);
    }
  });

  it('large gives the server a larger history volume than small', () => {
    const storage = (name: string) => {
      const sts = findObject(render(name), 'StatefulSet', 'weft').spec as {
        volumeClaimTemplates?: { spec: { resources: { requests: { storage: string } } } }[];
      };
      return parseMemory(sts.volumeClaimTemplates?.[0]?.spec.resources.requests.storage ?? '');
    };
    expect(storage('overlays/small')).toBeGreaterThanOrEqual(2 ** 30);
    expect(storage('overlays/large')).toBeGreaterThan(storage('overlays/small'));
  });

  it('small labels metrics per pod; large per workload', () => {
    expect(envValue(collectorOf('overlays/small'), 'WEFT_METRICS_LEVEL')).toBe('pod');
    expect(envValue(collectorOf('overlays/large'), 'WEFT_METRICS_LEVEL')).toBe('workload');
  });

  it('large gives the server more series, memory and memory budget than small', () => {
    const [small, large] = [serverOf('overlays/small'), serverOf('overlays/large')];
    expect(Number(envValue(large, 'WEFT_MEMORY_BUDGET_MB'))).toBeGreaterThan(
      Number(envValue(small, 'WEFT_MEMORY_BUDGET_MB')),
    );
    expect(Number(envValue(large, 'WEFT_MAX_SERIES'))).toBeGreaterThan(
      Number(envValue(small, 'WEFT_MAX_SERIES')),
    );
    expect(parseMemory(large.resources?.limits?.memory ?? '')).toBeGreaterThan(
      parseMemory(small.resources?.limits?.memory ?? ''),
    );
  });

  it('change only settings: the same objects as the base, under the same names', () => {
    const names = (objects: KubeObject[]) => objects.map(objectRef).sort();
    expect(names(render('overlays/small'))).toEqual(names(render('base')));
    expect(names(render('overlays/large'))).toEqual(names(render('base')));
    // The replicated install adds only the disruption budget that keeps one replica up.
    expect(names(render('overlays/replicas'))).toEqual(
      [
        ...names(render('base')),
        objectRef(findObject(render('overlays/replicas'), 'PodDisruptionBudget', 'weft')),
      ].sort(),
    );
  });

  it('runs one server by default, two in overlays/replicas, each collector streaming to both', () => {
    const replicasOf = (name: string) =>
      (findObject(render(name), 'StatefulSet', 'weft').spec as { replicas?: number }).replicas;
    for (const name of ['base', 'overlays/small', 'overlays/large']) expect(replicasOf(name), name).toBe(1);
    expect(replicasOf('overlays/replicas')).toBe(2);
    const env = Object.fromEntries(
      (collectorOf('overlays/replicas').env ?? []).flatMap((e) =>
        e.value === undefined ? [] : [[e.name, e.value]],
      ),
    );
    const parsed = parseCollectorConfig(['--node', 'node-a'], { ...env, WEFT_INGEST_TOKEN: 'x'.repeat(32) });
    if (parsed.kind !== 'config')
      throw new Error(
        `the collector refuses overlays/replicas: ${parsed.kind === 'error' ? parsed.message : ''}`,
      );
    expect(parsed.config.servers.map((t) => new URL(t.url).hostname)).toEqual([
      'weft-0.weft-headless.weft.svc',
      'weft-1.weft-headless.weft.svc',
    ]);
  });

  it('replicas: a disruption budget keeps one server up, and the two prefer different nodes', () => {
    const objects = render('overlays/replicas');
    const sts = findObject(objects, 'StatefulSet', 'weft');
    const pdb = findObject(objects, 'PodDisruptionBudget', 'weft').spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(pdb.minAvailable).toBe(1);
    const labels = podTemplate(sts).metadata?.labels ?? {};
    for (const [k, v] of Object.entries(pdb.selector.matchLabels)) expect(labels[k]).toBe(v);
    const anti = (podTemplate(sts).spec as { affinity?: { podAntiAffinity?: unknown } }).affinity
      ?.podAntiAffinity;
    expect(JSON.stringify(anti)).toContain('kubernetes.io/hostname');
  });
});

describe('the README', () => {
  const readme = readFileSync(join(here, 'README.md'), 'utf8');

  /** The body of the README's `cat > FILE <<'EOF'` heredoc. */
  function heredoc(file: string): string {
    const m = new RegExp(`cat > ${file.replace('.', '\\.')} <<'EOF'\\n([\\s\\S]*?)\\nEOF\\n`).exec(readme);
    if (!m) throw new Error(`the README writes no ${file}`);
    return `${m[1]}\n`;
  }

  /** Runs `body` in a scratch directory laid out as the README assumes: ./weft is this checkout. */
  function inScratch(body: (installDir: string) => void): void {
    const dir = mkdtempSync(join(tmpdir(), 'weft-deploy-readme-'));
    try {
      symlinkSync(join(here, '..'), join(dir, 'weft'));
      mkdirSync(join(dir, 'weft-install'));
      body(join(dir, 'weft-install'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The line of the README that appends `key:` to kustomization.yaml, as the text it appends. */
  function appended(key: string): string {
    const printf = new RegExp(`printf '(${key}:[^']*)' >> kustomization\\.yaml`).exec(readme)?.[1];
    if (!printf) throw new Error(`the README appends no ${key}: to kustomization.yaml`);
    return printf.replaceAll('\\n', '\n');
  }

  /** The README's install directory: a fresh token, the nodes' NetworkPolicy patch, its kustomization. */
  function install(dir: string, token: string, extra = ''): void {
    writeFileSync(join(dir, 'ingest-token'), token);
    writeFileSync(join(dir, 'nodes-network-policy.yaml'), heredoc('nodes-network-policy.yaml'));
    writeFileSync(join(dir, 'kustomization.yaml'), heredoc('kustomization.yaml') + extra);
  }

  it('installs with your own token and images, replacing the placeholder in both namespaces', () => {
    const placeholder = readFileSync(join(k8sDir, 'base', 'ingest-token'), 'utf8');
    expect(readme).toContain(placeholder.trim());
    inScratch((dir) => {
      // What the README's `openssl rand -hex 32 | tr -d '\n'` writes.
      expect(readme).toContain("openssl rand -hex 32 | tr -d '\\n' > ingest-token");
      const token = randomBytes(32).toString('hex');
      install(dir, token);
      const objects = renderKustomization(dir);

      const secrets = objects.filter((o) => o.kind === 'Secret');
      expect(secrets.map((o) => o.metadata.namespace).sort()).toEqual(['weft', 'weft-node']);
      for (const secret of secrets) {
        const value = Buffer.from((secret.data as Record<string, string>).token ?? '', 'base64').toString();
        expect(value, objectRef(secret)).toBe(token);
      }
      for (const o of objects.filter(isWorkload)) {
        for (const c of podTemplate(o).spec.containers) {
          const ref = c.env?.find((e) => e.name === 'WEFT_INGEST_TOKEN')?.valueFrom?.secretKeyRef;
          const own = secrets.find((x) => x.metadata.namespace === o.metadata.namespace);
          expect(ref?.name, objectRef(o)).toBe(own?.metadata.name);
          expect(c.image, objectRef(o)).toMatch(/^registry\.example\.com\/weft\/(collector|server):0\.1\.0$/);
        }
      }
      // The nodes' range joins the collectors' rule, and only that one.
      const policy = findObject(objects, 'NetworkPolicy', 'weft').spec as NetworkPolicySpec;
      const blocks = (policy.ingress ?? []).map((r) =>
        (r.from ?? []).filter((p) => p.ipBlock).map((p) => p.ipBlock),
      );
      expect(blocks[0]).toEqual([{ cidr: '10.224.0.0/16' }]);
      // Rule 0, where the patch adds it, is the collectors' rule.
      expect(policy.ingress?.[0]?.from?.[0]?.namespaceSelector?.matchLabels).toEqual({
        'kubernetes.io/metadata.name': 'weft-node',
      });
      expect(blocks.slice(1).flat()).toEqual([]);
      expect(readme).toContain('.status.addresses[?(@.type=="InternalIP")].address');
    });
  });

  it('excludes namespaces from the metrics with the patch it shows', () => {
    inScratch((dir) => {
      writeFileSync(join(dir, 'exclude-namespaces.yaml'), heredoc('exclude-namespaces.yaml'));
      install(dir, 'x'.repeat(32), appended('patchesStrategicMerge'));
      const ds = findObject(renderKustomization(dir), 'DaemonSet', 'weft-collector');
      const c = findContainer(podTemplate(ds).spec, 'collector');
      expect(envValue(c, 'WEFT_METRICS_EXCLUDE_NAMESPACES')).toBe('kube-system,monitoring');
      expect(envValue(c, 'WEFT_METRICS_LEVEL')).toBe('pod');
    });
  });

  it('serves ingest over TLS with the component it shows, and the Secret and ConfigMap it creates', () => {
    inScratch((dir) => {
      install(dir, 'x'.repeat(32), appended('components'));
      const objects = renderKustomization(dir);
      const serverDeploy = findObject(objects, 'StatefulSet', 'weft');
      const server = findContainer(podTemplate(serverDeploy).spec, 'server');
      const cert = envValue(server, 'WEFT_TLS_CERT_FILE') ?? '';
      const key = envValue(server, 'WEFT_TLS_KEY_FILE') ?? '';
      const tlsVolume = podTemplate(serverDeploy).spec.volumes?.find(
        (v) => (v.secret as { secretName?: string } | undefined)?.secretName === 'weft-server-tls',
      );
      const tlsMount = server.volumeMounts?.find((m) => m.name === tlsVolume?.name);
      expect(tlsMount?.readOnly).toBe(true);
      expect([cert, key]).toEqual([`${tlsMount?.mountPath}/tls.crt`, `${tlsMount?.mountPath}/tls.key`]);
      for (const probe of [server.livenessProbe, server.readinessProbe])
        expect((probe?.httpGet as { scheme?: string } | undefined)?.scheme).toBe('HTTPS');

      const ds = findObject(objects, 'DaemonSet', 'weft-collector');
      const collector = findContainer(podTemplate(ds).spec, 'collector');
      const url = new URL(envValue(collector, 'WEFT_SERVER_URL') ?? '');
      expect(url.protocol).toBe('wss:');
      expect(url.hostname).toBe('weft.weft.svc');
      expect(envValue(collector, 'WEFT_ALLOW_INSECURE')).toBeUndefined();
      const caVolume = podTemplate(ds).spec.volumes?.find(
        (v) => (v.configMap as { name?: string } | undefined)?.name === 'weft-server-ca',
      );
      const caMount = collector.volumeMounts?.find((m) => m.name === caVolume?.name);
      expect(envValue(collector, 'WEFT_SERVER_CA_FILE')).toBe(`${caMount?.mountPath}/ca.crt`);

      const svc = findObject(objects, 'Service', 'weft').spec as {
        ports: { port: number; targetPort: string }[];
      };
      const port = svc.ports.find((p) => p.port === Number(url.port || 443));
      expect(resolvePort(server, port?.targetPort ?? '')).toBe(8080);
      // Both sides accept what the component gives them: HTTPS on the server, wss:// without the override.
      const serverEnv = Object.fromEntries(
        (server.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]),
      );
      const cfg = parseServerConfig({ ...serverEnv, WEFT_INGEST_TOKEN: 'x'.repeat(32) });
      expect([cfg.tlsCertFile, cfg.tlsKeyFile]).toEqual([cert, key]);
      const collectorEnv = Object.fromEntries(
        (collector.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]),
      );
      const parsed = parseCollectorConfig([], {
        ...collectorEnv,
        WEFT_NODE_NAME: 'n1',
        WEFT_METRICS_HOST: '10.224.0.4',
        WEFT_INGEST_TOKEN: 'x'.repeat(32),
      });
      expect(parsed.kind, JSON.stringify(parsed)).toBe('config');

      // The README creates exactly what the component mounts, in the namespaces that mount them.
      expect(readme).toContain(
        'kubectl -n weft create secret tls weft-server-tls --cert=tls.crt --key=tls.key',
      );
      expect(readme).toContain('kubectl -n weft-node create configmap weft-server-ca --from-file=ca.crt');
      expect(readme).toMatch(/subjectAltName=DNS:weft\.weft\.svc,/);
    });
  });

  it('puts the history on an emptyDir with the component it shows', () => {
    inScratch((dir) => {
      const line = /printf '(components:[^']*history-emptydir[^']*)' >> kustomization\.yaml/.exec(
        readme,
      )?.[1];
      expect(line).toBeDefined();
      install(dir, 'x'.repeat(32), line!.replaceAll('\\n', '\n'));
      const sts = findObject(renderKustomization(dir), 'StatefulSet', 'weft');
      expect((sts.spec as { volumeClaimTemplates?: unknown[] }).volumeClaimTemplates).toBeUndefined();
      const pod = podTemplate(sts).spec;
      const data = pod.volumes?.find((v) => v.name === 'data');
      expect(data?.emptyDir).toBeDefined();
      const server = findContainer(pod, 'server');
      expect(envValue(server, 'WEFT_DATA_DIR')).toBe(
        server.volumeMounts?.find((m) => m.name === 'data')?.mountPath,
      );
      expect(validateObject(sts)).toEqual([]);
    });
  });

  it('names only files that exist, and the port-forward that opens the dashboard', () => {
    for (const m of readme.matchAll(/deploy\/([\w./-]+[\w])/g)) {
      expect(existsSync(join(here, m[1]!)), m[0]).toBe(true);
    }
    expect(readme).toContain('kubectl -n weft port-forward svc/weft 8080:80');
  });
});
