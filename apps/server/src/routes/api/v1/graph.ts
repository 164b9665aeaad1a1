import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FilterQuery, GraphResponse } from '@weft/protocol';
import { servedByPrometheus } from '../../../prometheus/promHistory.js';
import { graphAnswer } from '../../../store/graphAnswer.js';
import { filterFromQuery } from '../../filterFromQuery.js';

/** `level` and `compare` are part of the shared filter. */
export const graphRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/graph',
    { schema: { querystring: FilterQuery, response: { 200: GraphResponse } } },
    async (req) => {
      const w = app.weft;
      const now = w.now();
      const { filter, window } = filterFromQuery(
        req.query,
        [],
        now,
        w.config.rateWindowS * 1000,
        w.liveEnd(),
      );
      if (servedByPrometheus(w.prometheus, w.store, filter, window))
        return w.prometheus.graph(w.store, filter, window);
      // With `compare`, also over the baseline window, edges marked by what changed (graphCompare.ts).
      return graphAnswer(w.store, filter, window, now, {
        maxNodes: w.config.graphMaxNodes,
        simulated: w.collectors.anySimulated(),
      });
    },
  );
};
