import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DiagnoseResponse, FilterQuery, parseFilter } from '@weft/protocol';
import { Type } from 'typebox';
import { diagnose } from '../../../diagnose/diagnose.js';
import { diagnoseQuery } from '../../../diagnose/diagnoseQuery.js';
import { parseSubject } from '../../../diagnose/subject.js';
import { resolveLiveTime } from '../../../live/liveEnd.js';
import { badParams } from '../../../plugins/badRequest.js';
import { withPolicyFinding } from '../../../policy/diagnosePolicy.js';
import { pairFinding } from '../../../policy/pairFinding.js';

const Query = Type.Object(
  {
    ...FilterQuery.properties,
    /** The old window, `since=15m`: read as `from=now-15m` (diagnoseQuery.ts). */
    since: Type.Optional(Type.String({ maxLength: 20 })),
    /** Only to be refused by parseFilter with its notice (a view is live when from, to and at are absent). */
    live: Type.Optional(Type.String({ maxLength: 20 })),
  },
  // Anything else is named by the schema before the subjects are looked at, as on the other routes.
  { additionalProperties: false },
);

/**
 * `src` and `dst` are the pair (`ns/pod`, `ns/workload`, `ns/service`, an IP or `ip:port`); time is the
 * shared selection: live by default (the rate window), `at=` a moment, `from`/`to` a range. The verdict
 * is over the selected window; `history` covers the selection's range.
 */
export const diagnoseRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/diagnose',
    { schema: { querystring: Query, response: { 200: DiagnoseResponse } } },
    async (req) => {
      const w = app.weft;
      const { query, issues } = diagnoseQuery(req.query, w.config.coarseRetentionS);
      const { state, issues: filterIssues } = parseFilter(query);
      const all = [...issues, ...filterIssues];
      const from = parseSubject(state.src);
      const to = parseSubject(state.dst);
      if (all.length > 0 || !from || !to) throw badParams(all);
      const now = w.now();
      const rateWindowMs = w.config.rateWindowS * 1000;
      // The live window ends where the map's does: the newest second every collector has delivered.
      const time = resolveLiveTime(state, now, rateWindowMs, w.liveEnd());
      return withPolicyFinding(
        diagnose(w.store, from, to, time, now),
        pairFinding(w.store, w.policyContexts, from, to, time.window, now),
        w.policyContexts.changes(),
        now,
      );
    },
  );
};
