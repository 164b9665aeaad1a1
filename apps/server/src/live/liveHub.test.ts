import type { GraphResponse, LiveSummary } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { ServerMetrics } from '../serverMetrics.js';
import { LiveHub, type LiveSocket, MAX_BUFFERED_BYTES } from './liveHub.js';

/** A socket whose send buffer the test controls (the kernel's is not controllable from a test). */
class BufferingSocket implements LiveSocket {
  bufferedAmount = 0;
  readyState = 1;
  sent: { type: string; seq?: number }[] = [];
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
}

const summary: LiveSummary = {
  bytesPerSec: 0,
  packetsPerSec: 0,
  dropsPerSec: 0,
  dnsQueriesPerSec: 0,
  dnsErrorRate: 0,
  tcpConnectsPerSec: 0,
  tcpFailuresPerSec: 0,
  alertsFiring: 0,
  alertsPending: 0,
  collectors: 0,
};

describe('LiveHub', () => {
  it('skips a backed-up client instead of buffering, and shares one graph per filter', () => {
    let graphs = 0;
    const metrics = new ServerMetrics();
    const hub = new LiveHub(
      {
        now: () => 1,
        simulated: () => false,
        summary: () => summary,
        graph: (f, w) => {
          graphs++;
          return {
            level: f.level,
            start: w.start,
            end: w.end,
            nodes: [],
            edges: [],
            folded: 0,
            simulated: false,
          } as GraphResponse;
        },
      },
      metrics,
    );
    const fast = new BufferingSocket();
    const slow = new BufferingSocket();
    const a = hub.add(fast);
    const b = hub.add(slow);
    a.message('{"type":"subscribe","filter":"level=pod"}');
    b.message('{"type":"subscribe","filter":"level=pod"}');
    graphs = 0;
    slow.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    expect(hub.tick()).toBe(1);
    expect(hub.tick()).toBe(1);
    expect(graphs).toBe(2);
    expect(metrics.liveUpdatesSkipped).toBe(2);
    expect(slow.sent).toHaveLength(1);
    slow.bufferedAmount = 0;
    hub.tick();
    // The gap in sequence numbers tells the client it missed updates.
    expect(slow.sent.map((m) => m.seq)).toEqual([2, 5]);
    expect(fast.sent.map((m) => m.seq)).toEqual([1, 3, 4, 5]);
    b.close();
    expect(hub.size).toBe(1);
    expect(metrics.liveClients).toBe(1);
  });
});
