import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IngestCloseCode } from '@weft/protocol';
import { bearerMatches } from '../../../ingest/bearerToken.js';
import { IngestSession, MAX_RESYNCS_IN_A_ROW } from '../../../ingest/ingestSession.js';

/**
 * Collectors stream here. The token is checked on the upgrade request; a bad one is closed with 4401 and
 * a reason the collector logs (a plain HTTP 401 would reach it as an opaque handshake error).
 */
export const ingestRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/ingest', { websocket: true }, (socket, req) => {
    const w = app.weft;
    if (!bearerMatches(req.headers.authorization, w.config.ingestToken)) {
      w.metrics.unauthorized++;
      req.log.warn({ remote: req.ip }, 'ingest connection with a missing or wrong bearer token');
      socket.close(IngestCloseCode.unauthorized, 'missing or wrong bearer token');
      return;
    }
    w.metrics.ingestConnections++;
    const session = new IngestSession({
      store: w.store,
      collectors: w.collectors,
      metrics: w.metrics,
      maxBadMessages: w.config.maxBadMessages,
      maxResyncsInARow: MAX_RESYNCS_IN_A_ROW,
      now: w.now,
      log: req.log,
    });
    // The frame as the socket gives it: onMessage takes its size from the Buffer and decodes it once
    // (a string would be measured again, a 1.3 MB scan per batch).
    socket.on('message', (data: Buffer) => {
      const step = session.onMessage(data);
      for (const m of step.send) socket.send(JSON.stringify(m));
      if (step.close) {
        req.log.warn({ node: session.node, ...step.close }, 'closing ingest connection');
        socket.close(step.close.code, step.close.reason);
      }
    });
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') w.metrics.oversizedFrames++;
      else w.metrics.rejectedMessages++;
      req.log.warn({ node: session.node, err: err.message }, 'ingest socket error');
    });
    socket.on('close', () => {
      w.metrics.ingestConnections--;
      if (session.node) req.log.info({ node: session.node }, 'collector disconnected');
      session.closed();
    });
  });
};
