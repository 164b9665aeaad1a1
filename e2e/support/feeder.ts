import { randomUUID } from 'node:crypto';
import { type IngestHello, PROTOCOL_VERSION, packBatch, type ServerIngestMessage } from '@weft/protocol';
import WebSocket from 'ws';
import { type LabNode, labBatch, type TrafficOptions } from './labTraffic.js';

/**
 * A collector stand-in speaking the real ingest protocol over the real WebSocket: hello, wait for
 * welcome, then one batch per interval. Used until the lab's simulated collectors run in e2e.
 */
export interface Feeder {
  readonly opts: TrafficOptions;
  stop(): Promise<void>;
}

export async function startFeeder(opts: {
  url: string;
  token: string;
  node: LabNode;
  intervalMs?: number;
  traffic: TrafficOptions;
}): Promise<Feeder> {
  const interval = opts.intervalMs ?? 1000;
  const ws = new WebSocket(opts.url, { headers: { authorization: `Bearer ${opts.token}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const hello: IngestHello = {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    node: opts.node,
    boot: randomUUID(),
    collectorVersion: 'e2e-feeder',
    hooks: ['tc:e2e', 'tp_btf/kfree_skb', 'tp_btf/inet_sock_set_state'],
    simulated: true,
  };
  const welcomed = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ServerIngestMessage;
      if (msg.type === 'welcome') resolve();
      if (msg.type === 'reject') process.stderr.write(`feeder ${opts.node}: rejected: ${msg.reason}\n`);
    });
    ws.once('close', (code, reason) => reject(new Error(`ingest closed ${code} ${reason}`)));
  });
  ws.send(JSON.stringify(hello));
  await welcomed;

  let seq = 0;
  let last = Date.now() - interval;
  const send = () => {
    const end = Date.now();
    const batch = labBatch(opts.node, seq++, last, end, opts.traffic);
    last = end;
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(packBatch(batch)));
  };
  // History first: a few minutes of past intervals so charts have a shape the moment the page opens.
  const backfillStart = Date.now() - 5 * 60_000;
  for (let t = backfillStart; t < last; t += 10_000) {
    ws.send(
      JSON.stringify(packBatch(labBatch(opts.node, seq++, t, Math.min(t + 10_000, last), opts.traffic))),
    );
  }
  send();
  const timer = setInterval(send, interval);
  return {
    opts: opts.traffic,
    stop: async () => {
      clearInterval(timer);
      if (ws.readyState === WebSocket.OPEN) {
        const closed = new Promise<void>((r) => ws.once('close', () => r()));
        ws.close(1000, 'done');
        await closed;
      }
    },
  };
}
