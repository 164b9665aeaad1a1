import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Endpoint,
  type FlowRecord,
  type IngestBatch,
  PROTOCOL_VERSION,
  type WhatIfResponse,
} from '@weft/protocol';
import { buildApp, parseServerConfig } from '@weft/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cliError.js';
import { runPolicy } from './policy.js';

const NODE = 'cli-node-1';
const pod = (name: string, ip: string, workload: string): Endpoint => ({
  ip,
  kind: 'pod',
  namespace: 'production',
  name,
  workloadKind: 'Deployment',
  workload,
  service: workload,
  node: NODE,
});
const frontend = pod('frontend-1', '10.244.1.10', 'frontend');
const api = pod('api-1', '10.244.1.11', 'api');
const db = pod('db-0', '10.244.1.12', 'db');
const END = Math.floor(Date.now() / 1000) * 1000 - 5000;
const SECONDS = 60;

function batch(seq: number, start: number): IngestBatch {
  const ts = start + 1000;
  const flow = (src: Endpoint, dst: Endpoint, dport: number): FlowRecord => ({
    ts,
    src,
    dst,
    sport: 40000 + dport,
    dport,
    proto: 'tcp',
    dir: 'egress',
    bytes: 1000,
    packets: 10,
    tcpFlags: 0x18,
  });
  return {
    type: 'batch',
    seq,
    start,
    end: start + 1000,
    flows: [flow(frontend, api, 80), flow(api, db, 5432), flow(frontend, db, 5432)],
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

let app: Awaited<ReturnType<typeof buildApp>>;
let server: string;
const dir = mkdtempSync(join(tmpdir(), 'weft-policy-cli-'));

beforeAll(async () => {
  const clock = { now: END + 200 };
  app = await buildApp(parseServerConfig({ WEFT_LOG_LEVEL: 'silent', WEFT_WEB_ROOT: '/nonexistent/cli' }), {
    now: () => clock.now,
    timers: false,
  });
  app.weft.collectors.connect(
    {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      node: NODE,
      boot: 'boot-cli',
      collectorVersion: '0.1.0',
      hooks: [],
      simulated: false,
    },
    END - SECONDS * 1000,
  );
  for (let s = 0; s < SECONDS; s++) app.weft.store.ingest(batch(s, END - (SECONDS - s) * 1000), NODE);
  app.weft.policyContexts.take(
    NODE,
    {
      type: 'policy_context',
      namespaces: [{ name: 'production', labels: { 'kubernetes.io/metadata.name': 'production' } }],
      policies: [],
      pods: [frontend, api, db].map((e) => ({
        namespace: e.namespace,
        name: e.name,
        ips: [e.ip],
        labels: { app: e.workload },
      })),
    },
    clock.now,
  );
  server = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

async function policy(...args: string[]): Promise<string> {
  let out = '';
  const code = await runPolicy([...args, '--server', server], { write: (s: string) => (out += s) });
  expect(code).toBe(0);
  return out;
}

const DB_FROM_API = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-ingress, namespace: production }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: api } } }]
`;

describe('weft policy', () => {
  it('whatif: the connections of the last 15 minutes the file would deny, with the policy', async () => {
    const file = join(dir, 'db.yaml');
    writeFileSync(file, DB_FROM_API);
    const text = await policy('whatif', '-f', file);
    const [head, ...lines] = text.split('\n');
    // The 15 minutes widen to whole minutes where the store keeps minutes only.
    expect(head).toMatch(
      /^production\/db-ingress would deny 1 of the 3 connections seen over the last 1[56] min( \d+ s)? that the current policies allow$/,
    );
    expect(lines).toEqual([
      '',
      'CLIENT                 SERVER           PORT      PACKETS  BYTES  CONNECTS  DENIED BY',
      'production/frontend-1  production/db-0  TCP 5432  600      60 kB  0         production/db-ingress (ingress)',
      '',
      '  production/db-ingress selects app=db and allows ingress only from app=api on any port',
      // The server holds a minute of this test's traffic, not the 15 asked for, and says so.
      expect.stringMatching(
        /^note: the server holds connections from \S+Z on: the window's earlier part has none to evaluate$/,
      ),
      '',
    ]);
    const json = JSON.parse(await policy('whatif', '-f', file, '--since', '1m', '--json')) as WhatIfResponse;
    expect(json.flows.map((f) => `${f.client.name}->${f.server.name}`)).toEqual(['frontend-1->db-0']);
  });

  it('generate: least-privilege YAML for the namespace, or one workload', async () => {
    const yaml = await policy('generate', '--namespace', 'production');
    expect(yaml).toMatch(/^# Least-privilege NetworkPolicies for namespace production\n/);
    expect([...yaml.matchAll(/^ {2}name: (.*)$/gm)].map((m) => m[1])).toEqual([
      'api-least-privilege',
      'db-least-privilege',
      'frontend-least-privilege',
    ]);
    const one = JSON.parse(
      await policy('generate', '--namespace', 'production', '--workload', 'db', '--json'),
    );
    expect(one.policies.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'db-least-privilege',
    ]);
  });

  it('refuses bad input before any request, naming it; the server names a bad policy field', async () => {
    const fail = (...args: string[]) =>
      runPolicy([...args, '--server', server], { write: () => true }).then(
        () => new CliError('no error'),
        (e: unknown) => e as CliError,
      );
    expect((await fail('whatif')).message).toMatch(/^policy whatif: -f FILE is required/);
    expect((await fail('generate')).message).toMatch(/^policy generate: --namespace NS is required/);
    expect((await fail('generate', '-n', 'production', '--since', 'soon')).message).toBe(
      'policy generate: --since must be a duration like 15m, 1h (got "soon")',
    );
    expect((await fail('drop')).message).toMatch(/^policy: unknown subcommand "drop"/);
    expect((await fail('whatif', '-f', join(dir, 'missing.yaml'))).message).toMatch(
      /^policy whatif: cannot read .*missing\.yaml/,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, DB_FROM_API.replace('app: api', 'app: [api]'));
    expect((await fail('whatif', '-f', bad)).message).toMatch(/^the server answered 400: yaml: pasted: /);
  });
});
