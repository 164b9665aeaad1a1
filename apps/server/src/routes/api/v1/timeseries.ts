import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  FilterQuery,
  TIMESERIES_GROUP_BY,
  TIMESERIES_METRICS,
  type TimeseriesGroupBy,
  type TimeseriesMetric,
  TimeseriesResponse,
} from '@weft/protocol';
import { Type } from 'typebox';
import { servedByPrometheus } from '../../../prometheus/promHistory.js';
import { chooseStep, GROUPS_FOR, MAX_POINTS, queryTimeseries } from '../../../store/timeseriesQuery.js';
import { BadRequestError } from '../../badRequestError.js';
import { filterFromQuery } from '../../filterFromQuery.js';

const Query = Type.Object({
  ...FilterQuery.properties,
  metric: Type.Union(TIMESERIES_METRICS.map((m) => Type.Literal(m))),
  groupBy: Type.Optional(Type.Union(TIMESERIES_GROUP_BY.map((g) => Type.Literal(g)))),
  /** seconds */
  step: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
});

/**
 * fast-json-stringify does not serialize TypeBox 1.x tuples (`prefixItems`), so the response is
 * described to it as arrays of number|null; the JSON is the same [t, value] pairs.
 */
const Response = Type.Object({
  ...TimeseriesResponse.properties,
  series: Type.Array(
    Type.Object({
      key: Type.String(),
      points: Type.Array(Type.Array(Type.Union([Type.Number(), Type.Null()]))),
    }),
  ),
});

export const timeseriesRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/timeseries', { schema: { querystring: Query, response: { 200: Response } } }, async (req) => {
    const w = app.weft;
    const { metric: m, groupBy: g, step, ...rest } = req.query;
    const metric = m as TimeseriesMetric;
    const groupBy = (g ?? 'none') as TimeseriesGroupBy;
    // A chart spans the selection's range; live and at put their moment inside the last hour.
    const liveEnd = w.liveEnd();
    const { filter, time } = filterFromQuery(
      rest,
      ['metric', 'groupBy', 'step'],
      w.now(),
      w.config.rateWindowS * 1000,
      liveEnd,
    );
    // ... up to the newest second every collector has delivered: its last point is a complete step.
    const window = { start: time.range.start, end: Math.min(time.range.end, liveEnd) };
    if (!GROUPS_FOR[metric].includes(groupBy))
      throw new BadRequestError(
        `groupBy: ${groupBy} is not available for metric ${metric}; use one of ${GROUPS_FOR[metric].join(', ')}`,
      );
    const stepS = chooseStep(window, step, w.store.fineFrom());
    if ((window.end - window.start) / (stepS * 1000) > MAX_POINTS)
      throw new BadRequestError(
        `step: ${stepS}s gives more than ${MAX_POINTS} points for this window; use a larger step`,
      );
    if (servedByPrometheus(w.prometheus, w.store, filter, window))
      return w.prometheus.timeseries(filter, window, metric, groupBy, stepS);
    return { ...queryTimeseries(w.store, filter, window, metric, groupBy, stepS), source: 'store' as const };
  });
};
