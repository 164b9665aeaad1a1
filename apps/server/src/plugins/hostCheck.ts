import type { FastifyPluginAsync } from 'fastify';
import type { ServerMetrics } from '../serverMetrics.js';
import { hostAllowed } from './allowedHost.js';

export interface HostCheckOptions {
  /** Listed host names (WEFT_ALLOWED_HOSTS and the hosts of WEFT_ALLOWED_ORIGINS), lower case. */
  allowedHosts: readonly string[];
  metrics: ServerMetrics;
}

/** Collectors reach ingest by whatever name their network gives the server; the token guards it. */
const EXEMPT = '/api/v1/ingest';

/**
 * Refuses requests whose Host names no allowed host (allowedHost.ts) with 421, before any route, the
 * WebSocket upgrades included, and counts them.
 */
const hostCheckPlugin: FastifyPluginAsync<HostCheckOptions> = async (app, opts) => {
  const allowed = new Set(opts.allowedHosts);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path === EXEMPT || hostAllowed(req.headers.host, allowed)) return;
    opts.metrics.hostRefused++;
    return reply.code(421).send({
      statusCode: 421,
      error: 'Misdirected Request',
      message: `this server does not answer to the host ${JSON.stringify((req.headers.host ?? '').slice(0, 100))}: list it in WEFT_ALLOWED_HOSTS`,
    });
  });
};

Object.assign(hostCheckPlugin, { [Symbol.for('skip-override')]: true });
export const hostCheck = hostCheckPlugin;
