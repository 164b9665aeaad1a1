import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import { MAX_INGEST_FRAME_BYTES, rateWindowEndingAt } from '@weft/protocol';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { AlertEngine } from './alerts/alertEngine.js';
import type { ServerConfig } from './config.js';
import type { WeftContext } from './context.js';
import { guardedTask } from './guardedTask.js';
import { BatchJournal } from './history/batchJournal.js';
import { replayJournal } from './history/journalReplay.js';
import { StoreClock } from './history/storeClock.js';
import { loadNewestSnapshot, REPLAYED_FOR_SNAPSHOT, StoreSnapshots } from './history/storeSnapshots.js';
import { CollectorRegistry } from './ingest/collectorRegistry.js';
import { liveEnd, liveLagLimitMs, resolveLiveTime } from './live/liveEnd.js';
import { LiveHub } from './live/liveHub.js';
import { LiveSchedule } from './live/liveSchedule.js';
import { liveSummary } from './live/liveSummary.js';
import { LIVE_LOOP_BURST_MS, LIVE_LOOP_MS_PER_SECOND, LoopShare } from './loopShare.js';
import { parseAllowedHosts } from './plugins/allowedHost.js';
import { parseAllowedOrigins } from './plugins/allowedOrigin.js';
import { hostCheck } from './plugins/hostCheck.js';
import { securityHeaders } from './plugins/securityHeaders.js';
import { spaPlugin } from './plugins/spa.js';
import { wsGuard } from './plugins/wsGuard.js';
import { wsPolicies } from './plugins/wsPolicies.js';
import { PolicyContexts } from './policy/policyContexts.js';
import { PromHistory } from './prometheus/promHistory.js';
import { apiRoutes } from './routes/api/v1/index.js';
import { BadRequestError } from './routes/badRequestError.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoute } from './routes/metrics.js';
import { ServerMetrics } from './serverMetrics.js';
import { graphAnswer } from './store/graphAnswer.js';
import { Store } from './store/store.js';

export interface AppDeps {
  /** Clock for tests that replay recorded batches at their original times. */
  now?: () => number;
  /** Run the prune/alert/live timers (default true; tests drive them by hand). */
  timers?: boolean;
  /** PEM certificate chain and key (server.ts reads them): the app then serves HTTPS and wss://. */
  https?: { cert: Buffer; key: Buffer };
  /** Where the history's start-up lines go (buildApp passes its logger). */
  log?: HistoryLog;
}

export function createContext(config: ServerConfig, deps: AppDeps = {}): WeftContext {
  const now = deps.now ?? Date.now;
  const clock = new StoreClock(now);
  const { store, history } = openHistory(config, clock, deps.log);
  const collectors = new CollectorRegistry();
  collectors.onChange = (observed) => {
    store.observedNodes = observed;
    history?.journal.observed(observed, now());
  };
  const metrics = new ServerMetrics();
  const alerts = new AlertEngine(store, config);
  const rateWindowMs = config.rateWindowS * 1000;
  const lagLimitMs = liveLagLimitMs(config.liveIntervalMs);
  const liveEndAt = (t: number) => liveEnd(t, (s, behind) => collectors.caughtUp(s, behind), lagLimitMs);
  const live = new LiveHub(
    {
      now,
      simulated: () => collectors.anySimulated(),
      // The window the REST routes answer for the same filter (filterFromQuery with ctx.liveEnd).
      graph: (filter, at) =>
        graphAnswer(store, filter, resolveLiveTime(filter, at, rateWindowMs, liveEndAt(at)).window, at, {
          maxNodes: config.graphMaxNodes,
          simulated: collectors.anySimulated(),
        }),
      // The live map's window, so the Now panel and the map's edges agree.
      summary: () =>
        liveSummary(store, rateWindowEndingAt(liveEndAt(now()), rateWindowMs), {
          alertsFiring: alerts.count('firing'),
          alertsPending: alerts.count('pending'),
          collectors: collectors.connectedCount(),
        }),
    },
    metrics,
    {
      messageBurst: config.liveMessageBurst,
      messagesPerSecond: config.liveMessagesPerSecond,
      subscribeTimeoutMs: config.liveSubscribeTimeoutMs,
      // Two rounds to read an update in before the rounds stop computing them for a client.
      readGraceMs: Math.min(config.liveUnreadTimeoutMs, Math.max(1_000, 2 * config.liveIntervalMs)),
      unreadTimeoutMs: config.liveUnreadTimeoutMs,
    },
  );
  const prometheus = PromHistory.fromConfig(config);
  return {
    config,
    store,
    collectors,
    alerts,
    live,
    metrics,
    policyContexts: new PolicyContexts(() => collectors.observedNodes()),
    startedAt: now(),
    now,
    liveEnd: () => liveEndAt(now()),
    ready: false,
    prometheus,
    history,
  };
}

/**
 * The store, and with WEFT_DATA_DIR the journal there, after the history was read back into the store
 * (before the server is ready: the newest usable snapshot, then the journal after it), and segments past
 * retention deleted.
 */
function openHistory(
  config: ServerConfig,
  clock: StoreClock,
  log: HistoryLog | undefined,
): { store: Store; history: WeftContext['history'] } {
  const make = () => new Store({ ...config, now: clock.now });
  if (!config.dataDir) return { store: make(), history: null };
  const quiet = { info() {}, warn() {}, error() {} };
  const l = log ?? quiet;
  const retentionMs = config.coarseRetentionS * 1000;
  const journal = new BatchJournal({ dir: config.dataDir, retentionMs, now: clock.now, log: l });
  const { store, load } = loadNewestSnapshot(config.dataDir, make, l);
  const from = load.position ? { position: load.position, at: load.at } : undefined;
  const replay = replayJournal(journal.segmentFiles(), { store, clock, retentionMs, log: l, from });
  journal.deleteExpired(clock.now());
  l.info(
    {
      dataDir: config.dataDir,
      snapshot: load.file,
      snapshotMs: Math.round(load.ms),
      snapshotsSkipped: load.skipped.length,
      segments: replay.segments,
      batches: replay.batches,
      records: replay.records,
      skippedFiles: replay.skipped.length,
      ms: Math.round(replay.ms),
    },
    'history read back from the data directory',
  );
  const snapshots = new StoreSnapshots(config.dataDir, store, journal, l);
  return { store, history: { journal, replay, snapshots, loaded: load } };
}

type HistoryLog = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

/**
 * The Fastify app: health, the server's own metrics, the v1 API (REST + ingest and live WebSockets) and
 * the web app. Returned ready to `listen` or `inject`.
 */
export async function buildApp(config: ServerConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    // Per-request lines only when debugging: the live dashboard polls, and info logs should stay readable.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    routerOptions: { maxParamLength: 500 },
    schemaErrorFormatter: (errors, dataVar) => {
      const e = errors[0];
      // A JSON pointer: its segments joined with dots, each unescaped (`~1` is a `/` in a query key).
      const path = (e?.instancePath ?? '')
        .replace(/^\//, '')
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .join('.');
      // A query key the route's schema has no property for (additionalProperties: false) fails against
      // `false`; named as the shared filter names it, an empty key (`?=`) included.
      if (dataVar === 'querystring' && e?.message === 'schema is false') {
        // The key as sent: instancePath is a JSON pointer (`/` in a key arrives as `~1`).
        const key = (e.instancePath ?? '').replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
        return new BadRequestError(
          `${key}: unknown parameter${key === '' ? ' (one with an empty name)' : ''}`,
          [{ param: key, value: '', reason: 'unknown parameter' }],
        );
      }
      return new BadRequestError(`${path || dataVar}: ${e?.message ?? 'invalid'}`);
    },
    // Fastify picks its server (http or https) when constructed; the instance's API is the same.
    ...(deps.https ? ({ https: deps.https } as object) : {}),
  })
    .withTypeProvider<TypeBoxTypeProvider>()
    .setValidatorCompiler(TypeBoxValidatorCompiler);

  const ctx = createContext(config, { ...deps, log: deps.log ?? app.log });
  app.decorate('weft', ctx);
  ctx.live.onError = (err, what) => app.log.error({ err }, `live: ${what}`);
  if (!config.ingestToken)
    app.log.warn(
      'WEFT_INGEST_TOKEN is not set: any client can send data to /api/v1/ingest (fine in the lab only)',
    );

  app.setErrorHandler(
    (err: Error & { statusCode?: number; issues?: unknown; expose?: boolean }, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500) req.log.error({ err }, 'request failed');
      return reply.code(status).send({
        statusCode: status,
        error:
          status === 400
            ? 'Bad Request'
            : status === 502
              ? 'Bad Gateway'
              : status >= 500
                ? 'Internal Server Error'
                : 'Error',
        // `expose`: a 5xx whose message helps the caller (which upstream failed, and how).
        message: status >= 500 && err.expose !== true ? 'internal error' : err.message,
        ...(err instanceof BadRequestError && err.issues.length > 0 ? { issues: err.issues } : {}),
      });
    },
  );

  await app.register(websocket, {
    options: { maxPayload: MAX_INGEST_FRAME_BYTES },
    // Collectors and browsers get a going-away code and reconnect (collectors resend their spool).
    preClose(this: FastifyInstance, done: () => void) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      this.websocketServer.close(() => done());
    },
  });
  await app.register(wsGuard, {
    ...wsPolicies(config),
    allowedOrigins: parseAllowedOrigins(config.allowedOrigins).origins,
    metrics: ctx.metrics,
  });
  await app.register(securityHeaders);
  const originHosts = parseAllowedOrigins(config.allowedOrigins).origins.map((o) => new URL(o).hostname);
  await app.register(hostCheck, {
    allowedHosts: [...parseAllowedHosts(config.allowedHosts).hosts, ...originHosts],
    metrics: ctx.metrics,
  });
  await app.register(healthRoutes);
  await app.register(metricsRoute);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.register(spaPlugin, { webRoot: config.webRoot });

  const timers: NodeJS.Timeout[] = [];
  let schedule: LiveSchedule | undefined;
  app.addHook('onReady', async () => {
    ctx.ready = true;
    if (deps.timers === false) return;
    const guard = { log: app.log, onError: () => ctx.metrics.timerErrors++ };
    timers.push(
      setInterval(
        guardedTask('store prune', () => ctx.store.pruneStep(), guard),
        1_000,
      ),
    );
    timers.push(
      setInterval(
        guardedTask('alert round', () => ctx.alerts.evaluate(), guard),
        config.alertIntervalS * 1000,
      ),
    );
    for (const t of timers) t.unref();
    // A batch's eviction pass in tasks of its own, after the loop's next poll for I/O (an immediate
    // queued from an immediate runs in the next turn): a flood batch and the pass it sets off no longer
    // hold the thread together, and /readyz is answered between them.
    // The pass is itself in steps, each in a task of its own the same way.
    const boundsStep = guardedTask(
      'store bounds',
      () => {
        if (ctx.store.enforceBoundsNow()) ctx.store.deferBounds?.();
      },
      guard,
    );
    ctx.store.deferBounds = () => setImmediate(() => setImmediate(boundsStep));
    const liveShare = new LoopShare(LIVE_LOOP_MS_PER_SECOND, LIVE_LOOP_BURST_MS, performance.now());
    schedule = new LiveSchedule({
      intervalMs: config.liveIntervalMs,
      graceMs: Math.round(config.liveIntervalMs * 0.4),
      tick: () => {
        void ctx.live.tickInSlices(() => new Promise((r) => setImmediate(r)), liveShare);
      },
      caughtUp: (t) => ctx.collectors.caughtUp(t),
      now: ctx.now,
      setTimer: setTimeout,
      clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
    });
    ctx.collectors.onBatch = () => schedule?.batchArrived();
    schedule.start();
    const h = ctx.history;
    if (h) {
      h.journal.start();
      h.snapshots.start();
      // A long replay (an upgrade, a fallback) is not paid again at the next start.
      if (h.replay.batches > REPLAYED_FOR_SNAPSHOT) void h.snapshots.take();
    }
  });
  app.addHook('preClose', async () => {
    ctx.ready = false;
    for (const t of timers) clearInterval(t);
    schedule?.stop();
    ctx.live.closeAll(1001, 'server shutting down');
  });
  // After the sockets closed: the last batches stored are written before the process exits.
  app.addHook('onClose', async () => {
    await ctx.history?.snapshots.close();
    await ctx.history?.journal.close();
  });
  await app.ready();
  return app;
}
