/** Counters behind the server's own /metrics: ingest health, live clients, abuse. */
export class ServerMetrics {
  batches = 0;
  records = 0;
  rejectedMessages = 0;
  duplicateBatches = 0;
  /** Batches answered with resync (packed against an endpoint table the connection didn't hold). */
  resyncs = 0;
  oversizedFrames = 0;
  unauthorized = 0;
  protocolMismatches = 0;
  abusiveClosed = 0;
  liveUpdatesSent = 0;
  /** Of those, sent as the whole graph (subscribe, resync, after a missed round); the rest are deltas. */
  liveWholeSent = 0;
  /** Bytes of the live updates sent (the message text, UTF-8). */
  liveBytesSent = 0;
  liveUpdatesSkipped = 0;
  /** Live updates not computed for a client that had not read its last one yet (no pong). */
  liveUpdatesUnread = 0;
  /** Live rounds not started because the one before was still computing its graphs. */
  liveRoundsSkipped = 0;
  /** Live rounds stopped short (or not started) for having used their share of the event loop. */
  liveRoundsCut = 0;
  /** Times an ingest connection's socket was paused for using more than its share of the loop. */
  ingestPaused = 0;
  liveClients = 0;
  ingestConnections = 0;
  /** Live messages over a client's allowance: only the newest is kept, handled at the next round. */
  liveMessagesThrottled = 0;
  /** Live graphs that failed to compute for one filter (its subscribers get an error that round). */
  liveGraphErrors = 0;
  /** Requests refused for a Host header naming no allowed host (DNS rebinding). */
  hostRefused = 0;
  /** Timer rounds (prune, alerts) that threw: each was logged and the next round ran. */
  timerErrors = 0;
  /** WebSocket upgrades refused before the handshake, by route and reason. */
  readonly wsRefused = new Map<string, number>();
  /** WebSockets the server closed for breaking a limit or failing, by route and reason. */
  readonly wsClosed = new Map<string, number>();
  countWs(kind: 'refused' | 'closed', route: string, reason: string): void {
    const m = kind === 'refused' ? this.wsRefused : this.wsClosed;
    const key = `${route}\t${reason}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  /** Exceptions in an ingest socket's handlers: each closed its connection, never the server. */
  ingestHandlerErrors = 0;
  /** Ingest warn lines not logged (rate-limited per connection and kind). */
  ingestLogLinesSuppressed = 0;
  /** Records stored in each of the last 10 seconds, for a rate that needs no Prometheus. */
  private readonly perSecond = new Float64Array(10);
  private second = 0;

  recordsStored(n: number, now: number): void {
    this.records += n;
    const s = Math.floor(now / 1000);
    this.advance(s);
    this.perSecond[s % 10]! += n;
  }

  private advance(s: number): void {
    if (s === this.second) return;
    const gap = Math.min(10, s - this.second);
    for (let i = 1; i <= gap; i++) this.perSecond[(this.second + i) % 10] = 0;
    this.second = s;
  }

  /** Records per second over the last complete 9 seconds. */
  ingestRate(now: number): number {
    const s = Math.floor(now / 1000);
    this.advance(s);
    let sum = 0;
    for (let i = 1; i < 10; i++) sum += this.perSecond[(s - i + 10) % 10]!;
    return sum / 9;
  }
}
