import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IngestCloseCode } from '@weft/protocol';
import { bearerMatches } from '../../../ingest/bearerToken.js';
import { IngestSession, MAX_RESYNCS_IN_A_ROW } from '../../../ingest/ingestSession.js';
import { RateLimitedLog } from '../../../logs/rateLimitedLog.js';
import { INGEST_LOOP_BURST_MS, INGEST_LOOP_MS_PER_SECOND, LoopShare } from '../../../loopShare.js';

/** Connection-level warn lines (bad token, close, socket error) per kind in a minute, server-wide. */
const CONNECTION_WARN_BURST = 20;
const CONNECTION_WARN_INTERVAL_MS = 60_000;

/**
 * Collectors stream here. The token is checked on the upgrade request; a bad one is closed with 4401 and
 * a reason the collector logs (a plain HTTP 401 would reach it as an opaque handshake error). Every
 * socket handler fails closed: an exception closes that connection with 1011 and is counted
 * (weft_server_ingest_handler_errors_total), it never reaches the process.
 */
export const ingestRoute: FastifyPluginAsyncTypebox = async (app) => {
  const w = app.weft;
  const warnings = new RateLimitedLog(app.log, {
    burst: CONNECTION_WARN_BURST,
    intervalMs: CONNECTION_WARN_INTERVAL_MS,
    now: w.now,
    onSuppressed: () => w.metrics.ingestLogLinesSuppressed++,
  });
  app.addHook('onClose', async () => warnings.flush());

  app.get('/ingest', { websocket: true }, (socket, req) => {
    if (!bearerMatches(req.headers.authorization, w.config.ingestToken)) {
      w.metrics.unauthorized++;
      warnings.warn(
        'unauthorized',
        { remote: req.ip },
        'ingest connection with a missing or wrong bearer token',
      );
      socket.close(IngestCloseCode.unauthorized, 'missing or wrong bearer token');
      return;
    }
    w.metrics.ingestConnections++;
    const close = (code: number, reason: string) => {
      try {
        socket.close(code, reason);
      } catch {
        socket.terminate();
      }
    };
    // One object per socket: the registry tells this connection from a newer one for the same node.
    const connection = { close };
    const session = new IngestSession({
      store: w.store,
      collectors: w.collectors,
      policyContexts: w.policyContexts,
      metrics: w.metrics,
      maxBadMessages: w.config.maxBadMessages,
      maxResyncsInARow: MAX_RESYNCS_IN_A_ROW,
      retentionMs: Math.max(w.config.fineRetentionS, w.config.coarseRetentionS) * 1000,
      now: w.now,
      log: req.log,
      connection,
      journal: w.history?.journal ?? null,
    });
    /** Runs a socket handler; whatever it throws closes this connection, counted, and goes no further. */
    const guarded =
      <A extends unknown[]>(what: string, handler: (...args: A) => void) =>
      (...args: A): void => {
        try {
          handler(...args);
        } catch (err) {
          try {
            const step = session.failed(err, what);
            if (step.close) close(step.close.code, step.close.reason);
          } catch {
            socket.terminate();
          }
        }
      };
    // What this connection's frames cost the event loop; over its share, its socket is not read for a while.
    const share = new LoopShare(INGEST_LOOP_MS_PER_SECOND, INGEST_LOOP_BURST_MS, performance.now());
    let resume: NodeJS.Timeout | null = null;
    const handled = (started: number) => {
      const end = performance.now();
      const pause = share.spent(end - started, end);
      if (pause === 0 || resume !== null) return;
      w.metrics.ingestPaused++;
      socket.pause();
      resume = setTimeout(() => {
        resume = null;
        socket.resume();
      }, pause);
      resume.unref();
    };
    // The frame as the socket gives it: onMessage takes its size from the Buffer and decodes it once
    // (a string would be measured again, a 1.3 MB scan per batch).
    socket.on(
      'message',
      guarded('message', (data: Buffer) => {
        const started = performance.now();
        const step = session.onMessage(data);
        handled(started);
        for (const m of step.send) socket.send(JSON.stringify(m));
        if (step.close) {
          warnings.warn(
            `close ${step.close.code}`,
            { node: session.node, ...step.close },
            'closing ingest connection',
          );
          close(step.close.code, step.close.reason);
        }
      }),
    );
    // The collector pings every 15 s: a connection that still answers is not stale.
    socket.on(
      'ping',
      guarded('ping', () => {
        if (session.streaming) w.collectors.heard(session.node, w.now(), connection);
      }),
    );
    socket.on(
      'error',
      guarded('error', (err: Error & { code?: string }) => {
        if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') w.metrics.oversizedFrames++;
        else w.metrics.rejectedMessages++;
        warnings.warn(
          `socket error ${err.code ?? ''}`,
          { node: session.node, err: err.message },
          'ingest socket error',
        );
      }),
    );
    socket.on(
      'close',
      guarded('close', () => {
        w.metrics.ingestConnections--;
        if (resume !== null) clearTimeout(resume);
        if (session.node) req.log.info({ node: session.node }, 'collector disconnected');
        session.closed();
      }),
    );
  });
};
