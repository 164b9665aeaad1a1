import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  FilterQuery,
  FLOW_SEARCH_PARAMS,
  FlowSearchQuery,
  FlowsResponse,
  parseFilter,
  parseFlowSearch,
} from '@weft/protocol';
import { Type } from 'typebox';
import { resolveLiveTime } from '../../../live/liveEnd.js';
import { withFlowPolicies } from '../../../policy/flowPolicies.js';
import { queryFlows } from '../../../store/flowsQuery.js';
import { badParams } from '../../badRequestError.js';

const Query = Type.Object({ ...FilterQuery.properties, ...FlowSearchQuery.properties });

/**
 * Flow search: the shared filter (filter.ts) and the search's own parameters (flowSearch.ts: paging,
 * sort, service, node, ip, dir, flags), every bad one named in one 400.
 */
export const flowsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/flows', { schema: { querystring: Query, response: { 200: FlowsResponse } } }, async (req) => {
    const w = app.weft;
    const query = req.query as Record<string, string | undefined>;
    const { state, issues } = parseFilter(query, FLOW_SEARCH_PARAMS);
    const { search, issues: own } = parseFlowSearch(query);
    if (issues.length + own.length > 0) throw badParams([...issues, ...own]);
    const time = resolveLiveTime(state, w.now(), w.config.rateWindowS * 1000, w.liveEnd());
    return withFlowPolicies(queryFlows(w.store, state, time.window, search), w.policyContexts);
  });
};
