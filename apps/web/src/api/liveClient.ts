import type { LiveServerMessage } from '@weft/protocol';

/**
 * Browser side of WebSocket /api/v1/live: subscribes with the view's filter, resubscribes when it
 * changes, and reconnects with capped backoff after the server goes away (restart, network blip).
 */
export type LiveConnState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'waiting'; attempt: number; retryInMs: number; reason: string }
  | { kind: 'closed' };

export interface LiveClientOptions {
  url: string;
  onMessage: (msg: LiveServerMessage) => void;
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

  const send = () => {
    if (ws && ws.readyState === WS.OPEN && filter !== null) {
      ws.send(JSON.stringify({ type: 'subscribe', filter }));
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
      if (msg && (msg.type === 'update' || msg.type === 'error')) opts.onMessage(msg);
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
