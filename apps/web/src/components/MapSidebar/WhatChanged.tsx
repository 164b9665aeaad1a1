import type { GraphResponse } from '@weft/protocol';
import { useMemo } from 'react';
import { CHANGE_WORDS, changeRows } from '../../domain/changes.js';
import { formatCount } from '../../domain/format.js';
import { overWords, windowWords } from '../../domain/windowWords.js';
import { Name } from '../Name/Name.js';
import { Panel } from '../Panel/Panel.js';

const TONE = {
  drops_rose: 'text-[#db61a2]',
  failures_rose: 'text-[#db61a2]',
  dns_errors_rose: 'text-[#db61a2]',
  new: 'text-ok',
  vanished: 'text-muted',
} as const;

/**
 * With `compare`: every edge the server marked, problems first, each with its figures now and in the
 * baseline. A row selects its edge on the map (and opens its panel).
 */
export function WhatChanged({
  graph,
  onSelectEdge,
  selectedEdge,
}: {
  graph: GraphResponse;
  onSelectEdge: (id: string | null) => void;
  selectedEdge: string | null;
}) {
  const rows = useMemo(() => changeRows(graph), [graph]);
  const labels = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.label])), [graph]);
  const name = (id: string) => labels.get(id) ?? id;
  const baseline = graph.baseline;
  return (
    <Panel title={`What changed (${formatCount(rows.length)})`} testId="what-changed">
      {baseline && (
        <p className="mb-1 text-xs text-muted">
          Rates {overWords(graph, Date.now())} against{' '}
          {windowWords({ mode: 'range', ...baseline }, Date.now())}.
        </p>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-muted">No connection changed against the baseline.</p>
      ) : (
        <ul className="max-h-72 space-y-0.5 overflow-auto text-sm" aria-label="What changed">
          {rows.map((r) => (
            <li key={r.edge.id}>
              <button
                type="button"
                data-testid="change-row"
                data-id={r.edge.id}
                data-change={r.kinds.join(' ')}
                aria-pressed={selectedEdge === r.edge.id}
                onClick={() => onSelectEdge(selectedEdge === r.edge.id ? null : r.edge.id)}
                className={`w-full rounded px-1 py-0.5 text-left hover:bg-panel-2 ${selectedEdge === r.edge.id ? 'bg-accent/15' : ''}`}
              >
                <span
                  className="block min-w-0 truncate"
                  title={`${name(r.edge.source)} → ${name(r.edge.target)}`}
                >
                  <Name value={name(r.edge.source)} max={24} /> →{' '}
                  <Name value={name(r.edge.target)} max={24} />
                </span>
                <span className="tabular block text-xs">
                  <span className={`font-semibold ${TONE[r.kinds[0]!]}`}>
                    {r.kinds.map((k) => CHANGE_WORDS[k]).join(', ')}
                  </span>
                  <span className="text-muted">: {r.figures}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
