import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { StatusResponse } from '../packages/protocol/src/status.js';
import { capabilitiesOf, grantableCapabilities, setprivArgs } from './checks/capabilities.js';
import { smallCluster } from './checks/clusterObjects.js';
import type { KubeObject } from './checks/kubeObject.js';
import { renderKustomization } from './checks/kustomize.js';
import { type PolicyRule, RbacApiServer } from './checks/rbacApiServer.js';
import { type Container, findContainer, findObject, podTemplate } from './checks/workloads.js';

/**
 * The trees the images run, staged outside a container by the same script the Dockerfiles call
 * (deploy/images/stage.mjs), then started the way the manifests start them: the server as uid 10001
 * with the StatefulSet's environment, the collector as root with the DaemonSet's, loading the real
 * probe and streaming to that server. Needs a built checkout (`pnpm build`) and root.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const NODE = 'deploy-stage-node';
const TOKEN = 'deploy-stage-token-0123456789abcdef';

let scratch = '';
const children: ChildProcess[] = [];
const apis: RbacApiServer[] = [];
let base: KubeObject[] = [];

function stage(component: 'collector' | 'server'): string {
  const out = join(scratch, component);
  const r = spawnSync(process.execPath, [join(here, 'images', 'stage.mjs'), component, out], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`stage.mjs ${component} failed:\n${r.stdout}${r.stderr}`);
  return out;
}

/** The literal and node-name variables of a manifest container; secrets and URLs are the test's. */
function manifestEnv(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef?.fieldPath === 'spec.nodeName') env[e.name] = NODE;
    else if (e.valueFrom?.secretKeyRef) env[e.name] = TOKEN;
  }
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value; the bound is generous, only there to end a hung run. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

function start(
  cmd: string,
  args: string[],
  opts: Parameters<typeof spawn>[2],
): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d) => {
    out = (out + d).slice(-64_000);
  });
  child.stderr?.on('data', (d) => {
    out = (out + d).slice(-64_000);
  });
  return { child, log: () => out };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'weft-deploy-stage-'));
  // The server runs as uid 10001 and must be able to read (only read) its tree.
  chmodSync(scratch, 0o755);
  base = renderKustomization(join(here, 'kubernetes', 'base'));
});

afterAll(async () => {
  for (const c of children) await stop(c);
  for (const a of apis) await a.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('staged images', () => {
  let serverUrl = '';

  it('the server tree starts as uid 10001 with the StatefulSet environment, and serves health and the app', async () => {
    const tree = stage('server');
    const container = findContainer(podTemplate(findObject(base, 'StatefulSet', 'weft')).spec, 'server');
    const port = await freePort();
    // The history volume, owned by the pod's fsGroup as the kubelet leaves it.
    const data = join(scratch, 'data');
    mkdirSync(data);
    chownSync(data, 10001, 10001);
    const env: Record<string, string | undefined> = {
      ...manifestEnv(container),
      WEFT_HOST: '127.0.0.1',
      WEFT_PORT: String(port),
      WEFT_DATA_DIR: data,
      PATH: process.env.PATH,
    };
    const { log } = start(process.execPath, ['apps/server/dist/server.js'], {
      cwd: tree,
      env,
      uid: 10001,
      gid: 10001,
    });
    serverUrl = `http://127.0.0.1:${port}`;
    const ready = await waitFor(`the server on ${serverUrl} (log: ${log()})`, async () => {
      const r = await fetch(`${serverUrl}/readyz`);
      return r.status === 200 ? r : undefined;
    });
    expect(ready.status).toBe(200);
    expect((await fetch(`${serverUrl}/healthz`)).status).toBe(200);
    const page = await fetch(`${serverUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<!doctype html>');
    const status = (await (await fetch(`${serverUrl}/api/v1/status`)).json()) as StatusResponse;
    expect(status.history?.mode).toBe('disk');
  });

  it('the collector tree answers `weft collector --help`', async () => {
    const tree = stage('collector');
    const r = spawnSync(process.execPath, ['apps/cli/dist/main.js', 'collector', '--help'], {
      cwd: tree,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('WEFT_NODE_NAME');
  });

  it('the collector tree loads the probe with the DaemonSet environment and streams to the server', async () => {
    expect(serverUrl).not.toBe('');
    const tree = join(scratch, 'collector');
    const container = findContainer(
      podTemplate(findObject(base, 'DaemonSet', 'weft-collector')).spec,
      'collector',
    );
    // The Kubernetes API the collector's service account would reach, enforcing the rendered ClusterRole.
    const rules = findObject(base, 'ClusterRole', 'weft-collector').rules as PolicyRule[];
    const api = new RbacApiServer(
      rules,
      'system:serviceaccount:weft-node:weft-collector',
      smallCluster(NODE),
    );
    await api.start();
    apis.push(api);
    const kubeconfig = join(scratch, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: api.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'weft-collector', user: { token: 'service-account-token' } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'weft-collector' } }],
        'current-context': 'c',
      }),
    );
    const metricsPort = await freePort();
    const env: Record<string, string | undefined> = {
      ...manifestEnv(container),
      PATH: process.env.PATH,
      WEFT_SERVER_URL: `${serverUrl.replace('http:', 'ws:')}/api/v1/ingest`,
      KUBECONFIG: kubeconfig,
      // Not the DaemonSet's CNI prefixes: on a shared host they could name other people's veths.
      WEFT_IFACE_PREFIX: 'wdpl',
      WEFT_METRICS_HOST: '127.0.0.1',
      WEFT_METRICS_PORT: String(metricsPort),
    };
    // As the DaemonSet runs it: uid 0 with every capability dropped but the ones it adds, and no way
    // to gain more (allowPrivilegeEscalation: false is no_new_privs).
    const caps = grantableCapabilities(container.securityContext?.capabilities?.add ?? []);
    const { child, log } = start(
      'setpriv',
      setprivArgs(caps, [process.execPath, 'apps/cli/dist/main.js', 'collector']),
      { cwd: tree, env },
    );

    // Connected with the probe's hooks reported: the probe loaded under the DaemonSet's settings.
    const status = await waitFor(
      `node ${NODE} with hooks in /api/v1/status (collector log: ${log()})`,
      async () => {
        const body = (await (await fetch(`${serverUrl}/api/v1/status`)).json()) as StatusResponse;
        return body.collectors.find((c) => c.node === NODE && c.connected && c.hooks.length > 0);
      },
    );
    expect(status.simulated).toBe(false);
    expect(capabilitiesOf(child.pid!)).toEqual(caps);
    // It names pods through the API (the cluster's one pod on this node), with nothing refused.
    expect(env.WEFT_IDENTITY).toBe('kubernetes');
    await waitFor(`the pod known to the collector (log: ${log()})`, async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return /^weft_collector_identity_pods 1$/m.test(text) ? true : undefined;
    });
    expect(api.requests.filter((r) => !r.allowed)).toEqual([]);
    expect(new Set(api.requests.map((r) => `${r.group}/${r.resource}`))).toEqual(
      // namespaces and NetworkPolicies: the policy context the server explains drops with.
      new Set([
        '/pods',
        '/services',
        '/nodes',
        'apps/replicasets',
        '/namespaces',
        'networking.k8s.io/networkpolicies',
        // What changed: EndpointSlices and the workloads' rollouts.
        'discovery.k8s.io/endpointslices',
        'apps/deployments',
        'apps/statefulsets',
        'apps/daemonsets',
      ]),
    );

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    for (const name of [
      'networkobservability_forward_bytes',
      'networkobservability_drop_count',
      'weft_collector_probe_links',
      'weft_collector_server_connected',
    ]) {
      expect(metrics).toContain(`# TYPE ${name}`);
    }
    expect(await stop(child)).toBe(0);
  });
});
