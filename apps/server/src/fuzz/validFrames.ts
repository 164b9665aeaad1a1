import { readFileSync } from 'node:fs';
import { type IngestBatch, type IngestHello, PROTOCOL_VERSION } from '@weft/protocol';
import { labBatches } from '../fixtures/labBatches.js';
import { N1, N2 } from '../fixtures/labCluster.js';

/**
 * Valid collector messages for the fuzz suite and the soak to start from: the lab's synthetic batches
 * (every record kind) and the recorded lab batches, moved to end at a given time so the store keeps them.
 */
const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/recorded-lab-batches.json', import.meta.url), 'utf8'),
) as { node: string; batch: IngestBatch }[];

/** `b` moved in time so that it ends at `end`; a copy. */
export function retime(b: IngestBatch, end: number): IngestBatch {
  const d = end - b.end;
  const at = <T extends { ts: number }>(r: T): T => ({ ...r, ts: r.ts + d });
  return {
    ...b,
    start: b.start + d,
    end,
    flows: b.flows.map(at),
    drops: b.drops.map(at),
    tcp: b.tcp.map(at),
    tcpStats: b.tcpStats.map(at),
    dns: b.dns.map(at),
  };
}

const LAB = labBatches({
  seconds: 1,
  nodes: [N1, N2],
  policyDropsPerSec: 2,
  nxdomainPerSec: 1,
  refusedPerSec: 1,
});

/** The valid bases, each ending at `end`, with `seq` set. */
export function validBatches(end: number, seq = 0): IngestBatch[] {
  return [...LAB, ...recorded.map((r) => r.batch)].map((b) => ({ ...retime(b, end), seq }));
}

export function validHello(node: string, boot: string): IngestHello {
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    node,
    boot,
    collectorVersion: '0.1.0',
    hooks: ['tc:eth0', 'tp_btf/kfree_skb'],
    simulated: false,
  };
}

/**
 * A valid batch of records no fuzz frame holds: the store takes the same event seen by two collectors
 * once, so a normal collector sending the fuzz bases' records would see them counted as the other's.
 */
export function distinctBatch(end: number, seq: number): IngestBatch {
  const b = validBatches(end, seq)[0]!;
  const port = (p: number) => (p + 7) % 65_536;
  return {
    ...b,
    flows: b.flows.map((r) => ({ ...r, sport: port(r.sport) })),
    drops: b.drops.map((r) => ({ ...r, sport: port(r.sport) })),
    tcp: b.tcp.map((r) => ({ ...r, sport: port(r.sport) })),
    tcpStats: b.tcpStats.map((r) => ({ ...r, sport: port(r.sport) })),
    dns: b.dns.map((r) => ({ ...r, id: port(r.id) })),
  };
}
