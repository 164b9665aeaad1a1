import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WeftContext } from '../context.js';
import { historyStatus } from '../history/historyStatus.js';
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
  // Most of the server's health is one unlabelled sample.
  const counter = (name: string, help: string, v: number) => metric(name, 'counter', help, [['', v]]);
  const gauge = (name: string, help: string, v: number) => metric(name, 'gauge', help, [['', v]]);
  metric('weft_server_info', 'gauge', 'Server version.', [[`{version="${esc(SERVER_VERSION)}"}`, 1]]);
  const h = historyStatus(w);
  metric(
    'weft_server_history_mode',
    'gauge',
    'Where the history is kept: 1 for the current mode (memory: no WEFT_DATA_DIR; disk; diskFull or error: writing failed, memory only).',
    (['memory', 'disk', 'diskFull', 'error'] as const).map((m) => [`{mode="${m}"}`, h.mode === m ? 1 : 0]),
  );
  gauge(
    'weft_server_history_disk_full',
    'Whether the data directory is full (history kept in memory only).',
    h.mode === 'diskFull' ? 1 : 0,
  );
  gauge('weft_server_history_bytes', 'Bytes of history files in the data directory.', h.bytesOnDisk);
  counter(
    'weft_server_history_unwritten_batches_total',
    'Batches stored in memory but not written to the data directory (disk full or failing).',
    h.unwrittenBatches,
  );
  counter('weft_server_history_write_errors_total', 'Failed writes to the data directory.', h.writeErrors);
  gauge(
    'weft_server_history_skipped_files',
    'History files skipped (from a damaged record on) when the server started.',
    h.skippedFiles,
  );
  counter('weft_server_ingest_batches_total', 'Batches stored.', m.batches);
  counter('weft_server_ingest_records_total', 'Records stored.', m.records);
  gauge('weft_server_ingest_records_per_second', 'Records stored per second, last 10 s.', m.ingestRate(now));
  counter(
    'weft_server_ingest_rejected_messages_total',
    'Malformed ingest messages rejected.',
    m.rejectedMessages,
  );
  counter(
    'weft_server_ingest_duplicate_batches_total',
    'Resent batches acknowledged, not stored.',
    m.duplicateBatches,
  );
  counter(
    'weft_server_ingest_resyncs_total',
    'Batches sent back for a new endpoint table (the connection did not hold the one they extend).',
    m.resyncs,
  );
  counter('weft_server_ingest_unauthorized_total', 'Ingest connections with a bad token.', m.unauthorized);
  counter(
    'weft_server_ingest_protocol_mismatch_total',
    'Collectors refused for their protocol.',
    m.protocolMismatches,
  );
  counter(
    'weft_server_ingest_abusive_closed_total',
    'Connections closed for malformed input.',
    m.abusiveClosed,
  );
  counter('weft_server_ingest_oversized_frames_total', 'Frames over the size limit.', m.oversizedFrames);
  counter(
    'weft_server_ingest_handler_errors_total',
    'Exceptions handling an ingest message: each closed its connection, not the server.',
    m.ingestHandlerErrors,
  );
  counter(
    'weft_server_ingest_refused_hellos_total',
    "Hellos for a node streaming from another live connection, or with another node's boot.",
    w.collectors.refused,
  );
  counter(
    'weft_server_ingest_replaced_connections_total',
    'Silent ingest connections replaced by a new one for their node.',
    w.collectors.replaced,
  );
  counter(
    'weft_server_collectors_evicted_total',
    'Disconnected collectors forgotten to bound the registry in bytes.',
    w.collectors.evicted,
  );
  counter(
    'weft_server_ingest_log_lines_suppressed_total',
    'Ingest warnings counted but not logged (rate limit).',
    m.ingestLogLinesSuppressed,
  );
  counter(
    'weft_server_store_duplicate_records_total',
    'Same kernel event from two collectors.',
    st.duplicates,
  );
  counter('weft_server_store_out_of_window_records_total', 'Records outside retention.', st.outOfWindow);
  gauge('weft_server_collectors_connected', 'Connected collectors.', w.collectors.connectedCount());
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
  counter('weft_server_store_evictions_total', 'Series evicted to stay within bounds.', st.evictions);
  counter('weft_server_store_fine_trims_total', 'Times the 1 s tier was shortened for memory.', st.fineTrims);
  gauge(
    'weft_server_store_fine_window_seconds',
    'How far back 1 s data reaches.',
    (now - w.store.fineFrom(now)) / 1000,
  );
  gauge('weft_server_store_flow_rows', 'Recent flow rows kept.', st.flowRows);
  metric('weft_server_memory_bytes', 'gauge', 'Process memory.', [
    ['{type="rss"}', mem.rss],
    ['{type="heap_used"}', mem.heapUsed],
    ['{type="heap_total"}', mem.heapTotal],
  ]);
  const memory = w.store.memoryStatus();
  gauge('weft_server_memory_budget_bytes', 'The memory budget (WEFT_MEMORY_BUDGET_MB).', memory.budgetBytes);
  metric(
    'weft_server_memory_limit_bytes',
    'gauge',
    'Share of the memory budget per part.',
    memory.parts.map((p) => [`{part="${p.part}"}`, p.budgetBytes]),
  );
  metric(
    'weft_server_memory_used_bytes',
    'gauge',
    'Estimated bytes held per part of the memory budget.',
    memory.parts.map((p) => [`{part="${p.part}"}`, p.usedBytes]),
  );
  metric(
    'weft_server_memory_evictions_total',
    'counter',
    'Rows, endpoints or series let go to stay within the part’s share.',
    memory.parts.map((p) => [`{part="${p.part}"}`, p.evicted]),
  );
  gauge('weft_server_live_clients', 'Live WebSocket clients.', m.liveClients);
  counter('weft_server_live_updates_sent_total', 'Live updates sent.', m.liveUpdatesSent);
  counter(
    'weft_server_live_whole_graphs_sent_total',
    'Live updates sent as the whole graph (subscribe, resync, after a missed round); the others are deltas.',
    m.liveWholeSent,
  );
  counter('weft_server_live_bytes_sent_total', 'Bytes of the live updates sent.', m.liveBytesSent);
  counter(
    'weft_server_live_updates_skipped_total',
    'Live updates skipped for slow clients.',
    m.liveUpdatesSkipped,
  );
  counter(
    'weft_server_live_updates_unread_total',
    'Live updates not computed for clients that had not read their last one (its ping not answered).',
    m.liveUpdatesUnread,
  );
  counter(
    'weft_server_live_rounds_skipped_total',
    'Live rounds not started because the previous round was still computing.',
    m.liveRoundsSkipped,
  );
  counter(
    'weft_server_live_rounds_cut_total',
    'Live rounds stopped short for using their share of the event loop; the clients not reached come first next round.',
    m.liveRoundsCut,
  );
  counter(
    'weft_server_ingest_paused_total',
    'Times an ingest socket stopped being read for using more than its share of the event loop.',
    m.ingestPaused,
  );
  counter(
    'weft_server_live_messages_throttled_total',
    'Live messages over a client allowance (the newest is handled at the next round).',
    m.liveMessagesThrottled,
  );
  counter(
    'weft_server_live_graph_errors_total',
    'Live graphs that failed for one filter.',
    m.liveGraphErrors,
  );
  counter(
    'weft_server_timer_errors_total',
    'Timer rounds (store prune, alert rounds) that failed; the next round runs.',
    m.timerErrors,
  );
  counter(
    'weft_server_http_host_refused_total',
    'Requests refused because their Host names no allowed host (DNS rebinding).',
    m.hostRefused,
  );
  const byRouteReason = (counts: Map<string, number>): [string, number][] =>
    [...counts].map(([key, v]) => {
      const [route = '', reason = ''] = key.split('\t');
      return [`{route="${esc(route)}",reason="${esc(reason)}"}`, v];
    });
  metric(
    'weft_server_ws_refused_total',
    'counter',
    'WebSocket upgrades refused before the handshake (origin, capacity, address_capacity).',
    byRouteReason(m.wsRefused),
  );
  metric(
    'weft_server_ws_closed_total',
    'counter',
    'WebSockets closed by the server for a limit or a failure (frame_too_large, idle, backlog, no_subscribe, capacity, handler_error, protocol_error).',
    byRouteReason(m.wsClosed),
  );
  gauge('weft_server_uptime_seconds', 'Seconds since start.', (now - w.startedAt) / 1000);
  return `${lines.join('\n')}\n`;
}

export const metricsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderServerMetrics(app.weft)),
  );
};
