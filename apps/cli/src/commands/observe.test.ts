import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { Endpoint, FlowRow, IngestBatch } from '@weft/protocol';
import { buildApp, parseServerConfig } from '@weft/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cliError.js';
import { runObserve } from './observe.js';

const NODE = 'observe-node-1';
const pod = (name: string, ip: string): Endpoint => ({
  ip,
  kind: 'pod',
  namespace: 'production',
  name,
  workloadKind: 'Deployment',
  workload: name.replace(/-\d+$/, ''),
  service: name.replace(/-\d+$/, ''),
  node: NODE,
});
const frontend = pod('frontend-1', '10.244.1.10');
const api = pod('api-1', '10.244.1.11');
const legacy = pod('legacy-1', '10.244.1.13');

/** A second of traffic ending `agoMs` before now: frontend -> api forwarded, legacy -> api:`dropPort` dropped. */
function batch(seq: number, agoMs: number, dropPort = 80): IngestBatch {
  const end = Date.now() - agoMs;
  const ts = end - 100;
  return {
    type: 'batch',
    seq,
    start: end - 1000,
    end,
    flows: [
      {
        ts,
        src: frontend,
        dst: api,
        sport: 40000 + seq,
        dport: 80,
        proto: 'tcp',
        dir: 'egress',
        bytes: 2000,
        packets: 4,
        tcpFlags: 0x18,
      },
    ],
    drops: [
      {
        ts,
        src: legacy,
        dst: api,
        sport: 50000 + seq,
        dport: dropPort,
        proto: 'tcp',
        dir: 'ingress',
        reason: 'policy_drop',
        kernelReason: 'NETFILTER_DROP',
        packets: 1,
        bytes: 60,
      },
    ],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
}

let app: Awaited<ReturnType<typeof buildApp>>;
let server: string;

beforeAll(async () => {
  app = await buildApp(parseServerConfig({ WEFT_LOG_LEVEL: 'silent', WEFT_WEB_ROOT: '/nonexistent/cli' }), {
    timers: false,
  });
  for (let s = 0; s < 30; s++) app.weft.store.ingest(batch(s, (40 - s) * 1000), NODE);
  server = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

async function observe(...args: string[]): Promise<string> {
  let out = '';
  const code = await runObserve([...args, '--server', server], { write: (s: string) => (out += s) });
  expect(code).toBe(0);
  return out;
}

async function refused(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliError> {
  const e = await runObserve(args, { write: () => true }, { env }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

describe('weft observe', () => {
  it('prints the newest rows, oldest first, a line each with time, ends, port, verdict and bytes', async () => {
    const lines = (await observe('--last', '5')).trim().split('\n');
    expect(lines).toHaveLength(5);
    const drop = lines.find((l) => l.includes('DROPPED'))!;
    expect(drop).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}production\/legacy-1:\d+ -> production\/api-1:80 {2}tcp\/80 {2}DROPPED policy_drop/,
    );
    expect(drop).toContain('60 B 1 pkt');
    // A TCP row says its flags and what they mean for the connection.
    expect(lines.find((l) => l.includes('forwarded'))).toContain('tcp/80 [PSH,ACK established]  forwarded');
    const times = lines.map((l) => Date.parse(l.slice(0, 24)));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('filters as the flags say and writes one JSON object a line with --output json', async () => {
    const out = await observe(
      '--from-pod',
      'production/legacy-1',
      '--verdict',
      'dropped',
      '--output',
      'json',
      '--last',
      '100',
    );
    const rows = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FlowRow);
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.src.name === 'legacy-1' && r.reason === 'policy_drop')).toBe(true);
    const none = await observe('--to-pod', 'production/legacy-1', '--since', '5m');
    expect(none).toBe('');
  });

  it('--dns: flows to a name the sender resolved, the name on each line, a hostile one inert', async () => {
    const curious = pod('curious-1', '10.244.1.14');
    const dnsPod = pod('coredns-1', '10.244.1.2');
    const end = Date.now() - 2000;
    const lookup = (client: Endpoint, qname: string) => ({
      ts: end - 200,
      client,
      server: dnsPod,
      cport: 33333,
      id: 7,
      qname,
      qtype: 'A',
      rcode: 'NOERROR',
      answers: 1,
      latencyUs: 300,
      addrs: [{ ip: api.ip, ttl: 30 }],
    });
    const b = batch(100, 2000);
    app.weft.store.ingest(
      {
        ...b,
        flows: [
          { ...b.flows[0]!, src: curious, sport: 41000 },
          { ...b.flows[0]!, sport: 41001 },
          { ...b.flows[0]!, src: curious, dst: dnsPod, sport: 33333, dport: 53, proto: 'udp', tcpFlags: 0 },
        ],
        drops: [],
        dns: [
          lookup(curious, 'evil\u001b]0;owned\u0007.example'),
          lookup(frontend, 'api.production.svc.cluster.local'),
        ],
      },
      NODE,
    );
    const lines = (await observe('--dns', 'API.production.svc.cluster.local', '--since', '1m'))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'production/frontend-1:41001 -> production/api-1:80 (api.production.svc.cluster.local)',
    );
    const evil = (await observe('--dns', 'example', '--since', '1m')).trim().split('\n');
    expect(evil).toHaveLength(2);
    // no control character but the line ends
    expect([...evil.join('\n')].filter((c) => c < ' ' && c !== '\n')).toEqual([]);
    expect(evil.find((l) => l.includes('api-1:80'))).toContain('(evil\\x1b]0;owned\\x07.example)');
    // the DNS flow itself carries its query
    expect(evil.find((l) => l.includes(':53'))).toContain('dns A evil\\x1b]0;owned\\x07.example NOERROR');
    expect((await refused(['--dns', '<b>'])).message).toContain('--dns');
  });

  it("--merge: the sender's row and the drop of the same packets are one line, saying where each was seen", async () => {
    // The drop's twin: legacy's own egress of the packets the receiver's node dropped.
    const b = batch(200, 3000);
    const d = b.drops[0]!;
    b.flows.push({ ...d, dir: 'egress', tcpFlags: 0x02 });
    b.drops[0] = { ...d, dir: 'ingress' };
    app.weft.store.ingest(b, NODE);
    const lines = (
      await observe(
        '--from-pod',
        'production/legacy-1',
        '--port',
        String(d.dport),
        '--merge',
        '--since',
        '5s',
      )
    )
      .trim()
      .split('\n');
    const merged = lines.filter((l) => l.includes(`:${d.sport} ->`));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toContain('DROPPED policy_drop');
    expect(merged[0]).toContain(`seen egress at ${NODE}, ingress at ${NODE} (dropped: policy_drop)`);
  });

  it('follows: a row stored after it started is printed', async () => {
    let out = '';
    const stop = new AbortController();
    const done = runObserve(
      ['--verdict', 'dropped', '-f', '--last', '1', '--server', server],
      { write: (s: string) => (out += s) },
      { signal: stop.signal },
    );
    await until(() => out.includes('DROPPED'));
    expect(out).not.toContain(':9999');
    app.weft.store.ingest(batch(100, 500, 9999), NODE);
    await until(() => out.includes('api-1:9999'));
    stop.abort();
    expect(await done).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(2);
  });

  it('follows with --merge: a connection whose other end arrives a poll later is still one line', async () => {
    let out = '';
    const stop = new AbortController();
    const done = runObserve(
      [
        '--from-pod',
        'production/legacy-1',
        '--port',
        '7777',
        '--merge',
        '-f',
        '--since',
        '5s',
        '--server',
        server,
      ],
      { write: (s: string) => (out += s) },
      { signal: stop.signal },
    );
    // The sender's egress first (its batch, one point)...
    const sent = batch(300, 200, 7777);
    const d = sent.drops[0]!;
    sent.flows = [{ ...d, dir: 'egress', tcpFlags: 0x02 }];
    sent.drops = [];
    app.weft.store.ingest(sent, NODE);
    // ...and, more than a poll later, the receiver's node's drop of the same packets.
    await new Promise((r) => setTimeout(r, 1300));
    const dropped = batch(301, 200, 7777);
    dropped.flows = [];
    dropped.drops = [{ ...d }];
    app.weft.store.ingest(dropped, NODE);
    await until(() => out.includes(':7777'));
    // A poll or two more: nothing else of this connection comes.
    await new Promise((r) => setTimeout(r, 2500));
    stop.abort();
    expect(await done).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DROPPED policy_drop');
    expect(lines[0]).toContain(`seen egress at ${NODE}, ingress at ${NODE} (dropped: policy_drop)`);
  });

  it('takes the server from WEFT_SERVER, and says so when it cannot reach it (exit 1)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await refused([], { WEFT_SERVER: `http://127.0.0.1:${port}` });
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain(`cannot reach the server at http://127.0.0.1:${port}`);
  });

  it('refuses a bad flag by its name before asking anything (exit 2)', async () => {
    const none = { WEFT_SERVER: 'http://127.0.0.1:9' };
    for (const [args, words] of [
      [['--verdict', 'lost'], '--verdict: must be one of forwarded, dropped'],
      [['--from-pod', 'not a pod'], '--from-pod: must be namespace/name'],
      [['--port', '70000'], '--port'],
      [['--last', '0'], '--last'],
      [['--output', 'yaml'], '--output'],
      [['--since', 'yesterday'], '--since: must be'],
      [['--at', 'now-5m', '-f'], '--follow'],
      [['--pod'], '--pod needs a value'],
      [['--bogus', 'x'], 'unexpected "--bogus x"'],
    ] as [string[], string][]) {
      const e = await refused(args, none);
      expect(e.exitCode, args.join(' ')).toBe(2);
      expect(e.message, args.join(' ')).toContain(words);
    }
  });
});

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met within 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
