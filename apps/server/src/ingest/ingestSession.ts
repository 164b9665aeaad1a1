import {
  batchPlausibilityProblem,
  type Endpoint,
  EndpointTable,
  IngestCloseCode,
  IngestHello,
  MAX_INGEST_FRAME_BYTES,
  OBJECT_CHANGES_FEATURE,
  PackedBatch,
  POLICY_CONTEXT_FEATURE,
  PolicyContext,
  PROTOCOL_VERSION,
  packedBatchProblem,
  type ServerIngestMessage,
} from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { RateLimitedLog } from '../logs/rateLimitedLog.js';
import type { PolicyContexts } from '../policy/policyContexts.js';
import type { ServerMetrics } from '../serverMetrics.js';
import type { Store } from '../store/store.js';
import { SERVER_VERSION } from '../version.js';
import type { CollectorConnection, CollectorRegistry } from './collectorRegistry.js';
import { firstSchemaError } from './firstSchemaError.js';

const checkHello = Compile(IngestHello);
const checkContext = Compile(PolicyContext);

/**
 * Protocols taken from collectors. Protocol 2 batches are protocol 3's with every batch on a new
 * endpoint table, so collectors not yet upgraded keep streaming while a server is upgraded first.
 */
export const ACCEPTED_PROTOCOLS: readonly number[] = [2, PROTOCOL_VERSION];

/**
 * Resyncs in a row a connection gets before it is closed: far more than a collector has in flight after
 * a refused batch (its high-water mark is 4 MiB of batches).
 */
export const MAX_RESYNCS_IN_A_ROW = 10_000;
const checkBatch = Compile(PackedBatch);

/** The compiled PackedBatch check the session uses (exported for the benchmark's breakdown). */
export function isPackedBatch(msg: unknown): msg is PackedBatch {
  return checkBatch.Check(msg);
}

export interface SessionDeps {
  store: Store;
  collectors: CollectorRegistry;
  metrics: ServerMetrics;
  maxBadMessages: number;
  /** Batches out of step with the endpoint table answered in a row before the connection is closed. */
  maxResyncsInARow: number;
  /** How far back batches are kept: an older one would only be thrown away (refused instead). */
  retentionMs: number;
  now: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Where policy context messages go; without it the welcome does not offer them. */
  policyContexts?: PolicyContexts;
  /** The socket, for the registry to close when a newer connection for the node replaces it. */
  connection?: CollectorConnection;
  /** Where stored batches are journaled (history/batchJournal.ts); none when the history is memory only. */
  journal?: BatchSink | null;
}

/** What the session tells the journal of each batch the store took. */
export interface BatchSink {
  batch(
    stream: object,
    frame: Buffer,
    endpointBase: number,
    table: readonly Endpoint[],
    node: string,
    at: number,
    stored?: boolean,
  ): void;
}

/** Warn lines per connection and kind in a minute before they are only counted. */
export const SESSION_WARN_BURST = 5;
export const SESSION_WARN_INTERVAL_MS = 60_000;

export interface SessionStep {
  send: ServerIngestMessage[];
  close?: { code: number; reason: string };
}

/** WebSocket close reasons must fit in 123 bytes. */
function reasonText(s: string): string {
  const b = Buffer.from(s);
  return b.length <= 123
    ? s
    : `${b
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD+$/, '')}...`;
}

/**
 * A value a sender chose, for a message: never serialized whole (JSON.stringify of 10,000 nested
 * arrays overflows the stack).
 */
function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v);
  return Array.isArray(v) ? 'an array' : `a value of type ${typeof v}`;
}

/**
 * One collector connection, independent of the socket: hello, then batches, whose endpoints build up
 * the connection's endpoint table. Malformed messages are answered with a reject and counted; past the
 * limit the connection is closed, never the server. A batch packed against a table this connection
 * doesn't hold (the collector sent it before learning an earlier one was refused) is answered with a
 * resync: the collector starts a new table and sends it again.
 */
export class IngestSession {
  private state: 'hello' | 'streaming' | 'closed' = 'hello';
  node = '';
  boot = '';
  private bad = 0;
  private protocol: number = PROTOCOL_VERSION;
  private readonly endpoints = new EndpointTable();
  /** Resyncs since the last batch taken: a collector that never starts a new table is not answered forever. */
  private resyncsInARow = 0;
  private readonly warnings: RateLimitedLog;

  constructor(private readonly d: SessionDeps) {
    this.warnings = new RateLimitedLog(d.log, {
      burst: SESSION_WARN_BURST,
      intervalMs: SESSION_WARN_INTERVAL_MS,
      now: d.now,
      onSuppressed: () => d.metrics.ingestLogLinesSuppressed++,
    });
  }

  get streaming(): boolean {
    return this.state === 'streaming';
  }

  /**
   * One message in, what to answer. Never throws: whatever fails below (a check, the store, the
   * registry) closes this connection with a reason and is counted, and the server goes on.
   */
  onMessage(data: Buffer | string): SessionStep {
    if (this.state === 'closed') return { send: [] };
    try {
      return this.handle(data);
    } catch (err) {
      return this.failed(err);
    }
  }

  /** Closes the connection after an unexpected error (here or in the socket's handlers). */
  failed(err: unknown, handler = 'message'): SessionStep {
    this.d.metrics.ingestHandlerErrors++;
    const message = err instanceof Error ? err.message : describe(err);
    this.warnings.warn(
      'handler error',
      { node: this.node, handler, err: message.slice(0, 200) },
      'ingest socket handler failed',
    );
    return this.close(IngestCloseCode.internalError, `server error handling the message: ${message}`);
  }

  private handle(data: Buffer | string): SessionStep {
    if (this.node) this.d.collectors.heard(this.node, this.d.now(), this.d.connection);
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > MAX_INGEST_FRAME_BYTES) {
      this.d.metrics.oversizedFrames++;
      return this.reject(undefined, `frame of ${size} bytes exceeds ${MAX_INGEST_FRAME_BYTES}`);
    }
    let msg: unknown;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    } catch {
      return this.reject(undefined, 'not JSON');
    }
    if (this.state === 'hello') return this.hello(msg);
    return (msg as { type?: unknown } | null)?.type === 'policy_context'
      ? this.context(msg)
      : this.batch(msg, data);
  }

  private hello(msg: unknown): SessionStep {
    const m = msg as { type?: unknown; protocol?: unknown } | null;
    if (
      m &&
      typeof m === 'object' &&
      m.type === 'hello' &&
      !ACCEPTED_PROTOCOLS.includes(m.protocol as number)
    ) {
      this.d.metrics.protocolMismatches++;
      return this.close(
        IngestCloseCode.protocolMismatch,
        `protocol ${describe(m.protocol)} not supported; this server speaks protocols ${ACCEPTED_PROTOCOLS.join(' and ')}`,
      );
    }
    if (!checkHello.Check(msg)) {
      this.d.metrics.rejectedMessages++;
      return this.close(
        IngestCloseCode.tooManyBadMessages,
        `expected hello: ${firstSchemaError(IngestHello, msg).slice(0, 200)}`,
      );
    }
    const joined = this.d.collectors.connect(msg, this.d.now(), this.d.connection);
    if (!joined.ok) {
      return this.close(joined.code, joined.reason);
    }
    const { lastSeq } = joined;
    this.node = msg.node;
    this.boot = msg.boot;
    this.protocol = msg.protocol;
    this.state = 'streaming';
    this.d.log.info(
      { node: msg.node, boot: msg.boot, version: msg.collectorVersion, simulated: msg.simulated, lastSeq },
      'collector connected',
    );
    return {
      // In the collector's own protocol: it checks the welcome speaks it.
      send: [
        {
          type: 'welcome',
          protocol: msg.protocol,
          serverVersion: SERVER_VERSION,
          lastSeq,
          ...(this.d.policyContexts ? { features: [POLICY_CONTEXT_FEATURE, OBJECT_CHANGES_FEATURE] } : {}),
        },
      ],
    };
  }

  private batch(msg: unknown, frame: Buffer | string): SessionStep {
    if (!this.d.collectors.owns(this.node, this.boot, this.d.connection))
      return this.close(IngestCloseCode.replaced, 'replaced by a new connection for this node');
    // A protocol 2 batch is self-contained: a new endpoint table each.
    if (this.protocol === 2 && msg !== null && typeof msg === 'object' && !('endpointBase' in msg))
      (msg as { endpointBase: number }).endpointBase = 0;
    if (!checkBatch.Check(msg)) {
      const seq = (msg as { seq?: unknown } | null)?.seq;
      return this.reject(
        Number.isInteger(seq) ? (seq as number) : undefined,
        `malformed batch: ${firstSchemaError(PackedBatch, msg).slice(0, 200)}`,
      );
    }
    const now = this.d.now();
    const implausible = batchPlausibilityProblem(msg, { now, oldest: now - this.d.retentionMs });
    if (implausible) return this.reject(msg.seq, `implausible batch: ${implausible}`);
    const verdict = this.d.collectors.sequence(this.node, msg.seq, msg.end, now);
    if (verdict === 'implausible')
      return this.reject(
        msg.seq,
        `implausible batch: seq ${msg.seq} jumps past ${this.d.collectors.seqLimit(this.node, now)}, the most this boot can have reached`,
      );
    const step = this.endpoints.stepProblem(msg);
    if (step) {
      this.d.metrics.resyncs++;
      // After a refused batch, what a collector had in flight comes back out of step, a batch each; a
      // sender that never starts a new table is closed rather than answered forever.
      if (++this.resyncsInARow > this.d.maxResyncsInARow) {
        this.d.metrics.abusiveClosed++;
        return this.close(
          IngestCloseCode.tooManyBadMessages,
          `${this.resyncsInARow - 1} batches in a row out of step with the endpoint table`,
        );
      }
      this.warnings.warn(
        'resync',
        { node: this.node, seq: msg.seq, reason: step },
        'ingest batch needs a new endpoint table',
      );
      return { send: [{ type: 'resync', seq: msg.seq, reason: step }] };
    }
    this.resyncsInARow = 0;
    const problem = packedBatchProblem(msg);
    if (problem) return this.reject(msg.seq, `malformed batch: ${problem}`);
    // Taken into the table before the duplicate check: the collector counts a resent batch's
    // endpoints as sent too.
    const batch = this.endpoints.resolve(msg);
    const journal = (stored: boolean) =>
      this.d.journal?.batch(
        this,
        typeof frame === 'string' ? Buffer.from(frame) : frame,
        msg.endpointBase,
        batch.endpoints,
        this.node,
        now,
        stored,
      );
    if (verdict === 'duplicate') {
      // Its endpoints are in the table: the journal's copy of the table takes them too.
      journal(false);
      this.d.metrics.duplicateBatches++;
      return { send: [{ type: 'ack', seq: msg.seq }] };
    }
    // At the time the journal records for it, to the millisecond: a replay pinned to that time then
    // takes the same decisions (the dedupe window's turns, the retention edge) as this ingest does.
    const stored = this.d.store.ingestPacked(batch, this.node, now);
    // After the store took it, before the ack: the ack does not wait for the disk (best effort, written
    // within a second).
    journal(true);
    // Recorded once stored: a batch the store failed on is not taken for a duplicate when resent.
    this.d.collectors.batch(this.node, msg.end, msg.lost, now, msg.seq);
    this.d.metrics.batches++;
    this.d.metrics.recordsStored(stored, now);
    return { send: [{ type: 'ack', seq: msg.seq }] };
  }

  /** Not acknowledged: the collector sends the newest again on its next connection anyway. */
  private context(msg: unknown): SessionStep {
    if (!this.d.collectors.owns(this.node, this.boot, this.d.connection))
      return this.close(IngestCloseCode.replaced, 'replaced by a new connection for this node');
    if (!this.d.policyContexts) return this.reject(undefined, 'policy_context: not offered by this server');
    if (!checkContext.Check(msg))
      return this.reject(
        undefined,
        `malformed policy_context: ${firstSchemaError(PolicyContext, msg).slice(0, 200)}`,
      );
    this.d.policyContexts.take(this.node, msg, this.d.now());
    return { send: [] };
  }

  private reject(seq: number | undefined, reason: string): SessionStep {
    this.bad++;
    this.d.metrics.rejectedMessages++;
    if (this.node) this.d.collectors.rejected(this.node, this.d.now());
    this.warnings.warn(
      'rejected',
      { node: this.node, seq, reason, bad: this.bad },
      'ingest message rejected',
    );
    const reject: ServerIngestMessage =
      seq === undefined ? { type: 'reject', reason } : { type: 'reject', seq, reason };
    if (this.bad >= this.d.maxBadMessages) {
      this.d.metrics.abusiveClosed++;
      const { close } = this.close(
        IngestCloseCode.tooManyBadMessages,
        `too many malformed messages (${this.bad})`,
      );
      return close ? { send: [reject], close } : { send: [reject] };
    }
    return { send: [reject] };
  }

  private close(code: number, reason: string): SessionStep {
    this.state = 'closed';
    return { send: [], close: { code, reason: reasonText(reason) } };
  }

  /** The socket went away. */
  closed(): void {
    this.state = 'closed';
    this.warnings.flush();
    if (this.node) this.d.collectors.disconnect(this.node, this.boot, this.d.now(), this.d.connection);
  }
}
