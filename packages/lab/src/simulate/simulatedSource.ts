import { PROBE_RECORD_VERSION, type ProbeRecord } from '@weft/protocol';
import type { FaultSpec } from '../faults/faultSpec.js';
import { applyScenario, type Scenario } from '../scenario/scenario.js';
import { planLab } from '../topology/addressPlan.js';
import { defaultTopology } from '../topology/defaultTopology.js';
import type { Topology } from '../topology/topology.js';
import { validateTopology } from '../topology/validateTopology.js';
import { buildSimModel, type SimModel, simulateInterval } from './simulate.js';

export interface SimulatedSourceOptions {
  /** Default: defaultTopology() */
  topology?: Topology;
  scenario?: Scenario;
  /** The lab node whose pods this source observes (one source per node, like one probe per node). */
  node: string;
  intervalMs?: number;
  /** Same seed, same records (ts aside from the interval). Default 1. */
  seed?: number;
  /** The faults on (with ids, a scenario fault's own clients run); default: the scenario's own. */
  faults?: (FaultSpec & { id?: string })[];
  /** Clock (ms since the epoch); default Date.now. */
  now?: () => number;
  /** false: produce intervals back to back without waiting (tests, benchmarks). Default true. */
  realtime?: boolean;
}

export interface SimulatedSource {
  records: AsyncIterable<ProbeRecord>;
  stop(): Promise<void>;
  /** Replaces the active faults from the next interval on. */
  setFaults(faults: (FaultSpec & { id?: string })[]): void;
}

export const SIMULATED_HOOKS = [
  'tp_btf/kfree_skb',
  'tp_btf/inet_sock_set_state',
  'tp_btf/tcp_probe',
  'tp_btf/tcp_retransmit_skb',
];

/**
 * Synthetic probe records for hosts without root or eBPF: the same topology and scenario as the real
 * lab, the records the real probe of `node` would write. Intervals are aligned to the clock, so sources
 * of different nodes agree on every connection.
 */
export function createSimulatedSource(opts: SimulatedSourceOptions): SimulatedSource {
  const scenario = opts.scenario ?? 'default';
  const topology = applyScenario(validateTopology(opts.topology ?? defaultTopology()), scenario);
  const plan = planLab(topology);
  const node = plan.nodes.find((n) => n.name === opts.node);
  if (!node)
    throw new Error(
      `simulated source: node "${opts.node}" is not in the topology (${plan.nodes.map((n) => n.name).join(', ')})`,
    );
  const intervalMs = opts.intervalMs ?? 1000;
  if (!Number.isInteger(intervalMs) || intervalMs < 10 || intervalMs > 3_600_000)
    throw new Error(`simulated source: intervalMs must be an integer from 10 to 3600000 (got ${intervalMs})`);
  const now = opts.now ?? Date.now;
  const realtime = opts.realtime ?? true;
  const seed = opts.seed ?? 1;
  // Without faults given, the scenario's own (buildSimModel's default; the real lab starts with them too).
  let model: SimModel = buildSimModel(plan, {
    seed,
    intervalMs,
    ...(opts.faults ? { faults: opts.faults } : {}),
  });
  const pods = plan.pods.filter((p) => p.node === node.name);
  let stopped = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const sleepUntil = (t: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, Math.max(0, t - now()));
    });

  async function* generate(): AsyncGenerator<ProbeRecord> {
    const t0 = now();
    yield {
      type: 'hello',
      ts: t0,
      version: PROBE_RECORD_VERSION,
      hooks: [...pods.map((p) => `tc:${p.hostIfname}`), ...SIMULATED_HOOKS],
      kernel: 'simulated',
    };
    for (const [i, p] of pods.entries())
      yield { type: 'link', ts: t0, event: 'attach', ifname: p.hostIfname, ifindex: 100 + i };
    let k = Math.floor(t0 / intervalMs);
    while (!stopped) {
      if (realtime) {
        await sleepUntil((k + 1) * intervalMs);
        if (stopped) break;
      }
      for (const r of simulateInterval(model, k, node!.name)) yield r;
      yield { type: 'stats', ts: (k + 1) * intervalMs, flow_overflow: 0, ring_lost: 0, links: pods.length };
      k++;
      if (realtime && (k + 1) * intervalMs < now()) k = Math.floor(now() / intervalMs) - 1;
    }
  }

  const iterator = generate();
  return {
    records: { [Symbol.asyncIterator]: () => iterator },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await iterator.return(undefined);
    },
    setFaults: (faults) => {
      model = buildSimModel(plan, { seed, intervalMs, faults });
    },
  };
}
