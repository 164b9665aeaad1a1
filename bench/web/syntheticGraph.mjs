/**
 * A large cluster's graph for the map benchmark: `namespaces` x `podsPerNs` pods and `edges` edges,
 * deterministic (seeded), with a few dropping and failing edges. `tick` varies every rate, as a live
 * update does, and adds a pod now and then.
 * `churn` (0-1): only that share of the edges changes its rate from one tick to the next (edge i at
 * the ticks t with t = i mod 1/churn), and a pod's rate is the sum of its edges', as the server's is;
 * without it every edge and pod changes every tick (the worst case for deltas).
 */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticGraph({
  namespaces = 50,
  podsPerNs = 40,
  edges = 10_000,
  tick = 0,
  churn = 0,
} = {}) {
  const rand = rng(42);
  const nodes = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    nodes.push({
      id: `ns:${ns}`,
      kind: 'namespace',
      label: ns,
      namespace: ns,
      bytesPerSec: 0,
      dropsPerSec: 0,
    });
    const pods = podsPerNs + (n === 0 ? Math.floor(tick / 5) : 0);
    for (let p = 0; p < pods; p++) {
      nodes.push({
        id: `pod:${ns}/svc-${p}-7d9f8-abc${p}`,
        kind: 'pod',
        label: `svc-${p}-7d9f8-abc${p}`,
        namespace: ns,
        parent: `ns:${ns}`,
        workloadKind: 'Deployment',
        node: `node-${p % 20}`,
        bytesPerSec: 1000 + rand() * 1e6,
        dropsPerSec: 0,
      });
    }
  }
  // Edges between the base pods come from their own seeded sequence, so new pods (tick) add edges
  // without reshuffling the existing ones, as in a real cluster.
  const pods = nodes.filter((x) => x.kind === 'pod' && Number(x.label.split('-')[1]) < podsPerNs);
  const newPods = nodes.filter((x) => x.kind === 'pod' && Number(x.label.split('-')[1]) >= podsPerNs);
  const erand = rng(7);
  const out = [];
  const seen = new Set();
  const period = churn > 0 ? Math.max(1, Math.round(1 / churn)) : 1;
  // The last tick at which edge i changed: `tick` itself without churn.
  const changedAt = (i) => tick - ((((tick - i) % period) + period) % period);
  while (out.length < edges) {
    const a = pods[Math.floor(erand() * pods.length)];
    const b = pods[Math.floor(erand() * pods.length)];
    const id = `${a.id}->${b.id}`;
    if (a === b || seen.has(id)) continue;
    seen.add(id);
    const bytes = Math.round(erand() * 2e6 * (1 + 0.2 * Math.sin(changedAt(out.length))));
    const drops = out.length % 97 === 0 ? 1 + erand() : 0;
    out.push({
      id,
      source: a.id,
      target: b.id,
      ports: [{ port: [80, 443, 5432, 6379, 9090][out.length % 5], proto: 'tcp', bytesPerSec: bytes }],
      bytesPerSec: bytes,
      packetsPerSec: bytes / 1000,
      dropsPerSec: drops,
      dropReasons: drops ? { policy_drop: drops } : {},
      tcpConnects: 10,
      tcpFailures: out.length % 53 === 0 ? 2 : 0,
      connectLatencyP50Ms: 0.5,
      connectLatencyP95Ms: 2,
      rttMs: 0.3,
      retransmits: 0,
      dnsQueries: 0,
      dnsErrors: 0,
    });
  }
  for (const p of newPods) {
    const b = pods[0];
    out.push({
      ...out[0],
      id: `${p.id}->${b.id}`,
      source: p.id,
      target: b.id,
      dropsPerSec: 0,
      dropReasons: {},
    });
  }
  if (churn > 0) {
    const rate = new Map();
    for (const e of out) {
      rate.set(e.source, (rate.get(e.source) ?? 0) + e.bytesPerSec);
      rate.set(e.target, (rate.get(e.target) ?? 0) + e.bytesPerSec);
    }
    for (const n of nodes) if (n.kind === 'pod') n.bytesPerSec = rate.get(n.id) ?? 0;
  }
  const now = Date.now();
  return { level: 'pod', start: now - 900_000, end: now, nodes, edges: out, folded: 0, simulated: true };
}
