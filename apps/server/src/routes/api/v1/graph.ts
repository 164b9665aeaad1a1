import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FilterQuery, GraphResponse } from '@weft/protocol';
import { filterFromQuery } from '../../../plugins/badRequest.js';
import { servedByPrometheus } from '../../../prometheus/promHistory.js';
import { queryGraph } from '../../../store/graphQuery.js';

/** `level` is part of the shared filter (node|namespace|workload|pod). */
export const graphRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/graph',
    { schema: { querystring: FilterQuery, response: { 200: GraphResponse } } },
    async (req) => {
      const w = app.weft;
      const { filter, window } = filterFromQuery(req.query, [], w.now(), w.config.rateWindowS * 1000);
      if (servedByPrometheus(w.prometheus, w.store, filter, window))
        return w.prometheus.graph(w.store, filter, window);
      const graph = queryGraph(w.store, filter, window, {
        maxNodes: w.config.graphMaxNodes,
        simulated: w.collectors.anySimulated(),
      });
      return { ...graph, source: 'store' as const };
    },
  );
};
