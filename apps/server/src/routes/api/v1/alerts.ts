import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertsResponse, FilterQuery } from '@weft/protocol';
import { filterFromQuery } from '../../filterFromQuery.js';

/**
 * Rule states as of the last evaluation (every WEFT_ALERT_INTERVAL_S seconds). Rules are cluster-wide, so
 * the filter is only checked (a pasted dashboard URL works here too), not applied.
 */
export const alertsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/alerts',
    { schema: { querystring: FilterQuery, response: { 200: AlertsResponse } } },
    async (req) => {
      filterFromQuery(req.query, [], app.weft.now(), app.weft.config.rateWindowS * 1000, app.weft.liveEnd());
      return { rules: app.weft.alerts.rules() };
    },
  );
};
