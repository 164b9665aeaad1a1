import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertsRoute } from './alerts.js';
import { diagnoseRoute } from './diagnose.js';
import { dnsRoute } from './dns.js';
import { dropsRoute } from './drops.js';
import { exportRoutes } from './export.js';
import { flowsRoute } from './flows.js';
import { graphRoute } from './graph.js';
import { ingestRoute } from './ingest.js';
import { liveRoute } from './live.js';
import { policyRoutes } from './policy.js';
import { statusRoute } from './status.js';
import { timelineRoute } from './timeline.js';
import { timeseriesRoute } from './timeseries.js';

/** /api/v1: every read is a GET with the shared filter; two WebSockets (collectors, browsers). */
export const apiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(statusRoute);
  await app.register(graphRoute);
  await app.register(flowsRoute);
  await app.register(timeseriesRoute);
  await app.register(timelineRoute);
  await app.register(dnsRoute);
  await app.register(dropsRoute);
  await app.register(alertsRoute);
  await app.register(diagnoseRoute);
  await app.register(policyRoutes);
  await app.register(exportRoutes, { prefix: '/export' });
  await app.register(ingestRoute);
  await app.register(liveRoute);
};
