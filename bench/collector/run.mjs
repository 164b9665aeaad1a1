#!/usr/bin/env node
/**
 * Collector CPU and memory under synthetic load (see collectorProcess.mjs):
 *   node bench/collector/run.mjs [--seconds 30] [--warmup 10] [--loads 1|2|3|1,3] [--bundle]
 *     [--node-flags="..."]... [--compare <checkout>] [--rounds N] [--cli] [--kubernetes]
 *     [--servers 1,2,2down] [--compat on,off] [--together]
 * Builds the compiled packages (what production runs), then for each load (1: 1,000 flows + 10 DNS/s,
 * 2: the same in Kubernetes identity mode, 3: 20,000 flows + 10 DNS/s) starts a collector process,
 * lets it warm up, and reads its CPU time and RSS from /proc while a WebSocket sink acknowledges its
 * batches and /metrics is scraped every 5 s.
 *
 * Kubernetes identity (load 2, or every load with --kubernetes): the collector runs
 * `--identity kubernetes` and finds its cluster through KUBECONFIG, which points at a fake API server
 * in this process (packages/collector/src/fixtures/fakeKubeApi.ts: the real list/watch wire format)
 * over HTTPS holding 10 nodes, 100 ReplicaSets, 50 Services and 200 pods (100 on the collector's node, the ones
 * it lists and watches), one pod modified every 2 s. Pod and node objects are of a real cluster's size
 * (spec, status, managedFields): a client that keeps whole objects pays for them.
 *
 * Node flags: without --node-flags, the collector's own (COLLECTOR_V8_FLAGS in
 * packages/collector/src/v8Flags.ts: what `weft collector` and the DaemonSet start Node with);
 * --node-flags= (empty) for Node's defaults.
 * --cli: the collector process also loads what `weft collector` loads before the collector (the CLI
 * entry's static imports and its collector command), so the module cost of the launch path counts.
 *
 * Side by side: each --node-flags (repeatable; "" is default flags) and, with --compare (repeatable),
 * other checkouts of the repository (a git worktree of an older commit, node_modules linked) make variants.
 * Every round measures every variant once, in an order rotated each round, so that the other load on
 * the machine falls on all of them alike; the summary gives medians and ratios to the first variant
 * (the first --compare checkout when given), and each variant's difference to the first, round by round
 * (median and range). --together runs a round's variants at the same time instead, each with its own
 * sink: the machine's other load then falls on all of them alike, and the round-by-round difference
 * is a paired figure (on a 2-vCPU machine with other work, sequential rounds of the same code differ
 * by more than the 0.3% of a core being measured).
 *
 * --servers: what WEFT_SERVER_URL lists, each a variant: `1` (one sink), `2` (two sinks, both
 * acknowledging: two server replicas), `2down` (the second URL a closed port: a replica that is away,
 * its spool filling to its bound). The flows/s column counts what the first sink received.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 30);
// Node flags for the collector process, e.g. --node-flags=--max-semi-space-size=2; repeatable.
const FLAG_SETS = process.argv
  .filter((a) => a.startsWith('--node-flags='))
  .map((a) => a.slice('--node-flags='.length).split(' ').filter(Boolean));
// Other checkouts to run beside this one (repeatable).
const COMPARE = process.argv.flatMap((a, i) => (a === '--compare' ? [process.argv[i + 1]] : []));
const ROUNDS = arg('rounds', 1);
const WARMUP = arg('warmup', 10);
const root = fileURLToPath(new URL('../../', import.meta.url));
const TCK = 100; // USER_HZ on Linux

// --bundle: run the collector as one minified esbuild bundle (how an image could ship it) instead of
// the compiled packages with their node_modules.
const BUNDLE = process.argv.includes('--bundle');
const CLI = process.argv.includes('--cli');
const KUBERNETES = process.argv.includes('--kubernetes');

const trees = COMPARE.map((c) => ({ name: basename(c), root: realpathSync(c) }));
trees.push({ name: 'this', root });
const PACKAGES = ['packages/protocol', 'packages/bpf', 'packages/collector'];
// The CLI imports the lab and the server (its other commands), which must be built for it to load.
if (CLI) PACKAGES.push('packages/lab', 'apps/server', 'apps/cli');
for (const t of trees)
  for (const pkg of PACKAGES) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(t.root, `${pkg}/tsconfig.build.json`)],
      { stdio: 'inherit' },
    );
  }

const dir = mkdtempSync(join(os.tmpdir(), 'wco-bench-'));
const processEntry = join(root, 'bench/collector/collectorProcess.mjs');
for (const t of trees) {
  // The same synthetic source for every tree; only the collector module it drives differs.
  t.module = join(t.root, 'packages/collector/dist/index.js');
  if (BUNDLE) {
    // esbuild comes with tsx (a root devDependency); resolved from there rather than declared again.
    const fromTsx = createRequire(realpathSync(join(root, 'node_modules/tsx/package.json')));
    const esbuild = fromTsx('esbuild');
    await esbuild.build({
      entryPoints: [join(t.root, 'packages/collector/dist/index.js')],
      outfile: join(dir, `${t.name}.collector.mjs`),
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    });
    t.module = join(dir, `${t.name}.collector.mjs`);
  }
}
if (FLAG_SETS.length === 0) {
  const { COLLECTOR_V8_FLAGS } = await import(join(root, 'packages/collector/dist/v8Flags.js'));
  FLAG_SETS.push([...COLLECTOR_V8_FLAGS]);
}
const SERVER_SETS = (
  process.argv.includes('--servers') ? process.argv[process.argv.indexOf('--servers') + 1] : '1'
).split(',');
for (const s of SERVER_SETS)
  if (!['1', '2', '2down'].includes(s))
    throw new Error(`--servers: ${JSON.stringify(s)} is not 1, 2 or 2down`);
// --compat on,off: the AKS add-on's families (--metrics-compat) as variants; absent: the default.
const COMPAT_SETS = process.argv.includes('--compat')
  ? process.argv[process.argv.indexOf('--compat') + 1].split(',')
  : [''];
for (const c of COMPAT_SETS)
  if (!['', 'on', 'off'].includes(c)) throw new Error(`--compat: ${JSON.stringify(c)} is not on or off`);
const variants = trees.flatMap((t) =>
  FLAG_SETS.flatMap((flags) =>
    SERVER_SETS.flatMap((servers) =>
      COMPAT_SETS.map((compat) => ({
        ...t,
        flags,
        servers,
        compat,
        label: `${t.name}${flags.length ? ` ${flags.join(' ')}` : ''}${SERVER_SETS.length > 1 || servers !== '1' ? ` servers=${servers}` : ''}${compat ? ` compat=${compat}` : ''}`,
      })),
    ),
  ),
);
const ip = (i) => `10.${200 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
const inventory = {
  version: 1,
  nodes: [
    { name: 'bench-node', ips: ['192.168.77.1'] },
    { name: 'bench-other', ips: ['192.168.77.2'] },
  ],
  pods: Array.from({ length: 500 }, (_, i) => ({
    name: `app${i % 50}-${i}`,
    namespace: `ns${i % 10}`,
    ips: [ip(i)],
    node: i < 100 ? 'bench-node' : 'bench-other',
    workloadKind: 'Deployment',
    workload: `app${i % 50}`,
    labels: { app: `app${i % 50}` },
  })),
  services: Array.from({ length: 50 }, (_, i) => ({
    name: `app${i}`,
    namespace: `ns${i % 10}`,
    clusterIPs: [`10.96.0.${i + 1}`],
    ports: [{ port: 80, protocol: 'TCP' }],
    selector: { app: `app${i}` },
  })),
};
const invFile = join(dir, 'inventory.json');
writeFileSync(invFile, JSON.stringify(inventory));

/** A fake API server with a small cluster in it, and a kubeconfig for it (load 2, --kubernetes). */
async function startKubeApi() {
  // The fixture is TypeScript; tsx (a root devDependency) loads it.
  const { tsImport } = await import('tsx/esm/api');
  const { FakeKubeApi } = await tsImport(
    join(root, 'packages/collector/src/fixtures/fakeKubeApi.ts'),
    import.meta.url,
  );
  // HTTPS, as in a cluster (TLS buffers and state count in the collector's memory), with a
  // self-signed certificate for 127.0.0.1 that the kubeconfig names as the cluster's CA.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'api.key'),
      '-out',
      join(dir, 'api.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  const cert = readFileSync(join(dir, 'api.crt'), 'utf8');
  const api = new FakeKubeApi({ tls: { cert, key: readFileSync(join(dir, 'api.key'), 'utf8') } });
  await api.start();
  const nodeNames = ['bench-node', ...Array.from({ length: 9 }, (_, i) => `bench-other-${i}`)];
  for (const [i, name] of nodeNames.entries())
    api.put('/api/v1/nodes', benchNode(name, `192.168.77.${i + 1}`));
  for (let a = 0; a < 50; a++) {
    for (const rev of ['5d8f7c', '7f9c4b']) api.put('/apis/apps/v1/replicasets', benchReplicaSet(a, rev));
    api.put('/api/v1/services', {
      metadata: { name: `app${a}`, namespace: `ns${a % 10}`, uid: `svc-${a}` },
      spec: {
        clusterIP: `10.96.0.${a + 1}`,
        clusterIPs: [`10.96.0.${a + 1}`],
        selector: { app: `app${a}` },
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
        type: 'ClusterIP',
      },
    });
  }
  // Pods 0-99 on the collector's node (the flows' sources), 100-199 elsewhere.
  const pods = Array.from({ length: 200 }, (_, i) =>
    benchPod(i, i < 100 ? 'bench-node' : nodeNames[1 + (i % 9)]),
  );
  for (const p of pods) api.put('/api/v1/pods', p);
  let tick = 0;
  const churn = setInterval(() => {
    const p = pods[tick++ % 100];
    api.put('/api/v1/pods', {
      ...p,
      metadata: { ...p.metadata, labels: { ...p.metadata.labels, tick: String(tick) } },
    });
  }, 2000);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: bench',
      'clusters:',
      `- name: bench\n  cluster:\n    server: ${api.url}\n    certificate-authority-data: ${Buffer.from(cert).toString('base64')}`,
      'users:',
      '- name: bench\n  user:\n    token: wco-token',
      'contexts:',
      '- name: bench\n  context:\n    cluster: bench\n    user: bench',
      '',
    ].join('\n'),
  );
  return {
    api,
    kubeconfig,
    async stop() {
      clearInterval(churn);
      await api.stop();
    },
  };
}

const managedFields = (manager) => [
  {
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-27T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': {} } },
  },
];

function benchPod(i, nodeName) {
  const a = i % 50;
  const rs = `app${a}-${i % 100 < 50 ? '5d8f7c' : '7f9c4b'}`;
  return {
    metadata: {
      name: `${rs}-${String(i).padStart(5, 'x')}`,
      namespace: `ns${a % 10}`,
      uid: `pod-uid-${i}`,
      labels: { app: `app${a}`, 'pod-template-hash': rs.slice(-6) },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T09:00:00Z' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-uid-${rs}`, controller: true },
      ],
      managedFields: managedFields('kube-controller-manager'),
      creationTimestamp: '2026-11-27T09:00:00Z',
    },
    spec: {
      nodeName,
      serviceAccountName: 'default',
      containers: [
        {
          name: 'app',
          image: `registry.invalid/app${a}:1.${i % 7}`,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: Array.from({ length: 8 }, (_, k) => ({ name: `SETTING_${k}`, value: `value-${k}-${a}` })),
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
          volumeMounts: [
            { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          ],
        },
      ],
      volumes: [
        { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      ],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
    },
    status: {
      phase: 'Running',
      podIP: ip(i),
      podIPs: [{ ip: ip(i) }],
      hostIP: '192.168.77.1',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2026-11-27T09:00:05Z',
      })),
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          image: `registry.invalid/app${a}:1.${i % 7}`,
          imageID: `registry.invalid/app${a}@sha256:${'0'.repeat(64)}`,
          containerID: `containerd://${String(i).padStart(64, '0')}`,
          state: { running: { startedAt: '2026-11-27T09:00:03Z' } },
        },
      ],
    },
  };
}

function benchReplicaSet(a, rev) {
  const name = `app${a}-${rev}`;
  return {
    metadata: {
      name,
      namespace: `ns${a % 10}`,
      uid: `rs-uid-${name}`,
      labels: { app: `app${a}`, 'pod-template-hash': rev },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: `app${a}`, uid: `dep-${a}`, controller: true },
      ],
      managedFields: managedFields('kube-controller-manager'),
    },
    spec: { replicas: 2, selector: { matchLabels: { app: `app${a}`, 'pod-template-hash': rev } } },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
}

function benchNode(name, address) {
  return {
    metadata: {
      name,
      uid: `node-uid-${name}`,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'Standard_D4s_v5',
      },
      managedFields: managedFields('kubelet'),
    },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      addresses: [
        { type: 'InternalIP', address },
        { type: 'Hostname', address: name },
      ],
      capacity: { cpu: '4', memory: '16374584Ki', pods: '110' },
      allocatable: { cpu: '3860m', memory: '12880184Ki', pods: '110' },
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
        type,
        status: type === 'Ready' ? 'True' : 'False',
        lastHeartbeatTime: '2026-11-27T10:00:00Z',
      })),
      // Nodes list the images they hold: the bulk of a real Node object.
      images: Array.from({ length: 30 }, (_, k) => ({
        names: [`registry.invalid/image${k}@sha256:${'1'.repeat(64)}`, `registry.invalid/image${k}:1.0`],
        sizeBytes: 50_000_000 + k,
      })),
      nodeInfo: {
        kubeletVersion: 'v1.31.2',
        containerRuntimeVersion: 'containerd://1.7.23',
        osImage: 'Ubuntu 22.04.5 LTS',
      },
    },
  };
}

/** A sink acknowledging every batch; the flows it receives go into `counter.received` (when given). */
async function startSink(counter) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'hello')
        ws.send(
          JSON.stringify({ type: 'welcome', protocol: m.protocol, serverVersion: 'bench', lastSeq: -1 }),
        );
      else {
        // Protocol 1 sends flows as records, protocol 2 as columns.
        if (counter) counter.received += Array.isArray(m.flows) ? m.flows.length : m.flows.ts.length;
        ws.send(JSON.stringify({ type: 'ack', seq: m.seq }));
      }
    });
  });
  return wss;
}
const sinkUrl = (port) => `ws://127.0.0.1:${port}/api/v1/ingest`;
// A port nothing listens on: a replica that is away (connection refused, reconnect with backoff).
const downPort = await new Promise((resolve) => {
  const probe = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  probe.once('listening', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
/** A sink (and a second one for `--servers 2`) counting what it receives; one per variant with --together. */
async function startSinks() {
  const counter = { received: 0 };
  const wss = await startSink(counter);
  const wss2 = SERVER_SETS.includes('2') ? await startSink(null) : null;
  const url = sinkUrl(wss.address().port);
  return {
    counter,
    urls: {
      1: url,
      2: wss2 ? `${url},${sinkUrl(wss2.address().port)}` : '',
      '2down': `${url},${sinkUrl(downPort)}`,
    },
    close() {
      wss.close();
      wss2?.close();
    },
  };
}
// --together: the variants of a round run at the same time, each with its own sink, so that whatever
// else the machine does falls on all of them alike (their difference is then a paired figure).
const TOGETHER = process.argv.includes('--together');
const sinks = await Promise.all((TOGETHER ? variants : [null]).map(() => startSinks()));

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(f[11]) + Number(f[12])) / TCK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
  // RSS counts the node binary's mapped pages (file-backed, shared, reclaimable); RssAnon is the process's own.
  const anon = Number(/RssAnon:\s+(\d+)/.exec(status)[1]) * 1024;
  return { cpu, rss, anon };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Stopped early (Ctrl-C, timeout): take the collector processes and the scratch directory along.
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });

async function measure(variant, flows, dnsPerSec, k8s, sink) {
  const { counter } = sink;
  const kubeRequests0 = kube?.api.requests.length ?? 0;
  const child = spawn(
    process.execPath,
    [
      ...variant.flags,
      processEntry,
      String(flows),
      String(dnsPerSec),
      sink.urls[variant.servers],
      invFile,
      k8s ? 'kubernetes' : '',
      variant.module,
      CLI ? join(variant.root, 'apps/cli/dist') : '',
      variant.compat,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: k8s ? { ...process.env, KUBECONFIG: kube.kubeconfig } : process.env,
    },
  );
  running.add(child);
  const metricsUrl = await new Promise((resolve) =>
    child.stdout.once('data', (d) => resolve(d.toString().trim())),
  );
  const scrape = setInterval(
    () =>
      fetch(metricsUrl)
        .then((r) => r.text())
        .catch(() => ''),
    5000,
  );
  await sleep(WARMUP * 1000);
  const a = procStat(child.pid);
  const t0 = process.hrtime.bigint();
  const recv0 = counter.received;
  let maxRss = a.rss;
  let maxAnon = a.anon;
  for (let s = 0; s < SECONDS; s++) {
    await sleep(1000);
    const p = procStat(child.pid);
    maxRss = Math.max(maxRss, p.rss);
    maxAnon = Math.max(maxAnon, p.anon);
  }
  const b = procStat(child.pid);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const text = await (await fetch(metricsUrl)).text();
  const series = Number(/^weft_collector_series (\d+)/m.exec(text)?.[1] ?? 0);
  // Kubernetes identity at work: its four watches open, and the flows' sources named by it.
  const kubeWatchesOpen = k8s ? kube.api.openWatches : 0;
  const kubeRequests = k8s ? kube.api.requests.length - kubeRequests0 : 0;
  const namedSourcePods = new Set([...text.matchAll(/source_pod="([^"]+)"/g)].map((m) => m[1])).size;
  clearInterval(scrape);
  const memory = await new Promise((resolve) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(d.toString())));
    child.kill('SIGUSR2');
  });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  running.delete(child);
  return {
    variant: variant.label,
    loadAverage1m: os.loadavg()[0],
    nodeFlags: variant.flags.join(' '),
    bundled: BUNDLE,
    cli: CLI,
    flows,
    dnsPerSec,
    kubernetesIdentity: k8s,
    kubeWatchesOpen,
    kubeRequests,
    namedSourcePods,
    cpuPercentOfCore: (100 * (b.cpu - a.cpu)) / wall,
    rssMB: b.rss / 1048576,
    maxRssMB: maxRss / 1048576,
    rssAnonMB: b.anon / 1048576,
    maxRssAnonMB: maxAnon / 1048576,
    flowRecordsStreamedPerSec: (counter.received - recv0) / wall,
    series,
    memory,
  };
}

// --loads 1: only the first load (the 1,000-flow target), for quick before/after comparisons;
// --loads 1,3: the loads named (1: 1,000 flows, 2: the same with Kubernetes identity, 3: 20,000 flows).
// --kubernetes: every load with Kubernetes identity.
const ALL_LOADS = [
  [1000, 10, false],
  [1000, 10, true],
  [20000, 10, false],
];
const loadsArg = process.argv[process.argv.indexOf('--loads') + 1] ?? '';
const LOADS = (
  process.argv.includes('--loads') && loadsArg.includes(',')
    ? loadsArg.split(',').map((n) => ALL_LOADS[Number(n) - 1])
    : ALL_LOADS.slice(0, arg('loads', 3))
).map(([flows, dns, k8s]) => [flows, dns, k8s || KUBERNETES]);
const kube = LOADS.some(([, , k8s]) => k8s) ? await startKubeApi() : null;
const results = [];
for (let round = 0; round < ROUNDS; round++)
  for (const [flows, dns, k8s] of LOADS)
    if (TOGETHER) {
      const rs = await Promise.all(variants.map((v, i) => measure(v, flows, dns, k8s, sinks[i])));
      for (const r of rs) {
        r.round = round;
        results.push(r);
        console.log(JSON.stringify(r));
      }
    } else
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(i + round) % variants.length];
        const r = await measure(v, flows, dns, k8s, sinks[0]);
        r.round = round;
        results.push(r);
        console.log(JSON.stringify(r));
      }
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const [flows, dns, k8s] of LOADS) {
  const rows = variants.map((v) => {
    const rs = results.filter(
      (r) => r.variant === v.label && r.flows === flows && r.kubernetesIdentity === k8s,
    );
    const m = (k) => median(rs.map((r) => r[k]));
    return {
      v: v.label,
      rss: m('rssMB'),
      max: m('maxRssMB'),
      anon: m('rssAnonMB'),
      cpu: m('cpuPercentOfCore'),
    };
  });
  const base = rows[0];
  const range = (xs) =>
    `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)} to ${Math.max(...xs).toFixed(2)})`;
  const paired = variants.slice(1).map((v) => {
    const diff = (k) =>
      [...Array(ROUNDS).keys()].flatMap((round) => {
        const of = (label) =>
          results.find(
            (r) =>
              r.variant === label && r.round === round && r.flows === flows && r.kubernetesIdentity === k8s,
          );
        const a = of(v.label);
        const b = of(variants[0].label);
        return a && b ? [a[k] - b[k]] : [];
      });
    return `${v.label} minus ${variants[0].label}, by round: CPU % of a core ${range(diff('cpuPercentOfCore'))}, RSS MB ${range(diff('rssMB'))}`;
  });
  console.log(
    `\n${flows} flows + ${dns} DNS/s${k8s ? ', Kubernetes identity (fake API)' : ''}, medians of ${ROUNDS} round(s):`,
  );
  console.log(
    '| variant | RSS MB (end) | RSS MB (max) | anonymous MB | CPU % core | RSS / first | max / first |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.v} | ${r.rss.toFixed(1)} | ${r.max.toFixed(1)} | ${r.anon.toFixed(1)} | ${r.cpu.toFixed(2)} | ${(r.rss / base.rss).toFixed(3)} | ${(r.max / base.max).toFixed(3)} |`,
    );
  for (const line of paired) console.log(line);
}
for (const sink of sinks) sink.close();
await kube?.stop();
rmSync(dir, { recursive: true, force: true });
console.log(
  `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
