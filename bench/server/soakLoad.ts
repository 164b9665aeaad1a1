import { type Socket, connect as tcpConnect } from 'node:net';
import {
  BatchPacker,
  type Endpoint,
  FILTER_PARAMS,
  type FlowRecord,
  type IngestBatch,
  packBatch,
} from '@weft/protocol';
import { FuzzSocket } from '@weft/server/internal/fuzz/fuzzSocket';
import { PROTO_NAMES } from '@weft/server/internal/fuzz/hostileValues';
import { IngestFrames } from '@weft/server/internal/fuzz/ingestFrames';
import { Prng } from '@weft/server/internal/fuzz/prng';
import { randomQuery } from '@weft/server/internal/fuzz/queryStrings';
import { validHello } from '@weft/server/internal/fuzz/validFrames';

/**
 * The soak's load, each a bounded loop that stops at `stop.at`: hostile collectors, a cardinality flood,
 * stalled sockets and slow live clients, beside one normal collector whose every batch is accounted for.
 */
export interface Counters {
  [name: string]: number;
}

/** When the loops end: moved earlier when the server dies. */
export interface Stop {
  at: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pod(ns: string, name: string, node: string, ip: string): Endpoint {
  return {
    ip,
    kind: 'pod',
    namespace: ns,
    name,
    workloadKind: 'Deployment',
    workload: name.split('-')[0]!,
    service: '',
    node,
  };
}

/**
 * A collector speaking the real protocol (BatchPacker's endpoint tables, resync, resend after a
 * reconnect) that sends one batch a second of known size, and counts what the server acknowledged.
 */
export class NormalCollector {
  readonly node = 'soak-normal-node';
  readonly boot = `soak-normal-${process.pid}`;
  readonly recordsPerBatch = 200;
  readonly bytesPerRecord = 1000;
  sent = 0;
  acked = 0;
  rejected = 0;
  resyncs = 0;
  reconnects = 0;
  private seq = 0;
  private readonly unacked = new Map<number, IngestBatch>();
  private readonly client = pod('soak-normal', 'client-5d9f-abcde', this.node, '10.99.0.1');
  private readonly server = pod('soak-normal', 'server-5d9f-fghij', this.node, '10.99.0.2');

  constructor(private readonly ingestUrl: string) {}

  private batch(): IngestBatch {
    const end = Date.now();
    const flows: FlowRecord[] = [];
    for (let i = 0; i < this.recordsPerBatch; i++)
      flows.push({
        ts: end,
        src: this.client,
        dst: this.server,
        sport: 30_000 + i,
        dport: 8080,
        proto: 'tcp',
        dir: 'egress',
        bytes: this.bytesPerRecord,
        packets: 1,
        tcpFlags: 0x18,
      });
    return {
      type: 'batch',
      seq: this.seq++,
      start: end - 1000,
      end,
      flows,
      drops: [],
      tcp: [],
      tcpStats: [],
      dns: [],
      lost: 0,
    };
  }

  async run(stop: Stop): Promise<void> {
    while (Date.now() < stop.at) {
      let s: FuzzSocket;
      try {
        s = await FuzzSocket.open(this.ingestUrl);
      } catch {
        this.reconnects++;
        await sleep(1000);
        continue;
      }
      const packer = new BatchPacker();
      s.send(JSON.stringify(validHello(this.node, this.boot)));
      const w = await s.next(10_000);
      const lastSeq = w.kind === 'message' ? ((w.json as { lastSeq?: number }).lastSeq ?? -1) : null;
      if (lastSeq === null) {
        this.reconnects++;
        await s.close();
        await sleep(1000);
        continue;
      }
      // What the server already holds from before the reconnect counts as acknowledged.
      for (const seq of [...this.unacked.keys()])
        if (seq <= lastSeq) {
          this.unacked.delete(seq);
          this.acked++;
        }
      const pending = [...this.unacked.values()];
      let next = Date.now();
      while (!s.closed && Date.now() < stop.at) {
        let b = pending.shift();
        if (!b) {
          await sleep(Math.max(0, next - Date.now()));
          next += 1000;
          b = this.batch();
          this.unacked.set(b.seq, b);
          this.sent++;
        }
        s.send(JSON.stringify(packer.pack(b)));
        const e = await s.next(15_000);
        if (e.kind !== 'message') break;
        const m = e.json as { type?: string; seq?: number };
        if (m.type === 'ack' && m.seq === b.seq) {
          this.unacked.delete(b.seq);
          this.acked++;
        } else if (m.type === 'resync') {
          this.resyncs++;
          packer.reset();
          pending.unshift(b);
        } else {
          this.rejected++;
          this.unacked.delete(b.seq);
        }
      }
      if (!s.closed) await s.close();
      if (Date.now() < stop.at) this.reconnects++;
    }
  }

  /** Bytes the server acknowledged. */
  get ackedBytes(): number {
    return this.acked * this.recordsPerBatch * this.bytesPerRecord;
  }
}

/** Hostile collectors: the fuzz suite's frames, one reply awaited each, reconnecting when closed. */
export async function fuzzedIngest(url: string, seed: number, stop: Stop, c: Counters): Promise<void> {
  const rng = new Prng(seed);
  const frames = new IngestFrames(rng);
  let corpus = frames.corpus();
  while (Date.now() < stop.at) {
    let s: FuzzSocket;
    try {
      s = await FuzzSocket.open(url);
    } catch {
      c.fuzzConnectFailures = (c.fuzzConnectFailures ?? 0) + 1;
      await sleep(500);
      continue;
    }
    const node = rng.chance(0.3) ? rng.pick(PROTO_NAMES) : `fuzz-${rng.int(20)}`;
    s.send(JSON.stringify(validHello(node, `fuzz-${seed}-${rng.int(1e9)}`)));
    await s.next(10_000);
    while (!s.closed && Date.now() < stop.at) {
      let f = corpus.next();
      if (f.done) {
        corpus = frames.corpus();
        f = corpus.next();
      }
      const frame = rng.chance(0.5) && !f.done ? f.value : frames.random();
      s.send(frame.data);
      c.fuzzFrames = (c.fuzzFrames ?? 0) + 1;
      const e = await s.next(15_000);
      if (e.kind === 'silent') c.fuzzSilent = (c.fuzzSilent ?? 0) + 1;
    }
    c.fuzzClosed = (c.fuzzClosed ?? 0) + 1;
    await s.close();
  }
}

/**
 * One batch of the cardinality flood: `perBatch` flows, each between two pods never seen before (the
 * `n`th onwards), a quarter with a drop of a new reason and a quarter with a DNS query of a new name.
 */
export function floodBatch(n: number, seq: number, end: number, perBatch = 2000): IngestBatch {
  const b: IngestBatch = {
    type: 'batch',
    seq,
    start: end - 1000,
    end,
    flows: [],
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
  for (let i = 0; i < perBatch; i++, n++) {
    const tag = n.toString(36);
    const ns = `flood-${n % 50}`;
    const src = pod(
      ns,
      `${i % 10 === 0 ? PROTO_NAMES[n % PROTO_NAMES.length] : 'p'}-${tag}`,
      `flood-node-${n % 7}`,
      `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    );
    const dst = pod(ns, `q-${tag}`, src.node, `10.200.${(n >> 8) & 255}.${n & 255}`);
    b.flows.push({
      ts: end,
      src,
      dst,
      sport: 1024 + (n % 60000),
      dport: 80,
      proto: 'tcp',
      dir: 'egress',
      bytes: 100,
      packets: 1,
      tcpFlags: 2,
    });
    if (i % 4 === 0)
      b.drops.push({
        ts: end,
        src,
        dst,
        sport: 1,
        dport: 80,
        proto: 'tcp',
        dir: 'egress',
        reason: `r_${tag}`,
        kernelReason: `K_${tag}`,
        packets: 1,
        bytes: 60,
      });
    if (i % 4 === 1)
      b.dns.push({
        ts: end,
        client: src,
        server: dst,
        id: n % 65536,
        qname: `${tag}.flood.svc.cluster.local`,
        qtype: 'A',
        rcode: i % 8 === 1 ? PROTO_NAMES[n % PROTO_NAMES.length]!.slice(0, 16) : 'NOERROR',
        answers: 1,
        latencyUs: 300,
      });
  }
  return b;
}

/**
 * A cardinality flood: batches whose every record names a pod, drop reason and DNS name never seen
 * before (some of them inherited names with a counter), as fast as the server acks them.
 */
export async function cardinalityFlood(url: string, stop: Stop, c: Counters, perBatch = 2000): Promise<void> {
  let n = 0;
  let seq = 0;
  while (Date.now() < stop.at) {
    let s: FuzzSocket;
    try {
      s = await FuzzSocket.open(url);
    } catch {
      await sleep(500);
      continue;
    }
    s.send(JSON.stringify(validHello(`flood-node-${n % 7}`, `flood-${process.pid}-${n}`)));
    await s.next(10_000);
    while (!s.closed && Date.now() < stop.at) {
      const b = floodBatch(n, seq++, Date.now(), perBatch);
      n += perBatch;
      s.send(JSON.stringify(packBatch(b)));
      c.floodBatches = (c.floodBatches ?? 0) + 1;
      c.floodRecords = (c.floodRecords ?? 0) + b.flows.length + b.drops.length + b.dns.length;
      const e = await s.next(15_000);
      if (e.kind === 'message' && (e.json as { type?: string }).type !== 'ack')
        c.floodNotAcked = (c.floodNotAcked ?? 0) + 1;
      await sleep(250);
    }
    await s.close();
  }
}

/**
 * Sockets that never finish: an ingest upgrade followed by the start of a 16 MB frame that never
 * comes, and HTTP requests whose headers never end. Kept at `count` open; each one the server closes
 * is counted and replaced.
 */
export async function stalledSockets(
  host: string,
  port: number,
  stop: Stop,
  c: Counters,
  count = 40,
): Promise<void> {
  const open = new Set<Socket>();
  const openOne = (i: number) => {
    const s = tcpConnect({ host, port });
    s.on('error', () => {});
    s.on('close', () => {
      open.delete(s);
      if (Date.now() < stop.at) c.stalledClosedByServer = (c.stalledClosedByServer ?? 0) + 1;
    });
    s.on('data', () => {});
    open.add(s);
    s.once('connect', () => {
      if (i % 2 === 0) {
        s.write(
          `GET /api/v1/ingest HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
        // A masked binary frame announcing 16 MB (64-bit length), then a few bytes of it.
        const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0xff, 0xff, 0xf0, 1, 2, 3, 4]);
        setTimeout(() => s.write(Buffer.concat([header, Buffer.alloc(100, 0x7b)])), 200);
      } else s.write(`GET /api/v1/status HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `);
    });
  };
  let i = 0;
  while (Date.now() < stop.at) {
    while (open.size < count) openOne(i++);
    c.stalledOpened = i;
    await sleep(1000);
  }
  for (const s of open) s.destroy();
}

/**
 * Live clients that subscribe (with hostile filters too) and then never read: their socket is paused,
 * so what the server sends piles up in its buffers unless it stops sending to them.
 */
export async function slowLiveClients(
  url: string,
  seed: number,
  stop: Stop,
  c: Counters,
  count = 20,
): Promise<void> {
  const rng = new Prng(seed);
  const FILTER = FILTER_PARAMS as readonly string[];
  const clients = new Set<FuzzSocket>();
  while (Date.now() < stop.at) {
    // A ping written now and then is how a client that never reads learns the server closed it (its
    // paused socket never sees the server's FIN; the write after it fails), and is replaced: the server
    // sees 20 such clients the whole time. The server hears pings, so only its read receipts tell.
    for (const s of clients)
      try {
        if (!s.closed) s.ws.ping();
      } catch {}
    for (const s of clients)
      if (s.closed) {
        clients.delete(s);
        if (Date.now() < stop.at) c.liveClosedByServer = (c.liveClosedByServer ?? 0) + 1;
      }
    while (clients.size < count && Date.now() < stop.at) {
      let s: FuzzSocket;
      try {
        s = await FuzzSocket.open(url);
      } catch {
        c.liveConnectFailures = (c.liveConnectFailures ?? 0) + 1;
        break;
      }
      clients.add(s);
      c.liveOpened = (c.liveOpened ?? 0) + 1;
      const filter = rng.chance(0.5) ? 'level=pod' : randomQuery(rng, FILTER);
      s.send(JSON.stringify({ type: 'subscribe', filter }));
      // Never read again: the kernel's receive buffer fills, then the server's send buffer.
      (s.ws as unknown as { _socket: Socket })._socket.pause();
    }
    await sleep(1000);
  }
  for (const s of clients) s.ws.terminate();
}
