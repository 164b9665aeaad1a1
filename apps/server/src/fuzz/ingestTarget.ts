import { IngestCloseCode, packBatch } from '@weft/protocol';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { parseServerConfig } from '../config.js';
import { apiProblems, readUrls } from './apiInvariants.js';
import { FuzzSocket, type SocketEvent } from './fuzzSocket.js';
import { distinctBatch, validBatches, validHello } from './validFrames.js';

/** A frame the fuzz suite sends, with what it is (the label is the minimal input in a failure). */
export interface Frame {
  label: string;
  data: string | Buffer;
}

export const FUZZ_NODE = 'fuzz-node';
export const NORMAL_NODE = 'normal-node';

/** Close codes that say why: ours (44xx; not 1011, a handler that failed), and the WebSocket library's for bad frames. */
const EXPLAINED_CLOSES = new Set([
  1002,
  1007,
  1009,
  IngestCloseCode.tooManyBadMessages,
  IngestCloseCode.identityConflict,
  IngestCloseCode.replaced,
  IngestCloseCode.protocolMismatch,
]);

/**
 * A real server on 127.0.0.1:0 (built by buildApp, timers off so the test runs prune, alerts and the
 * live round itself and sees their exceptions) with two collectors on its ingest socket: the fuzzed one
 * and a normal one whose batches must keep being stored whatever the other sends.
 */
export class IngestTarget {
  private fuzz: FuzzSocket | null = null;
  private normal: FuzzSocket | null = null;
  private normalSeq = 0;
  private fuzzBoot = 0;
  /** Last sequence number acked on the fuzzed connection's boot, -1 if none. */
  private fuzzAcked = -1;

  private constructor(
    readonly app: FastifyInstance,
    readonly url: string,
  ) {}

  static async start(env: NodeJS.ProcessEnv = {}): Promise<IngestTarget> {
    const app = await buildApp(
      parseServerConfig({
        WEFT_LOG_LEVEL: 'silent',
        WEFT_WEB_ROOT: '/nonexistent/fuzz',
        // One connection takes the whole run's malformed frames; the limit itself is tested apart.
        WEFT_MAX_BAD_MESSAGES: '1000000',
        ...env,
      }),
      { timers: false },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    return new IngestTarget(app, `http://127.0.0.1:${port}`);
  }

  get ingestUrl(): string {
    return `${this.url.replace('http', 'ws')}/api/v1/ingest`;
  }

  /** Opens a connection and says hello; returns the welcome problem, if any. */
  private async hello(node: string, boot: string): Promise<FuzzSocket> {
    const s = await FuzzSocket.open(this.ingestUrl);
    s.send(JSON.stringify(validHello(node, boot)));
    const e = await s.next();
    if (e.kind !== 'message' || (e.json as { type?: string })?.type !== 'welcome')
      throw new Error(`${node}: no welcome: ${JSON.stringify(e).slice(0, 200)}`);
    return s;
  }

  /** Sends one frame on the fuzzed connection (opened again if the last frame got it closed). */
  async send(frame: Frame): Promise<string[]> {
    if (!this.fuzz || this.fuzz.closed) {
      this.fuzz = await this.hello(FUZZ_NODE, `fuzz-boot-${this.fuzzBoot++}`);
      this.fuzzAcked = -1;
    }
    this.fuzz.send(frame.data);
    const reply = await this.fuzz.next();
    const ack = reply.kind === 'message' ? (reply.json as { type?: string; seq?: unknown }) : null;
    if (ack?.type === 'ack' && typeof ack.seq === 'number') this.fuzzAcked = ack.seq;
    const problems = replyProblems(reply);
    const health = await fetch(`${this.url}/healthz`).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    if (health !== 200) problems.push(`/healthz over HTTP: ${health}`);
    return problems;
  }

  /** A fresh valid batch from the normal collector: acked and stored. */
  async normalProblems(): Promise<string[]> {
    if (!this.normal || this.normal.closed) this.normal = await this.hello(NORMAL_NODE, 'normal-boot');
    const before = await this.recordsTotal();
    const seq = this.normalSeq++;
    const batch = packBatch(distinctBatch(Date.now(), seq));
    this.normal.send(JSON.stringify(batch));
    const e = await this.normal.next();
    const reply = e.kind === 'message' ? (e.json as { type?: string; seq?: number }) : null;
    if (reply?.type !== 'ack' || reply.seq !== seq)
      return [`normal collector's batch ${seq} got ${JSON.stringify(e).slice(0, 200)}`];
    const after = await this.recordsTotal();
    return after > before
      ? []
      : [`normal collector's batch ${seq} was acked but not stored (${before} -> ${after})`];
  }

  /**
   * A valid batch on the fuzzed connection is still stored: what it sent before must not have spoiled
   * its own boot (a sequence number out of range taken as the highest one would make every later batch
   * a "duplicate"). It is numbered as a collector numbers its next batch: one past the last acked (when
   * that was a forged 2^53-1, 2^52 instead: below it and later in time, which the server must take as
   * the numbering taken back). The connection is then left,
   * so the next frames start on a new boot.
   */
  async fuzzBootProblems(): Promise<string[]> {
    const s = this.fuzz;
    if (!s || s.closed) return [];
    const before = await this.recordsTotal();
    const seq = Math.min(this.fuzzAcked + 1, 2 ** 52);
    s.send(JSON.stringify(packBatch(validBatches(Date.now(), seq)[0]!)));
    const e = await s.next();
    await s.close();
    const reply = e.kind === 'message' ? (e.json as { type?: string; seq?: number }) : null;
    if (reply?.type !== 'ack' || reply.seq !== seq)
      return [
        `a valid batch after the fuzzed frames, on their connection, got ${JSON.stringify(e).slice(0, 200)}`,
      ];
    const after = await this.recordsTotal();
    return after > before
      ? []
      : [
          `a valid batch after the fuzzed frames, on their connection, was acked but not stored (${before} -> ${after})`,
        ];
  }

  private async recordsTotal(): Promise<number> {
    const text = (await this.app.inject('/metrics')).body;
    return Number(/^weft_server_ingest_records_total (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  }

  /** Everything that must still hold: the timers' work runs, every read answers, the normal collector is stored. */
  async sweep(round: number, full = false): Promise<string[]> {
    const w = this.app.weft;
    const problems: string[] = [];
    for (const [name, run] of [
      ['store.prune', () => w.store.prune()],
      ['store.pruneStep', () => w.store.pruneStep()],
      ['alerts.evaluate', () => w.alerts.evaluate()],
      ['live.tick', () => w.live.tick()],
    ] as const) {
      try {
        run();
      } catch (err) {
        problems.push(`${name} threw ${(err as Error).message}`);
      }
    }
    problems.push(...(await apiProblems(this.app, readUrls(round, full))));
    problems.push(...(await this.normalProblems()));
    problems.push(...(await this.fuzzBootProblems()));
    return problems;
  }

  async close(): Promise<void> {
    await this.fuzz?.close();
    await this.normal?.close();
    await this.app.close();
  }
}

/** What is wrong with the server's answer to one ingest frame (empty when it answered properly). */
export function replyProblems(e: SocketEvent): string[] {
  if (e.kind === 'silent') return ['no reply and no close within 5 s'];
  if (e.kind === 'close') {
    if (!EXPLAINED_CLOSES.has(e.code)) return [`closed with ${e.code} ${JSON.stringify(e.reason)}`];
    if (e.code >= 4000 && e.reason === '') return [`closed with ${e.code} without a reason`];
    return [];
  }
  const m = e.json as { type?: unknown; reason?: unknown; seq?: unknown } | undefined;
  if (!m || typeof m !== 'object') return [`reply is not a JSON object: ${e.text.slice(0, 100)}`];
  if (m.type === 'ack' || m.type === 'resync') return [];
  if (m.type === 'reject')
    return typeof m.reason === 'string' && m.reason.length > 0 ? [] : ['reject without a reason'];
  return [`unexpected reply ${e.text.slice(0, 100)}`];
}
