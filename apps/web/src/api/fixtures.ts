import type {
  AlertsResponse,
  DiagnoseResponse,
  DnsResponse,
  DropsResponse,
  FlowsResponse,
  GraphResponse,
  LiveUpdate,
  StatusResponse,
  TimelineResponse,
  TimeseriesResponse,
} from '@weft/protocol';
import alerts from './fixtures/alerts.json';
import diagnose from './fixtures/diagnose-blocked.json';
import dns from './fixtures/dns.json';
import drops from './fixtures/drops.json';
import flows from './fixtures/flows.json';
import graphNamespace from './fixtures/graph-namespace.json';
import graphWorkload from './fixtures/graph-workload.json';
import graphWorkloadCompare from './fixtures/graph-workload-compare.json';
import live from './fixtures/live-update.json';
import status from './fixtures/status.json';
import timeline from './fixtures/timeline.json';
import tsDns from './fixtures/timeseries-dns-latency.json';
import tsDrops from './fixtures/timeseries-drops.json';

/** Recorded API responses, typed (fixtures.test.ts checks them against the schemas). For tests only. */
export const fixtures = {
  alerts: alerts as AlertsResponse,
  diagnose: diagnose as DiagnoseResponse,
  dns: dns as DnsResponse,
  drops: drops as DropsResponse,
  flows: flows as FlowsResponse,
  graphNamespace: graphNamespace as GraphResponse,
  graphWorkload: graphWorkload as GraphResponse,
  /** The same workloads live with `compare=previous`: every kind of change mark. */
  graphWorkloadCompare: graphWorkloadCompare as GraphResponse,
  live: live as LiveUpdate,
  status: status as StatusResponse,
  timeline: timeline as TimelineResponse,
  tsDns: tsDns as TimeseriesResponse,
  tsDrops: tsDrops as TimeseriesResponse,
};
