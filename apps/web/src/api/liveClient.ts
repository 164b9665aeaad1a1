import type { LiveError, LiveServerMessage, LiveUpdate } from '@weft/protocol';
import { LiveGraph } from '../domain/liveGraph.js';

/**
 * Browser side of WebSocket /api/v1/live: subscribes with the view's filter, resubscribes when it
 * changes, and reconnects with capped backoff after the server goes away (restart, network blip).
 * The server sends the whole graph, then what changed: the client applies the changes (LiveGraph) and
 * hands on whole graphs only, asking for the whole graph again when it finds it missed a change.
 */
export type LiveConnState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'waiting'; attempt: number; retryInMs: number; reason: string }
  | { kind: 'closed' };

export interface LiveClientOptions {
  url: string;
  /** Each graph whole (deltas applied), and the server's errors. */
  onMessage: (msg: LiveUpdate | LiveError) => void;
  onState: (state: LiveConnState) => void;
  /** For tests: a WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
  maxBackoffMs?: number;
}

export interface LiveClient {
  subscribe(filter: string): void;
  close(): void;
}

export function liveUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/v1/live`;
}

export function backoffMs(attempt: number, max: number): number {
  return Math.min(max, 500 * 2 ** Math.max(0, attempt - 1));
}

export function createLiveClient(opts: LiveClientOptions): LiveClient {
  const WS = opts.WebSocketImpl ?? WebSocket;
  const max = opts.maxBackoffMs ?? 5000;
  let filter: string | null = null;
  let ws: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  // Numbers the subscriptions: what still arrives for the one before is told apart and dropped.
  let sub = 0;
  const graph = new LiveGraph();

  const send = () => {
    if (ws && ws.readyState === WS.OPEN && filter !== null) {
      sub = (sub + 1) % 2 ** 31;
      graph.reset();
      ws.send(JSON.stringify({ type: 'subscribe', filter, sub }));
    }
  };

  const connect = () => {
    if (closed) return;
    attempt++;
    opts.onState({ kind: 'connecting', attempt });
    const sock = new WS(opts.url);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      opts.onState({ kind: 'open' });
      send();
    };
    sock.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      let msg: LiveServerMessage;
      try {
        msg = JSON.parse(ev.data) as LiveServerMessage;
      } catch {
        return;
      }
      if (!msg || typeof msg !== 'object') return;
      if (msg.type === 'error') opts.onMessage(msg);
      else if (msg.type === 'update' || msg.type === 'delta') {
        if (msg.sub !== undefined && msg.sub !== sub) return;
        const got = graph.receive(msg);
        if (got.resync && sock.readyState === WS.OPEN) sock.send(JSON.stringify({ type: 'resync' }));
        if (got.show) opts.onMessage(got.show);
      }
    };
    sock.onclose = (ev: CloseEvent) => {
      if (ws !== sock) return;
      ws = null;
      if (closed) return;
      const retryInMs = backoffMs(attempt, max);
      opts.onState({
        kind: 'waiting',
        attempt,
        retryInMs,
        reason: ev.reason || (ev.code === 1006 ? 'connection lost' : `closed (${ev.code})`),
      });
      timer = setTimeout(connect, retryInMs);
    };
  };

  connect();

  return {
    subscribe(next) {
      filter = next;
      send();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const sock = ws;
      ws = null;
      sock?.close(1000, 'page closed');
      opts.onState({ kind: 'closed' });
    },
  };
}
