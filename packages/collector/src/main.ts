import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { IntervalAggregator } from './aggregator.js';
import { COLLECTOR_VERSION } from './collectorVersion.js';
import type { CollectorConfig } from './config.js';
import type { ClusterConfig } from './identity/clusterConfig.js';
import type { IdentitySource } from './identity/identitySource.js';
import { IdentityTable } from './identity/identityTable.js';
import { startInventorySource } from './identity/inventorySource.js';
import { PolicyContextFeed } from './identity/policyContextFeed.js';
import { registerApiServerLatency } from './metrics/apiServerLatency.js';
import { createCollectorMetrics } from './metrics/collectorMetrics.js';
import { makeLabelPolicy } from './metrics/labelPolicy.js';
import { MetricsRecorder } from './metrics/metricsRecorder.js';
import { startMetricsServer } from './metrics/metricsServer.js';
import { NodeNetns } from './nodeNetns.js';
import { type ProbeSpawner, spawnWeftProbe } from './probe/spawnWeftProbe.js';
import { type RecordSource, superviseProbe } from './probe/superviseProbe.js';
import { IngestFanout } from './stream/ingestFanout.js';

export interface CollectorDeps {
  /** Replaces the probe (the simulated lab, tests, the bench). */
  source?: RecordSource;
  /** How the probe is started when no source is given (default: @weft/bpf spawnProbe). */
  spawnProbe?: ProbeSpawner;
  /** Kubernetes identity: the cluster to talk to (default: KUBECONFIG, in-cluster, ~/.kube/config). */
  kubeConfig?: ClusterConfig;
  log?: (msg: string) => void;
}

export interface RunningCollector {
  stop(): Promise<void>;
  metricsUrl: string;
  /** The ingest boot id of the first server's stream (sequence numbers restart with it). */
  boot: string;
  /** The boot id of each server's stream, in the order of WEFT_SERVER_URL. */
  boots: string[];
}

/** How long the first connection waits for the probe's hello (its hooks go into ours). */
const HOOKS_WAIT_MS = 2000;
const SWEEP_EVERY_MS = 10_000;
const KUBE_SYNC_WAIT_MS = 15_000;

export async function startCollector(
  config: CollectorConfig,
  deps: CollectorDeps = {},
): Promise<RunningCollector> {
  const log = deps.log ?? ((msg: string) => process.stderr.write(`weft-collector: ${msg}\n`));
  // Read before anything starts: a missing CA is a configuration error, not a retry loop.
  const serverCa = config.serverCaFile
    ? await readFile(config.serverCaFile).catch((e: Error) => {
        throw new Error(`WEFT_SERVER_CA_FILE=${config.serverCaFile}: cannot read it (${e.message})`);
      })
    : undefined;
  const table = new IdentityTable({ node: config.node });
  const onIdentityError = (err: Error) => log(`identity: ${err.message}`);

  const context = new PolicyContextFeed(config.node);
  const compat = config.metricsCompat === 'on';
  const metrics = createCollectorMetrics({ compat });
  let identity: IdentitySource;
  if (config.identity === 'inventory') {
    identity = await startInventorySource({
      file: config.inventoryFile,
      table,
      context,
      onError: onIdentityError,
    });
  } else {
    // Loaded only when used (small now, but the inventory mode needs none of it).
    const [{ loadClusterConfig }, { KubeConnection }, { startKubernetesSource }] = await Promise.all([
      import('./identity/loadClusterConfig.js'),
      import('./identity/kubeConnection.js'),
      import('./identity/kubernetesSource.js'),
    ]);
    const cluster = deps.kubeConfig ?? (await loadClusterConfig());
    identity = startKubernetesSource({
      table,
      connection: new KubeConnection(
        cluster,
        compat ? { onHandshake: registerApiServerLatency(metrics.registry) } : {},
      ),
      node: config.node,
      remoteContext: config.remoteContext,
      context,
      onError: onIdentityError,
    });
    // Names before traffic when the API answers; without it, start anyway (records name `world` until then).
    const waited = await Promise.race([
      identity.synced?.then(() => true),
      sleep(KUBE_SYNC_WAIT_MS, false, { ref: false }),
    ]);
    if (!waited)
      log(`identity: no answer from the Kubernetes API within ${KUBE_SYNC_WAIT_MS} ms; starting anyway`);
  }

  const recorder = new MetricsRecorder({
    metrics,
    policy: makeLabelPolicy(
      config.metricsLevel,
      config.metricsIncludeNamespaces,
      config.metricsExcludeNamespaces,
    ),
    liveness: table,
    ttlMs: config.seriesTtlSeconds * 1000,
  });

  let source: RecordSource;
  if (deps.source) source = deps.source;
  else {
    const spawn = deps.spawnProbe ?? spawnWeftProbe;
    source = superviseProbe({
      spawn: () =>
        spawn({
          ...(config.probe ? { binary: config.probe } : {}),
          ifaces: config.ifaces,
          ifacePrefixes: config.ifacePrefixes,
          intervalMs: config.intervalMs,
        }),
      onRestart: () => metrics.health.probeRestarts.inc(),
      log,
    });
  }

  // Nodes sharing this kernel (the lab's pods name their namespaces): count the drops in our pods'.
  const dropPlaces = new NodeNetns();
  dropPlaces.refresh(table.localNetns());
  const agg = new IntervalAggregator({ resolver: table, dropPlaces });
  const client = new IngestFanout({
    servers: config.servers,
    token: config.token,
    ...(serverCa ? { ca: serverCa } : {}),
    node: config.node,
    collectorVersion: COLLECTOR_VERSION,
    simulated: config.simulated,
    hooks: () => agg.hooks,
    context: (withChanges) => context.message(withChanges),
    spoolSeconds: config.spoolSeconds,
    spoolMaxBytes: config.spoolMaxBytes,
    log,
  });

  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>>;
  try {
    metricsServer = await startMetricsServer({
      host: config.metricsHost,
      port: config.metricsPort,
      registry: metrics.registry,
    });
  } catch (err) {
    await identity.stop();
    await source.stop();
    throw new Error(
      `cannot serve /metrics on ${config.metricsHost}:${config.metricsPort}: ${(err as Error).message}`,
    );
  }

  let lastSweep = Date.now();
  let lastTick = Date.now();
  const tick = () => {
    const now = Date.now();
    lastTick = now;
    const r = agg.flush(now);
    dropPlaces.refresh(table.localNetns());
    recorder.record(r, now);
    const lost = Object.values(r.lost).reduce((a, b) => a + b, 0);
    client.enqueue(
      {
        start: r.start,
        end: r.end,
        flows: r.flows,
        drops: r.drops,
        tcp: r.tcp,
        tcpStats: r.tcpStats,
        dns: r.dns,
        lost,
      },
      now,
    );
    const h = metrics.health;
    h.probeLinks.set(agg.links);
    h.identityPods.set(table.podCount);
    const servers = client.stats;
    for (const s of servers) {
      const l = { server: s.server };
      h.serverConnected.set(l, s.connected ? 1 : 0);
      h.spoolBatches.set(l, s.spoolBatches);
      h.spoolBytes.set(l, s.spoolBytes);
      syncCounter(h.batchesSent, l, s.sent);
      syncCounter(h.batchesAcked, l, s.acked);
      syncCounter(h.givenUp, l, s.givenUp);
    }
    // Records missing from the best-served replica's view (with one server: all it gave up).
    syncLost(Math.min(...servers.map((s) => s.givenUp)));
    syncBadRecords(source.badRecords ?? 0);
    if (now - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now;
      recorder.sweep(now);
      table.prune(now);
    }
  };
  const counted = new Map<string, number>();
  const counterKeys = new Map<object, string>();
  const syncCounter = (
    c: { inc(labels: { server: string }, n: number): void },
    labels: { server: string },
    total: number,
  ) => {
    if (!counterKeys.has(c)) counterKeys.set(c, String(counterKeys.size));
    const key = `${counterKeys.get(c)}\u0000${labels.server}`;
    const prev = counted.get(key);
    // Each server's series exists from the start, at 0: a rate over it needs no absent() case.
    if (prev === undefined || total > prev) c.inc(labels, total - (prev ?? 0));
    counted.set(key, total);
  };
  let spoolLost = 0;
  const syncLost = (total: number) => {
    if (total > spoolLost) metrics.health.lost.inc({ cause: 'spool' }, total - spoolLost);
    spoolLost = total;
  };
  let badRecords = 0;
  const syncBadRecords = (total: number) => {
    if (total > badRecords) metrics.health.lost.inc({ cause: 'probe_bad_record' }, total - badRecords);
    badRecords = total;
  };
  // One bad interval must not take the node's collector down: report it and carry on with the next.
  const safeTick = () => {
    try {
      tick();
    } catch (err) {
      log(`interval: ${(err as Error).stack ?? String(err)}`);
    }
  };
  let sawHello = false;
  // The probe ends each interval with a stats record, on the wall clock's interval boundaries: the
  // batch closes right there, so a drained interval reaches the server at once instead of waiting for
  // a timer of its own phase (up to a whole interval more between a packet and the browser).
  const reading = (async () => {
    for await (const r of source.records) {
      agg.add(r);
      if (r.type === 'stats') safeTick();
      else if (r.type === 'hello' && !sawHello) {
        sawHello = true;
        client.start();
        // Connected already without them (the probe was slow to attach): say hello again with them.
        client.hooksKnown();
      }
    }
  })().catch((err: Error) => log(`records: ${err.message}`));
  const helloTimer = setTimeout(() => client.start(), HOOKS_WAIT_MS);
  // Without the probe's stats (starting, restarting, stalled) batches still close once per interval.
  const timer = setInterval(
    () => {
      if (Date.now() - lastTick >= config.intervalMs * 1.5) safeTick();
    },
    Math.max(10, Math.round(config.intervalMs / 4)),
  );

  let stopping: Promise<void> | null = null;
  return {
    metricsUrl: metricsServer.url,
    boot: client.boots[0]!,
    boots: client.boots,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        clearTimeout(helloTimer);
        await source.stop();
        await reading;
        safeTick();
        client.start();
        await client.drain(2000);
        await client.stop();
        await identity.stop();
        await metricsServer.close();
      })();
      return stopping;
    },
  };
}
