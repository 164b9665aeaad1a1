import { BatchPacker, IngestCloseCode, PROTOCOL_VERSION } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { labBatches } from '../fixtures/labBatches.js';
import { N1 } from '../fixtures/labCluster.js';
import { ServerMetrics } from '../serverMetrics.js';
import { Store } from '../store/store.js';
import { CollectorRegistry } from './collectorRegistry.js';
import { IngestSession } from './ingestSession.js';

function session(maxResyncsInARow: number) {
  const metrics = new ServerMetrics();
  const s = new IngestSession({
    store: new Store({ ...DEFAULT_CONFIG }),
    collectors: new CollectorRegistry(),
    metrics,
    maxBadMessages: 3,
    maxResyncsInARow,
    now: Date.now,
    log: { warn() {}, info() {} },
  });
  const hello = { type: 'hello', protocol: PROTOCOL_VERSION, node: N1, boot: 'b', collectorVersion: 't' };
  expect(s.onMessage(JSON.stringify({ ...hello, hooks: [], simulated: false })).send[0]?.type).toBe(
    'welcome',
  );
  return { s, metrics };
}

describe('IngestSession and the endpoint table', () => {
  it('answers batches out of step with resync, takes a new table, and closes a sender that never starts one', () => {
    const { s, metrics } = session(3);
    const packer = new BatchPacker();
    const [u0, u1, u2] = labBatches({ start: Date.now() - 3000, seconds: 3, nodes: [N1] });
    const b0 = packer.pack(u0!);
    const b1 = packer.pack(u1!);
    const send = (b: object) => s.onMessage(JSON.stringify(b));
    // b0 never arrived: b1 extends a table this connection doesn't hold.
    expect(send(b1).send).toEqual([
      {
        type: 'resync',
        seq: b1.seq,
        reason: `endpoint table out of step: the batch adds at ${b0.endpoints.length}, this connection holds 0`,
      },
    ]);
    packer.reset();
    const again = packer.pack(u1!);
    expect(again.endpointBase).toBe(0);
    expect(send(again).send).toEqual([{ type: 'ack', seq: b1.seq }]);
    expect(send(packer.pack(u2!)).send[0]?.type).toBe('ack');
    expect(metrics.resyncs).toBe(1);
    // Resyncs don't count as malformed messages (3 would close): the run of them does, past its bound.
    const stale = { ...b1, seq: 99, endpointBase: 1 };
    for (let i = 0; i < 3; i++) expect(send(stale).send[0]?.type).toBe('resync');
    expect(send(stale).close).toEqual({
      code: IngestCloseCode.tooManyBadMessages,
      reason: '3 batches in a row out of step with the endpoint table',
    });
    expect(metrics.rejectedMessages).toBe(0);
  });
});
