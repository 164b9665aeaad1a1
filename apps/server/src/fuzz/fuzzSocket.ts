import WebSocket from 'ws';

export type SocketEvent =
  | { kind: 'message'; text: string; json: unknown }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'silent' };

/**
 * A WebSocket client for hostile tests: it sends anything (text, binary, invalid JSON) and reads what
 * comes back as a sequence of events, a close being one of them, so a test can tell "answered",
 * "closed, saying why" and "said nothing" apart. A reply that is not JSON is kept as text.
 */
export class FuzzSocket {
  private readonly events: SocketEvent[] = [];
  private waiter: ((e: SocketEvent) => void) | null = null;
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      this.push({ kind: 'message', text, json });
    });
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.push({ kind: 'close', code, reason: reason.toString() });
    });
    // A socket error (the server cut us off mid-frame) is followed by close, which is what counts.
    ws.on('error', () => {});
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<FuzzSocket> {
    const ws = new WebSocket(url, { headers, maxPayload: 64 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        resolve(new FuzzSocket(ws));
      });
    });
  }

  private push(e: SocketEvent): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w(e);
    else this.events.push(e);
  }

  /** The next event, or `silent` after `ms` without one (the server neither answered nor closed). */
  next(ms = 5_000): Promise<SocketEvent> {
    const e = this.events.shift();
    if (e) return Promise.resolve(e);
    if (this.closed) return Promise.resolve({ kind: 'silent' });
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiter = null;
        resolve({ kind: 'silent' });
      }, ms);
      this.waiter = (ev) => {
        clearTimeout(t);
        resolve(ev);
      };
    });
  }

  send(frame: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((r) => this.ws.once('close', () => r()));
    this.ws.close();
    await done;
  }
}
