import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DnsResponse, FilterQuery } from '@weft/protocol';
import { servedByPrometheus } from '../../../prometheus/promHistory.js';
import { queryDns } from '../../../store/dnsQuery.js';
import { filterFromQuery } from '../../filterFromQuery.js';

export const dnsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/dns', { schema: { querystring: FilterQuery, response: { 200: DnsResponse } } }, async (req) => {
    const { filter, window } = filterFromQuery(
      req.query,
      [],
      app.weft.now(),
      app.weft.config.rateWindowS * 1000,
      app.weft.liveEnd(),
    );
    const w = app.weft;
    if (servedByPrometheus(w.prometheus, w.store, filter, window)) return w.prometheus.dns(filter, window);
    return { ...queryDns(w.store, filter, window), source: 'store' as const };
  });
};
