import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FilterQuery, FlowsResponse, MAX_FLOWS_LIMIT } from '@weft/protocol';
import { Type } from 'typebox';
import { withFlowPolicies } from '../../../policy/flowPolicies.js';
import { queryFlows } from '../../../store/flowsQuery.js';
import { filterFromQuery } from '../../filterFromQuery.js';

const Query = Type.Object({
  ...FilterQuery.properties,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FLOWS_LIMIT, default: 100 })),
});

export const flowsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/flows', { schema: { querystring: Query, response: { 200: FlowsResponse } } }, async (req) => {
    const w = app.weft;
    const { limit, ...rest } = req.query;
    const { filter, window } = filterFromQuery(
      rest,
      ['limit'],
      w.now(),
      w.config.rateWindowS * 1000,
      w.liveEnd(),
    );
    return withFlowPolicies(queryFlows(w.store, filter, window, limit ?? 100), w.policyContexts);
  });
};
