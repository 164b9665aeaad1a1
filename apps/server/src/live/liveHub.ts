import {
  type FilterState,
  type GraphEdge,
  type GraphNode,
  type GraphResponse,
  graphChanges,
  itemsById,
  LiveClientMessage,
  type LiveServerMessage,
  type LiveSummary,
  parseFilter,
  serializeFilter,
} from '@weft/protocol';
import { Compile } from 'typebox/compile';
import type { LoopShare } from '../loopShare.js';
import type { ServerMetrics } from '../serverMetrics.js';
import { TokenBucket } from './tokenBucket.js';

const checkMessage = Compile(LiveClientMessage);

/**
 * How far behind (bytes queued in its socket) a client may be. Update rounds skip a client over it until
 * it catches up; a reply due to a client over it closes that client instead, since it is still sending
 * while not reading what it asked for: queueing the replies is what grew the server by gigabytes.
 */
export const MAX_BUFFERED_BYTES = 1 << 20;
/** The live route's frame limit (the WebSocket layer refuses bigger frames from their header). */
export const MAX_LIVE_MESSAGE_BYTES = 16 * 1024;

/** Close codes: 1008 policy violation, 1011 internal error. */
const POLICY = 1008;
const INTERNAL = 1011;

export interface LiveSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  /** A WebSocket ping: its pong (same data) comes back once the client has read everything sent before it. */
  ping(data: string): void;
  close(code?: number, reason?: string): void;
  /** Drops the connection now, without the close handshake. */
  terminate(): void;
}

export interface LiveLimits {
  /** Messages a client may send at once; beyond its allowance only the newest is kept. */
  messageBurst: number;
  /** How fast the allowance refills. */
  messagesPerSecond: number;
  /** A client that has not subscribed this long after connecting is closed. */
  subscribeTimeoutMs: number;
  /**
   * How long a client may take to read an update (its pong to the ping that followed it) before rounds
   * stop computing updates for it: a pong on its way (a round trip, a busy browser) costs no round.
   */
  readGraceMs: number;
  /** A client whose pong has not come back this long after the ping that followed an update is closed. */
  unreadTimeoutMs: number;
}

export const DEFAULT_LIVE_LIMITS: Readonly<LiveLimits> = Object.freeze({
  messageBurst: 20,
  messagesPerSecond: 5,
  subscribeTimeoutMs: 10_000,
  readGraceMs: 2_000,
  unreadTimeoutMs: 30_000,
});

/** One filter's graph of one round, shared by its subscribers, with what they are sent made once. */
interface RoundGraph {
  key: string;
  graph: GraphResponse;
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  /** The graph as JSON, made for the first subscriber sent it whole. */
  text: string | null;
  /**
   * The delta's body (head and changes) as JSON by the round graph it is against. Weak: an older round's
   * graph lives only while a client still holds it.
   */
  deltas: WeakMap<RoundGraph, string>;
}

interface Client {
  socket: LiveSocket;
  filter: FilterState | null;
  /** The subscribe's number, echoed on what answers it. */
  sub: number | undefined;
  /**
   * The graph the client holds (the last one sent it) and that message's seq; null when its next
   * message must be the whole graph: a new subscription, a resync asked for, or an update it missed.
   */
  holds: RoundGraph | null;
  heldSeq: number;
  connectedAt: number;
  allowance: TokenBucket;
  /** The newest message that came over the allowance, handled at the next round. */
  pending: string | null;
  /**
   * When the ping sent after its last update went out, while its pong has not come back (else null):
   * the client has not read that update yet, and rounds compute nothing for it until it has.
   */
  pingedAt: number | null;
  /** That ping's data: a pong of another ping (the idle check's) is no receipt for the update. */
  pingData: string;
  open: boolean;
}

export interface LiveSources {
  /** The filter's graph as of `now`: its time selection (live, at, range) says over which window. */
  graph(filter: FilterState, now: number): GraphResponse;
  summary(): LiveSummary;
  simulated(): boolean;
  now(): number;
}

/** A resync, told from its text without parsing JSON for every message over the allowance. */
function isResync(text: string): boolean {
  return text.length < 64 && /^\s*\{\s*"type"\s*:\s*"resync"\s*\}\s*$/.test(text);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** A graph that failed this round: its subscribers get an error instead. */
const FAILED = Symbol('failed');

/**
 * Browsers subscribed to /api/v1/live. Every tick each subscriber gets its filter's graph and the
 * cluster summary, numbered: as what changed since the graph it holds (a delta), or whole after a
 * subscribe, a resync, or a round it missed. One computed graph (and its delta against each older one)
 * is shared by subscribers with the same filter, and a client whose socket is backed up is skipped
 * rather than buffered. Nothing a client sends and no
 * failure while serving one client reaches another: such a client is closed with a reason and counted.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private seq = 0;
  /** A sliced round is running (tickInSlices). */
  private slicing = false;
  /** Where failures are reported (the server's log). */
  onError: (err: unknown, what: string) => void = () => {};

  constructor(
    private readonly sources: LiveSources,
    private readonly metrics: ServerMetrics,
    private readonly limits: LiveLimits = DEFAULT_LIVE_LIMITS,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** Clients whose last update is not read yet (the pong to the ping after it has not come back). */
  get awaitingReceipt(): number {
    let n = 0;
    for (const c of this.clients) if (c.pingedAt !== null) n++;
    return n;
  }

  add(socket: LiveSocket): {
    message(data: Buffer | string): void;
    pong(data: Buffer | string): void;
    close(): void;
  } {
    const now = this.sources.now();
    const client: Client = {
      socket,
      filter: null,
      sub: undefined,
      holds: null,
      heldSeq: 0,
      connectedAt: now,
      allowance: new TokenBucket(this.limits.messageBurst, this.limits.messagesPerSecond, now),
      pending: null,
      pingedAt: null,
      pingData: '',
      open: true,
    };
    this.clients.add(client);
    this.metrics.liveClients = this.clients.size;
    return {
      message: (data) => this.onMessage(client, data),
      pong: (data) => {
        if (client.pingedAt !== null && data.toString() === client.pingData) client.pingedAt = null;
      },
      close: () => this.forget(client),
    };
  }

  private forget(client: Client): void {
    client.open = false;
    this.clients.delete(client);
    this.metrics.liveClients = this.clients.size;
  }

  private onMessage(client: Client, data: Buffer | string): void {
    if (!client.open) return;
    try {
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (size > MAX_LIVE_MESSAGE_BYTES) {
        this.drop(client, 1009, `message over ${MAX_LIVE_MESSAGE_BYTES} bytes`, 'frame_too_large');
        return;
      }
      const text = typeof data === 'string' ? data : data.toString('utf8');
      if (!client.allowance.take(this.sources.now())) {
        // A resync over the allowance is granted by the next round (it sends the whole graph), and
        // never displaces a subscribe waiting for that round.
        if (isResync(text)) {
          client.holds = null;
          this.metrics.liveMessagesThrottled++;
          return;
        }
        // A resubscribe supersedes the one before it, so keeping the newest loses nothing a person sent.
        client.pending = text;
        this.metrics.liveMessagesThrottled++;
        return;
      }
      if (this.handle(client, text) && client.open)
        this.sendUpdate(client, ++this.seq, new Map(), this.sources.summary(), true);
    } catch (err) {
      this.fail(client, err, 'handling a message');
    }
  }

  /** Applies one message; errors go back to the client. True when the client is due the whole graph. */
  private handle(client: Client, text: string): boolean {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = undefined;
    }
    if (!checkMessage.Check(msg)) {
      this.reply(client, {
        type: 'error',
        message: 'expected {"type":"subscribe","filter":"<query string>"} or {"type":"resync"}',
        issues: [],
      });
      return false;
    }
    client.holds = null;
    if (msg.type === 'resync') {
      if (client.filter) return true;
      this.reply(client, { type: 'error', message: 'resync before any subscribe', issues: [] });
      return false;
    }
    const { state, issues } = parseFilter(msg.filter);
    client.filter = state;
    client.sub = msg.sub;
    // The valid part of the filter still applies; the client shows what was ignored.
    if (issues.length > 0)
      this.reply(client, { type: 'error', message: 'some filter parameters were ignored', issues });
    return true;
  }

  /** A message answering the client's own: never queued onto a backlog over the cap. */
  private reply(client: Client, msg: LiveServerMessage | string): boolean {
    if (!client.open || client.socket.readyState !== 1) return false;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.drop(client, POLICY, 'too far behind: replies are not being read', 'backlog');
      // Its close frame would wait behind the backlog it does not read: free the memory now.
      client.socket.terminate();
      return false;
    }
    client.socket.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    return true;
  }

  /** Closes a client for breaking a limit, counted by reason. */
  private drop(client: Client, code: number, reason: string, counted: string): void {
    if (!client.open) return;
    this.metrics.countWs('closed', 'live', counted);
    this.forget(client);
    client.socket.close(code, reason);
  }

  private fail(client: Client, err: unknown, what: string): void {
    this.onError(err, what);
    if (!client.open) return;
    this.metrics.countWs('closed', 'live', 'handler_error');
    this.forget(client);
    try {
      client.socket.close(INTERNAL, 'internal error');
    } catch {
      client.socket.terminate();
    }
  }

  /** One update round; returns how many clients were sent an update. Never throws. */
  tick(): number {
    const round = this.round();
    let step = round.next();
    while (!step.done) step = round.next();
    return step.value;
  }

  /**
   * The same round, one computed graph per task: `next` runs between them (setImmediate in the
   * server), so a round of many filters over a large store is many short tasks, not one long one that
   * holds every socket and /readyz up. A round asked for while one is still running is skipped
   * (counted): the next one sends the newer data anyway.
   */
  async tickInSlices(
    next: () => Promise<void>,
    share?: LoopShare,
    clock: () => number = () => performance.now(),
  ): Promise<number> {
    if (this.slicing) {
      this.metrics.liveRoundsSkipped++;
      return 0;
    }
    this.slicing = true;
    try {
      const round = this.round();
      let t = clock();
      // Within its share of the loop the round goes on; past it, the clients not reached wait for the
      // next round, where they come first (round() moves each client it served to the end).
      if (share && share.spent(0, t) > 0) {
        this.metrics.liveRoundsCut++;
        return 0;
      }
      let step = round.next();
      while (!step.done) {
        const end = clock();
        if (share && share.spent(end - t, end) > 0) {
          this.metrics.liveRoundsCut++;
          round.return(step.value);
          return step.value;
        }
        await next();
        t = clock();
        step = round.next();
      }
      if (share) share.spent(clock() - t, clock());
      return step.value;
    } finally {
      this.slicing = false;
    }
  }

  /** A round of updates; yields after each graph it computed. Returns how many clients were sent one. */
  private *round(): Generator<number, number, void> {
    let summary: LiveSummary;
    let now: number;
    try {
      summary = this.sources.summary();
      now = this.sources.now();
    } catch (err) {
      this.onError(err, 'computing the live summary');
      return 0;
    }
    const seq = ++this.seq;
    const graphs = new Map<string, RoundGraph | typeof FAILED>();
    let sent = 0;
    for (const c of [...this.clients]) {
      const computed = graphs.size;
      try {
        if (c.pending !== null) {
          const text = c.pending;
          c.pending = null;
          this.handle(c, text);
        }
        if (!c.open) continue;
        if (!c.filter) {
          if (now - c.connectedAt >= this.limits.subscribeTimeoutMs)
            this.drop(
              c,
              POLICY,
              `no subscribe within ${seconds(this.limits.subscribeTimeoutMs)}`,
              'no_subscribe',
            );
          continue;
        }
        if (this.sendUpdate(c, seq, graphs, summary, false)) sent++;
        // Served this round: the end of the line for the next (a cut round's rest goes first).
        if (this.clients.delete(c)) this.clients.add(c);
      } catch (err) {
        this.fail(c, err, 'sending an update');
      }
      if (graphs.size > computed) yield sent;
    }
    return sent;
  }

  private sendUpdate(
    c: Client,
    seq: number,
    graphs: Map<string, RoundGraph | typeof FAILED>,
    summary: LiveSummary,
    isReply: boolean,
  ): boolean {
    if (!c.filter || !c.open) return false;
    const waited = c.pingedAt === null ? 0 : this.sources.now() - c.pingedAt;
    if (!isReply && waited > this.limits.readGraceMs) {
      // Flow control by read receipt: the update it was sent a while ago is not read yet (its pong is
      // not back), so none is computed for it. A client that never reads costs a ping and the rounds of
      // the grace, not a graph a round (its messages may be too small ever to back its socket up), and
      // a slow link (a port-forward) gets updates as fast as it reads them. The next one it gets is a
      // delta against what it holds.
      if (waited > this.limits.unreadTimeoutMs) {
        this.drop(c, POLICY, `not reading: no pong for ${seconds(waited)}`, 'not_reading');
        return false;
      }
      this.metrics.liveUpdatesUnread++;
      return false;
    }
    if (!isReply && c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.metrics.liveUpdatesSkipped++;
      // It misses this round's changes: it is sent the whole graph once it reads again.
      c.holds = null;
      return false;
    }
    const key = serializeFilter(c.filter);
    let round = graphs.get(key);
    if (round === undefined) {
      try {
        const graph = this.sources.graph(c.filter, this.sources.now());
        round = {
          key,
          graph,
          nodes: itemsById(graph.nodes),
          edges: itemsById(graph.edges),
          text: null,
          deltas: new WeakMap(),
        };
      } catch (err) {
        // One filter's graph failing leaves the other filters' rounds alone.
        this.metrics.liveGraphErrors++;
        this.onError(err, `computing the live graph for ${key.slice(0, 200)}`);
        round = FAILED;
      }
      graphs.set(key, round);
    }
    if (round === FAILED) {
      const msg: LiveServerMessage = {
        type: 'error',
        message: 'the graph for this filter could not be computed',
        issues: [],
      };
      if (isReply) this.reply(c, msg);
      else this.sendRound(c, JSON.stringify(msg));
      return false;
    }
    const text = this.messageFor(c, round, seq, summary);
    const ok = isReply ? this.reply(c, text) : this.sendRound(c, text);
    if (ok) {
      if (c.pingedAt === null && c.socket.readyState === 1) {
        c.pingData = `u${seq}`;
        c.pingedAt = this.sources.now();
        c.socket.ping(c.pingData);
      }
      c.holds = round;
      c.heldSeq = seq;
      this.metrics.liveUpdatesSent++;
      this.metrics.liveBytesSent += Buffer.byteLength(text);
      if (text.startsWith('{"type":"update"')) this.metrics.liveWholeSent++;
    }
    return ok;
  }

  /** The client's message this round: what changed since the graph it holds, or the whole graph. */
  private messageFor(c: Client, round: RoundGraph, seq: number, summary: LiveSummary): string {
    const ts = this.sources.now();
    const simulated = this.sources.simulated();
    // Numbers and booleans only: the message is put together around the shared JSON of the graph.
    const fields = `"seq":${seq}${c.sub === undefined ? '' : `,"sub":${c.sub}`},"ts":${JSON.stringify(ts)},"simulated":${simulated},"summary":${JSON.stringify(summary)}`;
    const held = c.holds !== null && c.holds.key === round.key ? c.holds : null;
    if (held !== null) {
      // Even with every rate changed a delta is the smaller: a patch carries the id and the fields that
      // changed, not the ends, ports and figures that did not.
      let body = round.deltas.get(held);
      if (body === undefined) {
        body = JSON.stringify(graphChanges(held.nodes, held.edges, round.graph));
        round.deltas.set(held, body);
      }
      return `{"type":"delta",${fields},"base":${c.heldSeq},${body.slice(1)}`;
    }
    round.text ??= JSON.stringify(round.graph);
    return `{"type":"update",${fields},"graph":${round.text}}`;
  }

  private sendRound(c: Client, text: string): boolean {
    if (c.socket.readyState !== 1) return false;
    c.socket.send(text);
    return true;
  }

  closeAll(code: number, reason: string): void {
    for (const c of this.clients) c.socket.close(code, reason);
    this.clients.clear();
    this.metrics.liveClients = 0;
  }
}
