import {
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
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
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

// The recorded responses the components are tested with must stay valid protocol messages.
const cases: [string, TSchema, unknown][] = [
  ['alerts', AlertsResponse, alerts],
  ['diagnose-blocked', DiagnoseResponse, diagnose],
  ['dns', DnsResponse, dns],
  ['drops', DropsResponse, drops],
  ['flows', FlowsResponse, flows],
  ['graph-namespace', GraphResponse, graphNamespace],
  ['graph-workload', GraphResponse, graphWorkload],
  ['graph-workload-compare', GraphResponse, graphWorkloadCompare],
  ['live-update', LiveUpdate, live],
  ['status', StatusResponse, status],
  ['timeline', TimelineResponse, timeline],
  ['timeseries-dns-latency', TimeseriesResponse, tsDns],
  ['timeseries-drops', TimeseriesResponse, tsDrops],
];

describe('fixtures', () => {
  it.each(cases)('%s matches its protocol schema', (_name, schema, value) => {
    const errors = [...Value.Errors(schema, value)].map((e) => `${e.instancePath} ${e.message}`);
    expect(errors).toEqual([]);
  });

  it('a schema check can fail (a broken fixture is caught)', () => {
    const broken = structuredClone(graphNamespace) as { nodes: { bytesPerSec: unknown }[] };
    broken.nodes[0]!.bytesPerSec = 'fast';
    expect(Value.Check(GraphResponse, broken)).toBe(false);
  });
});
