import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WeftContext } from '../context.js';
import { SERVER_VERSION } from '../version.js';

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** The server's own health in Prometheus text format (not flow metrics: those come from collectors). */
export function renderServerMetrics(w: WeftContext): string {
  const m = w.metrics;
  const st = w.store.stats();
  const mem = process.memoryUsage();
  const now = w.now();
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of samples) lines.push(`${name}${labels} ${Number.isFinite(v) ? v : 0}`);
  };
  metric('weft_server_info', 'gauge', 'Server version.', [[`{version="${esc(SERVER_VERSION)}"}`, 1]]);
  metric('weft_server_ingest_batches_total', 'counter', 'Batches stored.', [['', m.batches]]);
  metric('weft_server_ingest_records_total', 'counter', 'Records stored.', [['', m.records]]);
  metric('weft_server_ingest_records_per_second', 'gauge', 'Records stored per second, last 10 s.', [
    ['', m.ingestRate(now)],
  ]);
  metric('weft_server_ingest_rejected_messages_total', 'counter', 'Malformed ingest messages rejected.', [
    ['', m.rejectedMessages],
  ]);
  metric(
    'weft_server_ingest_duplicate_batches_total',
    'counter',
    'Resent batches acknowledged, not stored.',
    [['', m.duplicateBatches]],
  );
  metric('weft_server_ingest_unauthorized_total', 'counter', 'Ingest connections with a bad token.', [
    ['', m.unauthorized],
  ]);
  metric('weft_server_ingest_protocol_mismatch_total', 'counter', 'Collectors refused for their protocol.', [
    ['', m.protocolMismatches],
  ]);
  metric('weft_server_ingest_abusive_closed_total', 'counter', 'Connections closed for malformed input.', [
    ['', m.abusiveClosed],
  ]);
  metric('weft_server_ingest_oversized_frames_total', 'counter', 'Frames over the size limit.', [
    ['', m.oversizedFrames],
  ]);
  metric('weft_server_store_duplicate_records_total', 'counter', 'Same kernel event from two collectors.', [
    ['', st.duplicates],
  ]);
  metric('weft_server_store_out_of_window_records_total', 'counter', 'Records outside retention.', [
    ['', st.outOfWindow],
  ]);
  metric('weft_server_collectors_connected', 'gauge', 'Connected collectors.', [
    ['', w.collectors.connectedCount()],
  ]);
  const lag = w.collectors.list().filter((c) => c.connected);
  metric(
    'weft_server_ingest_lag_seconds',
    'gauge',
    'Arrival time minus the end of the newest batch interval.',
    lag.map((c) => [`{node="${esc(c.node)}"}`, c.lagMs / 1000]),
  );
  metric(
    'weft_server_collector_records_lost_total',
    'counter',
    'Records collectors reported lost.',
    w.collectors.list().map((c) => [`{node="${esc(c.node)}"}`, c.recordsLost]),
  );
  metric('weft_server_store_series', 'gauge', 'Stored series.', [
    ['{kind="edge"}', st.edgeSeries],
    ['{kind="dns"}', st.dnsSeries],
  ]);
  metric('weft_server_store_buckets', 'gauge', 'Stored time buckets.', [
    ['{tier="1s"}', st.fineBuckets],
    ['{tier="1m"}', st.coarseBuckets],
  ]);
  metric('weft_server_store_evictions_total', 'counter', 'Series evicted to stay within bounds.', [
    ['', st.evictions],
  ]);
  metric('weft_server_store_fine_trims_total', 'counter', 'Times the 1 s tier was shortened for memory.', [
    ['', st.fineTrims],
  ]);
  metric('weft_server_store_fine_window_seconds', 'gauge', 'How far back 1 s data reaches.', [
    ['', (now - w.store.fineFrom(now)) / 1000],
  ]);
  metric('weft_server_store_flow_rows', 'gauge', 'Recent flow rows kept.', [['', st.flowRows]]);
  metric('weft_server_memory_bytes', 'gauge', 'Process memory.', [
    ['{type="rss"}', mem.rss],
    ['{type="heap_used"}', mem.heapUsed],
    ['{type="heap_total"}', mem.heapTotal],
  ]);
  metric('weft_server_live_clients', 'gauge', 'Live WebSocket clients.', [['', m.liveClients]]);
  metric('weft_server_live_updates_sent_total', 'counter', 'Live updates sent.', [['', m.liveUpdatesSent]]);
  metric('weft_server_live_updates_skipped_total', 'counter', 'Live updates skipped for slow clients.', [
    ['', m.liveUpdatesSkipped],
  ]);
  metric('weft_server_uptime_seconds', 'gauge', 'Seconds since start.', [['', (now - w.startedAt) / 1000]]);
  return `${lines.join('\n')}\n`;
}

export const metricsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderServerMetrics(app.weft)),
  );
};
