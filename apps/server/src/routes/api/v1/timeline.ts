import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FilterQuery, TimelineResponse } from '@weft/protocol';
import { objectIncidents } from '../../../changes/objectIncidents.js';
import { mergeIncidents, policyIncidents } from '../../../policy/policyIncidents.js';
import { queryTimeline } from '../../../timeline/timelineQuery.js';
import { filterFromQuery } from '../../filterFromQuery.js';

/**
 * The strip across the top of every view, over the selection's range (the last hour around the moment
 * for live and at): see timelineQuery.ts for what the filter narrows.
 */
export const timelineRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/timeline',
    { schema: { querystring: FilterQuery, response: { 200: TimelineResponse } } },
    async (req) => {
      const w = app.weft;
      const now = w.now();
      const { filter, time } = filterFromQuery(req.query, [], now, w.config.rateWindowS * 1000, w.liveEnd());
      const answer = queryTimeline(w.store, filter, time.range, {
        alerts: w.alerts.transitionsBetween(time.range.start, time.range.end),
        alertWindowMs: w.config.alertWindowS * 1000,
        now,
        liveEnd: w.liveEnd(),
      });
      const changed = mergeIncidents(
        policyIncidents(w.policyContexts.changes(), filter, time.range),
        objectIncidents(w.policyContexts.objects.changes(), filter, time.range),
      );
      return changed.length ? { ...answer, incidents: mergeIncidents(answer.incidents, changed) } : answer;
    },
  );
};
