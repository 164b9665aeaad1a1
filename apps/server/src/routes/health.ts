import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Health = Type.Object({ status: Type.String() });

/** Liveness (the process answers) and readiness (started and not shutting down). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    if (!app.weft.ready) return reply.code(503).send({ status: 'not ready' });
    return { status: 'ready' };
  });
};
