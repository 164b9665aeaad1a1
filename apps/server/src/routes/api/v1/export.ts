import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FilterQuery } from '@weft/protocol';
import { Type } from 'typebox';
import { seedRules } from '../../../alerts/seedRules.js';
import { grafanaDashboard } from '../../../export/grafanaDashboard.js';
import { mermaidMap } from '../../../export/mermaid.js';
import { prometheusRuleYaml, ruleGroupsYaml } from '../../../export/prometheusRules.js';
import { queryGraph } from '../../../store/graphQuery.js';
import { filterFromQuery } from '../../filterFromQuery.js';

const RulesQuery = Type.Object(
  {
    /** `prometheusrule` (the Operator's CRD, default) or `groups` (a plain rule file for promtool/Prometheus). */
    format: Type.Optional(Type.Union([Type.Literal('prometheusrule'), Type.Literal('groups')])),
    namespace: Type.Optional(Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' })),
  },
  { additionalProperties: false },
);

const GrafanaQuery = Type.Object({}, { additionalProperties: false });

/** The seed's dashboard, alert rules and traffic map, generated for this cluster. */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/grafana', { schema: { querystring: GrafanaQuery } }, async (_req, reply) =>
    reply
      .header('content-disposition', 'attachment; filename="weft-network-dashboard.json"')
      .send(grafanaDashboard()),
  );

  app.get('/prometheus-rules', { schema: { querystring: RulesQuery } }, async (req, reply) => {
    const rules = seedRules(app.weft.config);
    const body =
      req.query.format === 'groups'
        ? ruleGroupsYaml(rules)
        : prometheusRuleYaml(rules, { namespace: req.query.namespace ?? 'monitoring' });
    return reply
      .type('application/yaml; charset=utf-8')
      .header('content-disposition', 'attachment; filename="network-alerts.yaml"')
      .send(body);
  });

  app.get('/mermaid', { schema: { querystring: FilterQuery } }, async (req, reply) => {
    const w = app.weft;
    // The seed's map is drawn per workload; an explicit level still wins.
    const query = { ...req.query, level: req.query.level ?? 'workload' };
    const { filter, window } = filterFromQuery(query, [], w.now(), w.config.rateWindowS * 1000, w.liveEnd());
    const graph = queryGraph(w.store, filter, window, {
      maxNodes: 40,
      simulated: w.collectors.anySimulated(),
    });
    return reply.type('text/plain; charset=utf-8').send(mermaidMap(graph));
  });
};
