import {
  type DnsResponse,
  type DropsResponse,
  type FilterState,
  type GraphResponse,
  type TimeseriesGroupBy,
  type TimeseriesMetric,
  type TimeseriesResponse,
  type TimeWindow,
  timeMode,
} from '@weft/protocol';
import type { ServerConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { chooseSource } from './chooseSource.js';
import { dnsFromProm } from './dnsFromProm.js';
import { dropsFromProm } from './dropsFromProm.js';
import { graphFromProm, type WorkloadOf } from './graphFromProm.js';
import {
  type PrometheusClient,
  PrometheusError,
  type PromMatrixSeries,
  type PromVectorSample,
  prometheusClientFrom,
} from './prometheusClient.js';
import { parsePrometheusHeaders } from './prometheusSettings.js';
import { dnsQueries, dropsQueries, graphQueries, rangeSeconds } from './promQueries.js';
import { timeseriesFromProm, timeseriesQuery } from './timeseriesFromProm.js';

/** A Prometheus that could not answer: 502, naming what failed. */
export class PrometheusUnavailableError extends Error {
  readonly statusCode = 502;
  readonly expose = true;
  constructor(e: PrometheusError) {
    super(e.message);
    this.name = 'PrometheusUnavailableError';
  }
}

async function all<K extends string>(
  client: PrometheusClient,
  queries: Record<K, string>,
  at: number,
): Promise<Record<K, PromVectorSample[]>> {
  const keys = Object.keys(queries) as K[];
  try {
    const answers = await Promise.all(keys.map((k) => client.query(queries[k], at)));
    return Object.fromEntries(keys.map((k, i) => [k, answers[i]!])) as Record<K, PromVectorSample[]>;
  } catch (e) {
    if (e instanceof PrometheusError) throw new PrometheusUnavailableError(e);
    throw e;
  }
}

/** The workloads of the pods the store knows, for pod-level metrics rolled up to workloads. */
function workloadsFrom(store: Store): WorkloadOf {
  let known: Map<string, string> | null = null;
  return (ns, pod) => {
    if (!known) {
      known = new Map();
      for (const s of store.edges.values())
        for (const e of [s.client, s.server])
          if (e.kind === 'pod' && e.workload) known.set(`${e.namespace}/${e.name}`, e.workload);
    }
    return known.get(`${ns}/${pod}`);
  };
}

/**
 * History from a Prometheus-compatible store for the graph, drops and DNS routes: each route asks
 * `answer`, which returns null when the store should answer (the route then marks `source: 'store'`).
 */
export class PromHistory {
  constructor(
    readonly client: PrometheusClient,
    private readonly config: Pick<ServerConfig, 'prometheusMetricsLevel' | 'graphMaxNodes'>,
  ) {}

  static fromConfig(cfg: ServerConfig): PromHistory | null {
    if (!cfg.prometheusUrl) return null;
    const client = prometheusClientFrom({
      ...cfg,
      headers: parsePrometheusHeaders(cfg.prometheusHeaders).headers,
    });
    return new PromHistory(client, cfg);
  }

  async graph(store: Store, f: FilterState, win: TimeWindow): Promise<GraphResponse> {
    const answers = await all(this.client, graphQueries(rangeSeconds(win.start, win.end)), win.end);
    return graphFromProm(answers, f, win, {
      metricsLevel: this.config.prometheusMetricsLevel,
      maxNodes: this.config.graphMaxNodes,
      workloadOf: workloadsFrom(store),
    });
  }

  async drops(f: FilterState, win: TimeWindow): Promise<DropsResponse> {
    return dropsFromProm(
      await all(this.client, dropsQueries(rangeSeconds(win.start, win.end)), win.end),
      f,
      win,
    );
  }

  /** Points at step starts over [win.start, win.end), each the step's increase (rate) or quantile. */
  async timeseries(
    f: FilterState,
    win: TimeWindow,
    metric: TimeseriesMetric,
    groupBy: TimeseriesGroupBy,
    stepS: number,
  ): Promise<TimeseriesResponse> {
    const q = timeseriesQuery(metric, groupBy, stepS, f);
    const stepMs = stepS * 1000;
    const start = Math.floor(win.start / stepMs) * stepMs;
    const n = Math.max(1, Math.ceil((win.end - start) / stepMs));
    let matrix: PromMatrixSeries[];
    try {
      // Prometheus stamps a point with the end of the range it covers: one step after the store's.
      matrix = await this.client.queryRange(q.expr, start + stepMs, start + n * stepMs, stepS);
    } catch (e) {
      if (e instanceof PrometheusError) throw new PrometheusUnavailableError(e);
      throw e;
    }
    return timeseriesFromProm(matrix, metric, groupBy, stepS, win, q);
  }

  async dns(f: FilterState, win: TimeWindow): Promise<DnsResponse> {
    return dnsFromProm(await all(this.client, dnsQueries(rangeSeconds(win.start, win.end)), win.end), f, win);
  }
}

/** Whether Prometheus serves this request (see chooseSource); throws a 400 naming `source` if it can't. */
export function servedByPrometheus(
  history: PromHistory | null | undefined,
  store: Store,
  f: FilterState,
  win: TimeWindow,
): history is PromHistory {
  const oldest = Number.isFinite(store.dataStart) ? store.dataStart : Number.POSITIVE_INFINITY;
  // Live is the collectors' stream itself: a store that holds nothing yet is still the one to ask.
  if (f.source === '' || f.source === 'auto') if (timeMode(f) === 'live') return false;
  return chooseSource(f.source, !!history, win.start, oldest) === 'prometheus';
}
