import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DiagnoseResponse } from '@weft/protocol';
import { Type } from 'typebox';
import { diagnose } from '../../../diagnose/diagnose.js';
import { parseSubject } from '../../../diagnose/subject.js';
import { BadRequestError } from '../../../plugins/badRequest.js';

const SINCE = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_S = { s: 1, m: 60, h: 3600, d: 86400 } as const;

const Query = Type.Object(
  {
    /** `ns/pod` (or `ns/workload`, or an IP) */
    from: Type.Optional(Type.String({ maxLength: 300 })),
    /** `ns/pod`, `ns/service`, an IP or `ip:port` */
    to: Type.Optional(Type.String({ maxLength: 300 })),
    /** The web app's URL names the same subjects `src` and `dst`. */
    src: Type.Optional(Type.String({ maxLength: 300 })),
    dst: Type.Optional(Type.String({ maxLength: 300 })),
    since: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const diagnoseRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/diagnose',
    { schema: { querystring: Query, response: { 200: DiagnoseResponse } } },
    async (req) => {
      const w = app.weft;
      const q = req.query;
      const problems: { param: string; value: string; reason: string }[] = [];
      const fromText = q.from ?? q.src ?? '';
      const toText = q.to ?? q.dst ?? '';
      const from = parseSubject(fromText);
      const to = parseSubject(toText);
      if (!from)
        problems.push({
          param: q.from === undefined && q.src !== undefined ? 'src' : 'from',
          value: fromText,
          reason: fromText ? 'must be namespace/pod or an IP' : 'is required (namespace/pod)',
        });
      if (!to)
        problems.push({
          param: q.to === undefined && q.dst !== undefined ? 'dst' : 'to',
          value: toText,
          reason: toText
            ? 'must be namespace/pod, namespace/service, an IP or ip:port'
            : 'is required (namespace/pod, namespace/service, IP or ip:port)',
        });
      let sinceS = 900;
      if (q.since !== undefined) {
        const m = SINCE.exec(q.since.trim().replace(/^now-/, ''));
        const s = m ? Number(m[1]) * UNIT_S[m[2] as keyof typeof UNIT_S] : 0;
        if (!m || s < 1 || s > w.config.coarseRetentionS)
          problems.push({
            param: 'since',
            value: q.since,
            reason: `must be a duration like 15m, 1h (at most ${w.config.coarseRetentionS}s)`,
          });
        else sinceS = s;
      }
      if (problems.length > 0 || !from || !to)
        throw new BadRequestError(
          problems
            .map((p) => `${p.param}: ${p.reason} (got ${JSON.stringify(p.value.slice(0, 60))})`)
            .join('; '),
          problems,
        );
      const end = w.now();
      return diagnose(w.store, from, to, { start: end - sinceS * 1000, end }, sinceS);
    },
  );
};
