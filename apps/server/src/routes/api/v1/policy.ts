import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PolicyError, parsePolicies } from '@weft/policy';
import {
  type FilterIssue,
  FilterQuery,
  MAX_WHATIF_YAML,
  parseFilter,
  WhatIfRequest,
  WhatIfResponse,
} from '@weft/protocol';
import { Type } from 'typebox';
import { resolveLiveTime } from '../../../live/liveEnd.js';
import { generateFromTraffic } from '../../../policy/generateFromTraffic.js';
import { whatIf } from '../../../policy/whatIf.js';
import { pairMatcher } from '../../../store/match.js';
import { badParams } from '../../badRequestError.js';
import { filterFromQuery } from '../../filterFromQuery.js';

const NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

const GenerateQuery = Type.Object(
  {
    namespace: Type.String({ minLength: 1, maxLength: 63 }),
    /** A workload of the namespace, as `name` or `namespace/name`. */
    workload: Type.Optional(Type.String({ minLength: 1, maxLength: 317 })),
    from: Type.Optional(Type.String({ maxLength: 64 })),
    to: Type.Optional(Type.String({ maxLength: 64 })),
    at: Type.Optional(Type.String({ maxLength: 64 })),
    /** `json` (default) or `yaml`: the policies alone, as a download. */
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
  },
  { additionalProperties: false },
);

/**
 * What a NetworkPolicy would do before anyone applies it (`POST /policy/whatif`: the observed
 * connections it would deny) and the reverse (`GET /policy/generate`: least-privilege policies from the
 * observed traffic). Both take the shared time selection: live by default, `at=`, `from`/`to`.
 */
export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/policy/whatif',
    {
      // The YAML's limit, with room for JSON escaping; the schema names the field beyond it.
      bodyLimit: MAX_WHATIF_YAML * 2 + 1024,
      schema: { querystring: FilterQuery, body: WhatIfRequest, response: { 200: WhatIfResponse } },
    },
    async (req) => {
      const w = app.weft;
      const { filter, window } = filterFromQuery(
        req.query,
        [],
        w.now(),
        w.config.rateWindowS * 1000,
        w.liveEnd(),
      );
      // parsePolicies refuses a text without any NetworkPolicy, so `pasted` is never empty.
      let pasted: ReturnType<typeof parsePolicies>;
      try {
        pasted = parsePolicies(req.body.yaml, { source: 'pasted' });
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        throw badParams([{ param: 'yaml', value: firstLine(req.body.yaml), reason: err.message }]);
      }
      return whatIf(w.store, w.policyContexts, pasted, window, pairMatcher(filter));
    },
  );

  app.get('/policy/generate', { schema: { querystring: GenerateQuery } }, async (req, reply) => {
    const w = app.weft;
    const q = req.query;
    const issues: FilterIssue[] = [];
    if (!new RegExp(NAME).test(q.namespace))
      issues.push({ param: 'namespace', value: q.namespace, reason: 'must be a namespace name' });
    let workload = q.workload;
    if (workload?.includes('/')) {
      const [ns, name] = workload.split('/', 2) as [string, string];
      if (ns !== q.namespace)
        issues.push({ param: 'workload', value: workload, reason: `is not in namespace ${q.namespace}` });
      workload = name;
    }
    if (workload !== undefined && !new RegExp(NAME).test(workload))
      issues.push({ param: 'workload', value: q.workload ?? '', reason: 'must be a workload name' });
    const { state, issues: timeIssues } = parseFilter({ from: q.from, to: q.to, at: q.at });
    issues.push(...timeIssues);
    if (issues.length > 0) throw badParams(issues);
    const time = resolveLiveTime(state, w.now(), w.config.rateWindowS * 1000, w.liveEnd());
    const answer = generateFromTraffic(w.store, w.policyContexts, q.namespace, workload, time.window);
    if (q.format === 'yaml')
      return reply
        .type('application/yaml; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${q.namespace}${workload ? `-${workload}` : ''}-networkpolicies.yaml"`,
        )
        .send(answer.yaml);
    return answer;
  });
};

const firstLine = (s: string) => s.split('\n', 1)[0] ?? '';
