import type { GraphResponse, LiveSummary } from '@weft/protocol';
import { useMemo } from 'react';
import { edgeHealth, edgeLabel } from '../../domain/edgeLabel.js';
import { drillInto } from '../../domain/focus.js';
import { formatByteRate, formatCount, formatPercent, formatRate } from '../../domain/format.js';
import { nodeSummary, topEdges, topNodes } from '../../domain/mapModel.js';
import { Name } from '../Name/Name.js';
import { Panel } from '../Panel/Panel.js';
import { WhatChanged } from './WhatChanged.js';

const LIST = 25;

/**
 * The map's numbers as lists: the summary of the window (live: the last seconds), what changed when
 * comparing, drops by reason, and the busiest nodes and connections. Every entry is a button, so the
 * whole map is usable from the keyboard.
 */
export function MapSidebar({
  graph,
  summary,
  onActivate,
  onSelectEdge,
  selectedEdge,
  window = '',
}: {
  graph: GraphResponse;
  /** The window the graph's rates are over, in words ("last 10 s"). */
  window?: string;
  summary: LiveSummary | null;
  onActivate: (id: string) => void;
  onSelectEdge: (id: string | null) => void;
  selectedEdge: string | null;
}) {
  const nodes = useMemo(() => topNodes(graph, LIST), [graph]);
  const edges = useMemo(() => topEdges(graph, LIST), [graph]);
  // Only the listed edges' ends: a map of every node's label cost more than the lists at 10,000 nodes.
  const labels = useMemo(() => {
    const ends = new Set<string>();
    for (const e of edges) ends.add(e.source).add(e.target);
    const out = new Map<string, string>();
    for (const n of graph.nodes) if (ends.has(n.id)) out.set(n.id, n.label);
    return out;
  }, [graph, edges]);
  const drops = useMemo(() => {
    const by = new Map<string, number>();
    // No entries array made per edge: this runs over 50,000 edges on every update.
    for (const e of graph.edges)
      for (const r in e.dropReasons) by.set(r, (by.get(r) ?? 0) + e.dropReasons[r]!);
    return [...by].sort((a, b) => b[1] - a[1]);
  }, [graph]);
  const totalBytes = graph.edges.reduce((s, e) => s + e.bytesPerSec, 0);
  const totalDrops = graph.edges.reduce((s, e) => s + e.dropsPerSec, 0);

  return (
    <>
      <Panel
        title={
          graph.mode === 'live'
            ? `Now${window ? ` (${window})` : ''}`
            : `Rates over ${window || 'the window'}`
        }
        testId="map-summary"
      >
        <dl className="tabular grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
          <dt className="text-muted">Traffic</dt>
          <dd className="text-right">{formatByteRate(summary?.bytesPerSec ?? totalBytes)}</dd>
          <dt className="text-muted">Drops</dt>
          <dd
            className={`text-right ${(summary?.dropsPerSec ?? totalDrops) > 0 ? 'font-semibold text-danger' : ''}`}
          >
            {formatRate(summary?.dropsPerSec ?? totalDrops)}
          </dd>
          {summary && (
            <>
              <dt className="text-muted">DNS errors</dt>
              <dd className={`text-right ${summary.dnsErrorRate > 0.05 ? 'text-danger' : ''}`}>
                {formatPercent(summary.dnsErrorRate)}
              </dd>
              <dt className="text-muted">TCP connects</dt>
              <dd className="text-right">{formatRate(summary.tcpConnectsPerSec)}</dd>
              <dt className="text-muted">TCP failures</dt>
              <dd className={`text-right ${summary.tcpFailuresPerSec > 0 ? 'text-warn' : ''}`}>
                {formatRate(summary.tcpFailuresPerSec)}
              </dd>
            </>
          )}
        </dl>
      </Panel>
      {graph.baseline && (
        <WhatChanged graph={graph} onSelectEdge={onSelectEdge} selectedEdge={selectedEdge} />
      )}
      <Panel title="Drops by reason" testId="map-drops">
        {drops.length === 0 ? (
          <p className="text-sm text-muted">No drops in this window.</p>
        ) : (
          <ul className="tabular space-y-0.5 text-sm">
            {drops.map(([reason, v]) => (
              <li
                key={reason}
                data-testid="map-drop-reason"
                className="flex justify-between gap-2 text-danger"
              >
                <Name value={reason} max={30} />
                <span>{formatRate(v)}</span>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={`Connections (${formatCount(graph.edges.length)})`}>
        <ul className="max-h-72 space-y-0.5 overflow-auto text-sm" aria-label="Connections">
          {edges.map((e) => {
            const h = edgeHealth(e);
            return (
              <li key={e.id}>
                <button
                  type="button"
                  data-testid="map-edge"
                  data-id={e.id}
                  data-health={h}
                  aria-pressed={selectedEdge === e.id}
                  onClick={() => onSelectEdge(selectedEdge === e.id ? null : e.id)}
                  className={`grid w-full grid-cols-[minmax(0,1fr)_auto] gap-2 rounded px-1 py-0.5 text-left hover:bg-panel-2 ${selectedEdge === e.id ? 'bg-accent/15' : ''}`}
                >
                  <span
                    className="min-w-0 truncate"
                    title={`${labels.get(e.source) ?? e.source} → ${labels.get(e.target) ?? e.target}`}
                  >
                    {labels.get(e.source) ?? e.source} → {labels.get(e.target) ?? e.target}
                  </span>
                  <span
                    className={`tabular text-xs ${h === 'drops' ? 'text-danger' : h === 'failing' ? 'text-warn' : 'text-muted'}`}
                  >
                    {edgeLabel(e)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </Panel>
      <Panel title={`Nodes (${formatCount(graph.nodes.length)})`}>
        <ul className="max-h-72 space-y-0.5 overflow-auto text-sm" aria-label="Nodes">
          {nodes.map((n) => {
            const opens = drillInto(n) !== null;
            return (
              <li key={n.id}>
                <button
                  type="button"
                  data-testid="map-node"
                  data-id={n.id}
                  data-kind={n.kind}
                  disabled={!opens}
                  onClick={() => onActivate(n.id)}
                  title={opens ? `Open ${n.label}` : n.label}
                  className="grid w-full grid-cols-[minmax(0,1fr)_auto] gap-2 rounded px-1 py-0.5 text-left hover:bg-panel-2 disabled:cursor-default disabled:hover:bg-transparent"
                >
                  <span className="min-w-0 truncate">
                    <span className="text-xs text-muted">
                      {n.kind === 'namespace'
                        ? 'ns'
                        : n.kind === 'workload'
                          ? (n.workloadKind ?? 'wl')
                          : n.kind}{' '}
                    </span>
                    {n.kind === 'others' && n.members ? `${n.label} (${n.members})` : n.label}
                  </span>
                  <span className={`tabular text-xs ${n.dropsPerSec > 0 ? 'text-danger' : 'text-muted'}`}>
                    {nodeSummary(n)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </Panel>
    </>
  );
}
