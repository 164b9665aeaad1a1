import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DiagnoseResponse, type FilterIssue, FilterQuery, parseFilter } from '@weft/protocol';
import { Type } from 'typebox';
import { withObjectChanges } from '../../../changes/diagnoseChanges.js';
import { diagnose } from '../../../diagnose/diagnose.js';
import { diagnoseQuery } from '../../../diagnose/diagnoseQuery.js';
import { resolveSubject, storeLookup } from '../../../diagnose/resolveSubject.js';
import { DEFAULT_RULES } from '../../../diagnose/rules.js';
import { parseSubject, type Subject } from '../../../diagnose/subject.js';
import { resolveLiveTime } from '../../../live/liveEnd.js';
import { withPolicyFinding } from '../../../policy/diagnosePolicy.js';
import { pairFinding } from '../../../policy/pairFinding.js';
import { badParams } from '../../badRequestError.js';

const Query = Type.Object(
  {
    ...FilterQuery.properties,
    /** `since=15m`: the shorthand for `from=now-15m` (diagnoseQuery.ts). */
    since: Type.Optional(Type.String({ maxLength: 20 })),
    /** Only to be refused by parseFilter with its notice (a view is live when from, to and at are absent). */
    live: Type.Optional(Type.String({ maxLength: 20 })),
  },
  // Anything else is named by the schema before the subjects are looked at, as on the other routes.
  { additionalProperties: false },
);

/**
 * `src` and `dst` are the pair (`ns/pod`, `ns/workload`, `ns/service`, `ns:<namespace>`, `node:<node>`,
 * an IP, `ip:port`, a DNS name); time is the shared selection: live by default (the rate window), `at=`
 * a moment, `from`/`to` a range. The verdict is over the selected window; `history` covers the
 * selection's range. A subject the store never saw is a 400 naming it, with near matches.
 */
export const diagnoseRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/diagnose',
    { schema: { querystring: Query, response: { 200: DiagnoseResponse } } },
    async (req) => {
      const w = app.weft;
      const { query, issues } = diagnoseQuery(req.query, w.config.coarseRetentionS);
      const { state, issues: filterIssues } = parseFilter(query);
      const all: FilterIssue[] = [...issues, ...filterIssues];
      if (all.length > 0) throw badParams(all);
      const lookup = storeLookup(w.store);
      const resolved: Subject[] = [];
      for (const param of ['src', 'dst'] as const) {
        const parsed = parseSubject(state[param]);
        const r = parsed ? resolveSubject(parsed, lookup) : null;
        if (r && 'subject' in r) resolved.push(r.subject);
        else all.push({ param, value: state[param], reason: r ? r.error : 'is not a subject' });
      }
      if (all.length > 0) throw badParams(all);
      const now = w.now();
      const rateWindowMs = w.config.rateWindowS * 1000;
      // The live window ends where the map's does: the newest second every collector has delivered.
      const time = resolveLiveTime(state, now, rateWindowMs, w.liveEnd());
      const answer = withPolicyFinding(
        diagnose(
          w.store,
          resolved[0]!,
          resolved[1]!,
          time,
          { ...DEFAULT_RULES, dnsSlowMs: w.config.diagnoseDnsSlowMs },
          { from: state.from, to: state.to, at: state.at },
          now,
        ),
        pairFinding(w.store, w.policyContexts, resolved[0]!, resolved[1]!, time.window, now),
        w.policyContexts.changes(),
        now,
      );
      return withObjectChanges(answer, resolved, w.policyContexts.objects.changes(), now);
    },
  );
};
