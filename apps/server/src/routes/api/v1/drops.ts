import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DropsResponse, FilterQuery } from '@weft/protocol';
import { withDropsByPolicy } from '../../../policy/dropsByPolicy.js';
import { servedByPrometheus } from '../../../prometheus/promHistory.js';
import { queryDrops } from '../../../store/dropsQuery.js';
import { filterFromQuery } from '../../filterFromQuery.js';

export const dropsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/drops',
    { schema: { querystring: FilterQuery, response: { 200: DropsResponse } } },
    async (req) => {
      const { filter, window } = filterFromQuery(
        req.query,
        [],
        app.weft.now(),
        app.weft.config.rateWindowS * 1000,
        app.weft.liveEnd(),
      );
      const w = app.weft;
      if (servedByPrometheus(w.prometheus, w.store, filter, window))
        return w.prometheus.drops(filter, window);
      return {
        ...withDropsByPolicy(queryDrops(w.store, filter, window), w.store, w.policyContexts, filter, window),
        source: 'store' as const,
      };
    },
  );
};
