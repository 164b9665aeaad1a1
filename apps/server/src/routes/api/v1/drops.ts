import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DropsResponse, FilterQuery } from '@weft/protocol';
import { filterFromQuery } from '../../../plugins/badRequest.js';
import { queryDrops } from '../../../store/dropsQuery.js';

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
      return queryDrops(app.weft.store, filter, window);
    },
  );
};
