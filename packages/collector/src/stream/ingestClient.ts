import { randomUUID } from 'node:crypto';
import {
  BatchPacker,
  IngestCloseCode,
  type IngestHello,
  MAX_HELLO_HOOKS,
  MAX_INGEST_FRAME_BYTES,
  OBJECT_CHANGES_FEATURE,
  POLICY_CONTEXT_FEATURE,
  PROTOCOL_VERSION,
  type ServerIngestMessage,
} from '@weft/protocol/core';
import WebSocket from 'ws';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { type BatchContent, type BatchPart, batchParts } from './batchParts.js';
import { Spool, type SpoolEntry } from './spool.js';

/** What a batch may take on the wire: the server's frame limit, less room to spare. */
export const FRAME_BUDGET = MAX_INGEST_FRAME_BYTES - 1024;

/**
 * An interval cut into frame-sized parts, numbered from 0: each client gives them its own sequence
 * numbers, so the cutting (which measures every part) is done once however many servers there are.
 */
export function cutInterval(content: BatchContent): BatchPart[] {
  let n = 0;
  return batchParts(content, () => n++, FRAME_BUDGET);
}

export interface IngestClientOptions {
  url: string;
  token: string;
  /** PEM CA(s) a wss:// server's certificate must chain to, instead of the system's. */
  ca?: Buffer | string;
  node: string;
  collectorVersion: string;
  simulated: boolean;
  /** Read at each connect: the probe's hooks may arrive after the client starts. */
  hooks: () => string[];
  spoolSeconds: number;
  /** Byte bound of the spool, beside its age bound. */
  spoolMaxBytes?: number;
  backoff?: BackoffOptions;
  /** Stop writing while this much is queued in the socket (backpressure). */
  highWaterBytes?: number;
  /** A silent server (no pong) is dropped after this long. */
  heartbeatMs?: number;
  log?: (msg: string) => void;
  /**
   * The policy context message as it is now (the same string until it changes): sent after a welcome
   * that lists POLICY_CONTEXT_FEATURE, and again whenever it changed; with the object changes only
   * when the welcome lists OBJECT_CHANGES_FEATURE too.
   */
  context?: (withChanges: boolean) => string | null;
  /** Said after an identity conflict (another connection holds this node on that server). */
  conflictHint?: string;
}

export interface IngestClientStats {
  connected: boolean;
  spoolBatches: number;
  spoolBytes: number;
  sent: number;
  acked: number;
  /** Records given up: aged out of the spool or refused by the server. */
  givenUp: number;
  reconnects: number;
}

/**
 * The collector's side of /api/v1/ingest: hello, wait for welcome, then batches in sequence order
 * from a bounded spool. A batch leaves the spool only when the server acknowledges it, so after a
 * reconnect everything unacknowledged is sent again (the server drops (boot, seq) it already has).
 * Batches are packed as they are sent, against the connection's endpoint table (BatchPacker): a new
 * connection starts a new table, and so does a refused batch or a `resync` (the server doesn't hold
 * what the packer thinks it sent).
 */
export class IngestClient {
  readonly boot = randomUUID();
  private readonly o: Required<Omit<IngestClientOptions, 'log' | 'ca' | 'conflictHint' | 'context'>> &
    Pick<IngestClientOptions, 'log' | 'ca' | 'conflictHint' | 'context'>;
  private readonly spool: Spool;
  private seq = 0;
  private ws: WebSocket | null = null;
  private packer = new BatchPacker();
  private ready = false;
  /** The server takes policy context messages (its welcome said so). */
  private takesContext = false;
  /** ... and object changes in it. */
  private takesChanges = false;
  /** The context last sent on this connection. */
  private sentContext = '';
  /** Highest seq written on the current connection. */
  private sentThrough = -1;
  private inflight = 0;
  private attempt = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private alive = true;
  /** Hooks the current connection's hello listed. */
  private helloHooks = 0;
  private pendingLoss = 0;
  private readonly s: IngestClientStats = {
    connected: false,
    spoolBatches: 0,
    spoolBytes: 0,
    sent: 0,
    acked: 0,
    givenUp: 0,
    reconnects: 0,
  };
  private waiters: (() => void)[] = [];

  constructor(opts: IngestClientOptions) {
    this.o = {
      spoolMaxBytes: 64 * 1024 * 1024,
      backoff: { initialMs: 250, maxMs: 30_000 },
      highWaterBytes: 4 * 1024 * 1024,
      heartbeatMs: 15_000,
      ...opts,
    };
    this.spool = new Spool({ maxAgeMs: opts.spoolSeconds * 1000, maxBytes: this.o.spoolMaxBytes });
  }

  get stats(): IngestClientStats {
    return { ...this.s, spoolBatches: this.spool.size, spoolBytes: this.spool.bytes };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /**
   * The probe's hooks became known after this connection's hello went without them (the probe took
   * longer to attach than the collector waited): the connection starts again, so that the server's
   * status lists the hooks. The spool is resent as after any reconnect.
   */
  hooksKnown(): void {
    const ws = this.ws;
    if (!ws || this.helloHooks > 0 || this.o.hooks().length === 0) return;
    ws.close(1000, 'probe hooks known: saying hello again');
  }

  /** Queue one interval; `lost` grows by whatever the spool gave up since the last one. */
  enqueue(content: BatchContent, now = Date.now()): number[] {
    return this.enqueueParts(cutInterval(content), now);
  }

  /**
   * Queue one interval already cut (cutInterval), numbered with this client's sequence. The parts'
   * content may be shared with other clients' spools: it is never changed, only the first part's
   * `lost` is given on a copy when this client's spool gave records up.
   */
  enqueueParts(parts: readonly BatchPart[], now = Date.now()): number[] {
    const seqs: number[] = [];
    for (const p of parts) {
      const lost = this.pendingLoss;
      this.pendingLoss = 0;
      const content = lost > 0 ? { ...p.content, lost: p.content.lost + lost } : p.content;
      const seq = this.seq++;
      seqs.push(seq);
      this.giveUp(this.spool.push({ seq, content, records: p.records, bytes: p.bytes, createdAt: now }, now));
    }
    this.pump();
    return seqs;
  }

  /** Resolves once every queued batch is acknowledged or `timeoutMs` passes. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.spool.size === 0) return true;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    this.s.connected = false;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000, 'collector stopping');
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
  }

  private giveUp(records: number): void {
    if (records <= 0) return;
    this.s.givenUp += records;
    this.pendingLoss += records;
    this.o.log?.(`ingest: gave up ${records} records the server did not acknowledge in time`);
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.o.url, {
      headers: this.o.token ? { Authorization: `Bearer ${this.o.token}` } : {},
      perMessageDeflate: false,
      maxPayload: 1024 * 1024,
      handshakeTimeout: 10_000,
      ...(this.o.ca ? { ca: this.o.ca } : {}),
    });
    this.ws = ws;
    this.packer.reset();
    this.sentThrough = -1;
    this.inflight = 0;
    this.takesContext = false;
    this.sentContext = '';
    ws.on('open', () => {
      const hooks = this.o.hooks().slice(0, MAX_HELLO_HOOKS);
      this.helloHooks = hooks.length;
      const hello: IngestHello = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        node: this.o.node,
        boot: this.boot,
        collectorVersion: this.o.collectorVersion,
        hooks,
        simulated: this.o.simulated,
      };
      ws.send(JSON.stringify(hello));
      this.startHeartbeat(ws);
    });
    ws.on('message', (data) => this.onMessage(ws, data.toString()));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', (err) => this.o.log?.(`ingest: ${this.o.url}: ${describeConnectError(err)}`));
    ws.on('unexpected-response', (_req, res) => {
      this.o.log?.(`ingest: ${this.o.url} answered HTTP ${res.statusCode}`);
      ws.terminate();
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      this.s.connected = false;
      this.stopHeartbeat();
      if (code === IngestCloseCode.unauthorized) this.o.log?.('ingest: the server refused the token');
      else if (code === IngestCloseCode.protocolMismatch) {
        this.o.log?.(`ingest: protocol mismatch (${reason.toString()})`);
      } else if (code === IngestCloseCode.identityConflict || code === IngestCloseCode.replaced)
        // Another connection holds this node (a second collector, or this one's own half-open socket):
        // retried with backoff, the spool kept.
        this.o.log?.(
          `ingest: the server closed the connection (${code}: ${reason.toString()}); retrying` +
            (code === IngestCloseCode.identityConflict && this.o.conflictHint
              ? ` (${this.o.conflictHint})`
              : ''),
        );
      else if (code === IngestCloseCode.internalError || code === IngestCloseCode.tooManyBadMessages)
        this.o.log?.(`ingest: the server closed the connection (${code}: ${reason.toString()})`);
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.attempt++, this.o.backoff);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.s.reconnects++;
      this.connect();
    }, delay);
  }

  private onMessage(ws: WebSocket, text: string): void {
    let msg: ServerIngestMessage;
    try {
      msg = JSON.parse(text) as ServerIngestMessage;
    } catch {
      this.o.log?.('ingest: the server sent something that is not JSON');
      return;
    }
    switch (msg.type) {
      case 'welcome':
        if (msg.protocol !== PROTOCOL_VERSION) {
          this.o.log?.(`ingest: server speaks protocol ${msg.protocol}, this collector ${PROTOCOL_VERSION}`);
          ws.close(IngestCloseCode.protocolMismatch, 'protocol mismatch');
          return;
        }
        this.spool.ackThrough(msg.lastSeq);
        this.takesContext = msg.features?.includes(POLICY_CONTEXT_FEATURE) ?? false;
        this.takesChanges = msg.features?.includes(OBJECT_CHANGES_FEATURE) ?? false;
        this.ready = true;
        this.s.connected = true;
        this.attempt = 0;
        this.pump();
        this.notify();
        return;
      case 'ack':
        if (this.spool.ack(msg.seq)) this.s.acked++;
        this.notify();
        return;
      case 'reject':
        this.o.log?.(`ingest: server rejected batch ${msg.seq ?? '?'}: ${msg.reason}`);
        // It did not take that batch's endpoints either.
        this.packer.reset();
        if (msg.seq !== undefined) this.giveUp(this.spool.remove(msg.seq));
        this.notify();
        return;
      case 'resync':
        // Batches sent after a refused one extend a table the server doesn't hold: from this one on,
        // again, on a new table. Any of them it did store it acknowledges as duplicates.
        this.o.log?.(`ingest: sending again from batch ${msg.seq} on a new endpoint table (${msg.reason})`);
        this.packer.reset();
        this.sentThrough = Math.min(this.sentThrough, msg.seq - 1);
        this.pump();
        return;
      default:
        this.o.log?.('ingest: unknown message from the server');
    }
  }

  private notify(): void {
    if (this.spool.size > 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private pump(): void {
    const ws = this.ws;
    if (!ws || !this.ready || ws.readyState !== WebSocket.OPEN) return;
    this.sendContext(ws);
    for (;;) {
      if (this.inflight + ws.bufferedAmount > this.o.highWaterBytes) return;
      const next = this.spool.after(this.sentThrough);
      if (!next) return;
      const payload = this.pack(next);
      this.sentThrough = next.seq;
      const len = payload.length;
      this.inflight += len;
      this.s.sent++;
      ws.send(payload, (err) => {
        if (this.ws !== ws) return;
        this.inflight -= len;
        if (!err) this.pump();
      });
    }
  }

  /** Not spooled: only the newest context matters, and a new connection sends it again. */
  private sendContext(ws: WebSocket): void {
    if (!this.takesContext || !this.o.context) return;
    const text = this.o.context(this.takesChanges);
    if (text === null || text === this.sentContext) return;
    this.sentContext = text;
    ws.send(text);
  }

  /** The batch packed against the connection's table, or on a new one where that would not fit a frame. */
  private pack(e: SpoolEntry): string {
    const batch = { type: 'batch' as const, seq: e.seq, ...e.content };
    const payload = JSON.stringify(this.packer.pack(batch));
    // Longer indexes can outweigh the endpoints left out; on its own it fits (batchParts measured it).
    // (A UTF-16 unit is at most 3 bytes of UTF-8: most batches need no count.)
    if (payload.length * 3 <= FRAME_BUDGET || Buffer.byteLength(payload) <= FRAME_BUDGET) return payload;
    this.packer.reset();
    return JSON.stringify(this.packer.pack(batch));
  }

  private startHeartbeat(ws: WebSocket): void {
    this.alive = true;
    this.heartbeat = setInterval(() => {
      if (!this.alive) {
        this.o.log?.('ingest: no answer to ping, reconnecting');
        ws.terminate();
        return;
      }
      this.alive = false;
      ws.ping();
    }, this.o.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

/** Node's TLS verification codes, said in the terms of the settings that fix them. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

export function describeConnectError(err: Error & { code?: string }): string {
  if (err.code && UNTRUSTED.has(err.code))
    return (
      `TLS: the server's certificate is not signed by a CA this collector trusts (${err.code}): ` +
      'set WEFT_SERVER_CA_FILE to the CA that signed it'
    );
  if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `TLS: the server's certificate does not name the host of the URL (${err.message})`;
  if (err.code === 'CERT_HAS_EXPIRED' || err.code === 'CERT_NOT_YET_VALID')
    return `TLS: the server's certificate is outside its validity period (${err.code})`;
  return err.message;
}
