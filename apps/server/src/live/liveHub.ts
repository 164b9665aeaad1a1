import {
  type FilterState,
  type GraphResponse,
  type LiveServerMessage,
  LiveSubscribe,
  type LiveSummary,
  parseFilter,
  resolveWindow,
  serializeFilter,
} from '@weft/protocol';
import { Compile } from 'typebox/compile';
import type { ServerMetrics } from '../serverMetrics.js';

const checkSubscribe = Compile(LiveSubscribe);

/** A client this far behind (bytes queued in its socket) misses updates until it catches up. */
export const MAX_BUFFERED_BYTES = 1 << 20;
export const MAX_LIVE_MESSAGE_BYTES = 16 * 1024;

export interface LiveSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

interface Client {
  socket: LiveSocket;
  filter: FilterState | null;
}

export interface LiveSources {
  graph(filter: FilterState, window: { start: number; end: number }): GraphResponse;
  summary(): LiveSummary;
  simulated(): boolean;
  now(): number;
}

/**
 * Browsers subscribed to /api/v1/live. Every tick each subscriber gets its filter's graph and the
 * cluster summary, numbered; one computed graph is shared by subscribers with the same filter, and a
 * client whose socket is backed up is skipped rather than buffered.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private seq = 0;

  constructor(
    private readonly sources: LiveSources,
    private readonly metrics: ServerMetrics,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  add(socket: LiveSocket): { message(data: Buffer | string): void; close(): void } {
    const client: Client = { socket, filter: null };
    this.clients.add(client);
    this.metrics.liveClients = this.clients.size;
    return {
      message: (data) => this.onMessage(client, data),
      close: () => {
        this.clients.delete(client);
        this.metrics.liveClients = this.clients.size;
      },
    };
  }

  private onMessage(client: Client, data: Buffer | string): void {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    if (text.length > MAX_LIVE_MESSAGE_BYTES) {
      this.error(client, 'message too large', []);
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = undefined;
    }
    if (!checkSubscribe.Check(msg)) {
      this.error(client, 'expected {"type":"subscribe","filter":"<query string>"}', []);
      return;
    }
    const { state, issues } = parseFilter(msg.filter);
    client.filter = state;
    // The valid part of the filter still applies; the client shows what was ignored.
    if (issues.length > 0) this.error(client, 'some filter parameters were ignored', issues);
    this.sendUpdate(client, ++this.seq, new Map(), this.sources.summary());
  }

  private error(client: Client, message: string, issues: { param: string; value: string; reason: string }[]) {
    this.send(client.socket, { type: 'error', message, issues });
  }

  private send(socket: LiveSocket, msg: LiveServerMessage): boolean {
    if (socket.readyState !== 1) return false;
    socket.send(JSON.stringify(msg));
    return true;
  }

  /** One update round; returns how many clients were sent an update. */
  tick(): number {
    const seq = ++this.seq;
    const graphs = new Map<string, GraphResponse>();
    const summary = this.sources.summary();
    let sent = 0;
    for (const c of this.clients) if (c.filter && this.sendUpdate(c, seq, graphs, summary)) sent++;
    return sent;
  }

  private sendUpdate(
    c: Client,
    seq: number,
    graphs: Map<string, GraphResponse>,
    summary: LiveSummary,
  ): boolean {
    if (!c.filter) return false;
    if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.metrics.liveUpdatesSkipped++;
      return false;
    }
    const key = serializeFilter(c.filter);
    let graph = graphs.get(key);
    if (!graph) {
      const now = this.sources.now();
      graph = this.sources.graph(c.filter, resolveWindow(c.filter.from, c.filter.to, now));
      graphs.set(key, graph);
    }
    const ok = this.send(c.socket, {
      type: 'update',
      seq,
      ts: this.sources.now(),
      graph,
      summary,
      simulated: this.sources.simulated(),
    });
    if (ok) this.metrics.liveUpdatesSent++;
    return ok;
  }

  closeAll(code: number, reason: string): void {
    for (const c of this.clients) c.socket.close(code, reason);
    this.clients.clear();
  }
}
