import {
  type GraphResponse,
  LEVELS,
  parseNodeId,
  resolveCompare,
  resolveTime,
  timeMode,
} from '@weft/protocol';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useGraph, useStatus } from '../api/queries.js';
import { useLive } from '../app/LiveContext.js';
import { setLastWhatIf, useLastWhatIf } from '../app/lastWhatIf.js';
import { useUrl } from '../app/UrlContext.js';
import { Breadcrumbs } from '../components/Breadcrumbs/Breadcrumbs.js';
import { type EdgeChoice, EdgeChooser } from '../components/EdgeChooser/EdgeChooser.js';
import { EdgePanel } from '../components/EdgePanel/EdgePanel.js';
import { EmptyState, NoCollectorHelp } from '../components/EmptyState/EmptyState.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Link } from '../components/Link/Link.js';
import { Loading } from '../components/Loading/Loading.js';
import { MapFilterBar } from '../components/MapFilterBar/MapFilterBar.js';
import { MapLegend } from '../components/MapSidebar/MapLegend.js';
import { MapSidebar } from '../components/MapSidebar/MapSidebar.js';
import { CanvasMap } from '../components/TrafficMap/CanvasMap.js';
import { TrafficMap } from '../components/TrafficMap/TrafficMap.js';
import { COMPARE_CHOICES, compareChoiceOf, compareExpr } from '../domain/compareChoice.js';
import { edgeLabel } from '../domain/edgeLabel.js';
import { apiParams, drillInto, drillUp, parseEdgeFocus, parseFocus } from '../domain/focus.js';
import { formatCount } from '../domain/format.js';
import { collapseLargeMap } from '../domain/mapCollapse.js';
import { onlyProblems } from '../domain/mapFilter.js';
import { buildMapModel } from '../domain/mapModel.js';
import { wantsCanvas } from '../domain/mapRenderer.js';
import { windowLabel } from '../domain/timeLabel.js';
import { markWhatIf } from '../domain/whatIfMarks.js';
import { overWords, windowWords } from '../domain/windowWords.js';

const MAP_HEIGHT = 600;
// Only the last drill-down step needs the flows table: the map itself loads without it.
const PodPanel = lazy(() => import('../components/MapSidebar/PodPanel.js'));

export default function MapView() {
  const { state, map, navigate } = useUrl();
  const live = useLive();
  const isLive = timeMode(state) === 'live';
  const comparing = state.compare !== '';
  // The live stream carries no comparison: comparing, the map asks the REST API (every 2 s while live).
  const liveGraph = isLive && !comparing ? (live.update?.graph ?? null) : null;
  const rest = useGraph(state, !liveGraph);
  const answer: GraphResponse | null = liveGraph ?? rest.data ?? null;
  // What the server's filter gave, less what the map's own filter leaves out: the map, its side lists
  // and its counts all show this one graph.
  const graph = useMemo(
    () => (answer && map.problems ? onlyProblems(answer) : answer),
    [answer, map.problems],
  );
  const namespaces = useMemo(() => namespacesOf(answer), [answer]);
  // Too many nodes to draw one by one: the map draws namespaces (mapCollapse.ts), the lists beside it
  // keep every node and connection.
  const collapsed = useMemo(
    () => (graph ? collapseLargeMap(graph, state.focus) : null),
    [graph, state.focus],
  );
  const drawn = collapsed?.graph ?? graph;
  const status = useStatus();
  const rateWindowMs = (status.data?.rateWindowS ?? 10) * 1000;
  // From the answer itself: the numbers on screen are over the window the server says it used.
  const windowText = graph ? windowWords(graph, Date.now()) : '';
  const whatIf = useLastWhatIf();
  const { model, whatIfMarked } = useMemo(() => {
    const built = drawn ? buildMapModel(drawn, state.focus, windowText) : null;
    if (!built || !whatIf) return { model: built, whatIfMarked: 0 };
    const m = markWhatIf(built, whatIf, state.level);
    return { model: m.model, whatIfMarked: m.marked };
  }, [drawn, state.focus, state.level, windowText, whatIf]);
  const params = apiParams(state);
  // Another moment or baseline is the same question about another time: the layout stays.
  params.delete('from');
  params.delete('to');
  params.delete('at');
  params.delete('compare');
  // The map's own filter is part of the question too: changing it fits the view to what remains.
  if (map.problems) params.set('problems', map.problems);
  const layoutKey = params.toString();
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  /** A tap among edges too close to tell apart: which ones, and where the menu opens. */
  const [choice, setChoice] = useState<{ ids: string[]; at: { x: number; y: number } } | null>(null);
  const mapBox = useRef<HTMLDivElement>(null);
  const canvasRef = useRef(false);
  canvasRef.current = wantsCanvas(model?.edges.length ?? 0, canvasRef.current);
  const MapComponent = canvasRef.current ? CanvasMap : TrafficMap;

  // An edge as focus is the URL's selection; a new question (drill, level) otherwise starts without one.
  const edgeFocus = parseEdgeFocus(state.focus) ? state.focus : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a new question only
  useEffect(() => setSelectedEdge(edgeFocus), [layoutKey, edgeFocus]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new question closes the chooser
  useEffect(() => setChoice(null), [layoutKey]);
  const closeChoice = useCallback(() => setChoice(null), []);
  /** Selecting or clearing an edge: a step in the URL while an edge is the focus, local otherwise. */
  const selectEdge = useCallback(
    (id: string | null) => {
      if (!edgeFocus) setSelectedEdge(id);
      else if (id) navigate({ focus: id });
      else {
        const up = drillUp(state);
        if (up) navigate(up);
      }
    },
    [edgeFocus, navigate, state],
  );

  const activate = useCallback(
    (id: string) => {
      // A folded namespace opens where it is: the same level, focused on it (its members unfolded).
      if (collapsed?.groups.has(id)) {
        navigate({ focus: id, level: state.level, workload: '', pod: '' });
        return;
      }
      // Looked up on the click, not mapped for 10,000 nodes on every update.
      const node = graph?.nodes.find((n) => n.id === id) ?? {
        id,
        kind: parseNodeId(id)?.kind === 'ns' ? ('namespace' as const) : ('pod' as const),
      };
      const patch = drillInto(node);
      if (patch) navigate(patch);
    },
    [graph, navigate, collapsed, state.level],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (selectedEdge && !edgeFocus) {
        setSelectedEdge(null);
        return;
      }
      const up = drillUp(state);
      if (up) navigate(up);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state, navigate, selectedEdge, edgeFocus]);

  // A summed edge between folded namespaces is the map's; any other is in the graph (and the lists).
  const edge = selectedEdge
    ? (collapsed?.graph.edges.find((e) => e.id === selectedEdge) ??
      graph?.edges.find((e) => e.id === selectedEdge))
    : undefined;
  const focus = parseFocus(state.focus);
  const noCollector = status.data && status.data.collectors.filter((c) => c.connected).length === 0;

  return (
    <div className="flex flex-col gap-3" data-testid="map-view">
      <div className="flex flex-wrap items-center gap-3">
        <Breadcrumbs />
        <span className="flex-1" />
        <CompareControl rateWindowMs={rateWindowMs} />
        <span className="text-xs text-muted">Level:</span>
        {LEVELS.map((l) => (
          <Link
            key={l}
            patch={{ level: l, focus: l === 'namespace' || l === 'node' || edgeFocus ? '' : state.focus }}
            ariaCurrent={state.level === l}
            className={`rounded border px-2 py-0.5 text-xs ${state.level === l ? 'border-accent text-accent' : 'border-line hover:bg-panel-2'}`}
          >
            {l}
          </Link>
        ))}
      </div>
      <MapFilterBar namespaces={namespaces} />
      <div className="grid min-w-0 gap-3 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0">
          {!model ? (
            rest.error ? (
              <div style={{ minHeight: MAP_HEIGHT }}>
                <ErrorState error={rest.error} what="the traffic map" onRetry={() => rest.refetch()} />
              </div>
            ) : (
              <Loading label="the traffic map" height={MAP_HEIGHT} />
            )
          ) : model.nodes.length === 0 ? (
            <div style={{ minHeight: MAP_HEIGHT }}>
              {noCollector ? (
                <EmptyState title="No traffic yet" testId="map-empty">
                  <NoCollectorHelp />
                </EmptyState>
              ) : (
                <EmptyState title="No traffic in this window" testId="map-empty">
                  <p>
                    Collectors are connected, but nothing matched{' '}
                    {focus ? 'this focus and filter' : 'the filter'}
                    {map.problems ? ' with a problem (drops, failed connects or DNS errors)' : ''}.
                  </p>
                  <p>Widen the time range, or go back up with the breadcrumbs.</p>
                </EmptyState>
              )}
            </div>
          ) : (
            <>
              <p className="mb-1 text-xs text-muted" data-testid="map-window">
                Colours, widths and labels: rates {graph && overWords(graph, Date.now())}
                {graph?.baseline && (
                  <>, marked against {windowWords({ mode: 'range', ...graph.baseline }, Date.now())}</>
                )}
                .
              </p>
              {collapsed && (
                <p className="mb-1 text-xs" data-testid="map-collapsed">
                  {exact(collapsed.total)} nodes are too many to draw one by one: {exact(collapsed.folded)} of
                  them are drawn as {exact(collapsed.groups.size)}{' '}
                  {collapsed.groups.size === 1 ? 'namespace' : 'namespaces'} with their counts. Click one to
                  open it; the lists beside the map hold every node and connection.
                </p>
              )}
              {whatIf && (
                <p className="mb-1 text-xs" data-testid="map-whatif">
                  <span className="text-danger">
                    What if {whatIf.policies.map((p) => `${p.namespace}/${p.name}`).join(', ')}:{' '}
                    {whatIfMarked} {whatIfMarked === 1 ? 'edge' : 'edges'} here would be denied (red halo).
                  </span>{' '}
                  <button
                    type="button"
                    className="text-accent hover:underline"
                    onClick={() => setLastWhatIf(null)}
                  >
                    clear
                  </button>
                </p>
              )}
              <div ref={mapBox} className="relative">
                <MapComponent
                  model={model}
                  layoutKey={layoutKey}
                  onNodeActivate={activate}
                  onEdgeSelect={(id) => {
                    setChoice(null);
                    selectEdge(id);
                  }}
                  onEdgeChoices={(ids, at) => setChoice({ ids, at })}
                  selectedEdge={selectedEdge}
                  height={MAP_HEIGHT}
                />
                {choice && drawn && edgeChoices(drawn, choice.ids).length > 0 && (
                  <EdgeChooser
                    choices={edgeChoices(drawn, choice.ids)}
                    at={choice.at}
                    flip={{
                      x: choice.at.x > (mapBox.current?.clientWidth ?? 0) / 2,
                      y: choice.at.y > MAP_HEIGHT / 2,
                    }}
                    onChoose={(id) => {
                      setChoice(null);
                      selectEdge(id);
                    }}
                    onClose={closeChoice}
                  />
                )}
              </div>
              <div className="mt-2 flex flex-wrap items-center gap-4 text-xs text-muted">
                <MapLegend compare={!!graph?.baseline} />
                <span className="flex-1" />
                {graph && graph.folded > 0 && (
                  <span>
                    {formatCount(graph.folded)} quieter nodes folded into “others”: drill into a namespace to
                    see them.
                  </span>
                )}
                <span className="tabular">
                  {formatCount(model.nodes.length)} nodes · {formatCount(model.edges.length)} connections
                </span>
              </div>
            </>
          )}
          {focus?.kind === 'pod' && (
            <div className="mt-3">
              <Suspense fallback={<Loading label="the pod's flows" height={360} />}>
                <PodPanel namespace={focus.namespace} pod={focus.name} graph={graph} />
              </Suspense>
            </div>
          )}
        </div>
        <aside className="flex min-w-0 flex-col gap-3" aria-label="Map details">
          {edge && drawn && (
            <EdgePanel
              edge={edge}
              graph={collapsed?.graph.edges.includes(edge) ? drawn : (graph ?? drawn)}
              onClose={() => selectEdge(null)}
            />
          )}
          {graph && (
            <MapSidebar
              graph={graph}
              window={windowText}
              summary={liveGraph ? live.summary : null}
              onActivate={activate}
              onSelectEdge={selectEdge}
              selectedEdge={selectedEdge}
            />
          )}
        </aside>
      </div>
    </div>
  );
}

/** The chooser's lines for edges `ids` of `graph` (those still in it), in the order given. */
function edgeChoices(graph: GraphResponse, ids: string[]): EdgeChoice[] {
  const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;
  const out: EdgeChoice[] = [];
  for (const id of ids) {
    const e = graph.edges.find((x) => x.id === id);
    if (e) out.push({ id, ends: `${label(e.source)} → ${label(e.target)}`, label: edgeLabel(e) });
  }
  return out;
}

/** A count as it is ("10,050"), where a rounded one would not say how many were folded. */
function exact(n: number): string {
  return n.toLocaleString('en-US');
}

/** The namespaces a graph's nodes are in, for the filter bar's choices. */
function namespacesOf(graph: GraphResponse | null): string[] {
  const out = new Set<string>();
  for (const n of graph?.nodes ?? []) if (n.namespace) out.add(n.namespace);
  return [...out];
}

/** A baseline from the URL in words ("05:00:23 – 05:00:41 today"), never its raw times. */
function customBaselineLabel(compare: string, selected: { start: number; end: number }, now: number): string {
  const base = resolveCompare(compare, selected, now);
  return base ? windowLabel(base.start, base.end, now) : compare;
}

/** "Compare with …": sets `compare=` (the server marks what changed against that baseline). */
function CompareControl({ rateWindowMs }: { rateWindowMs: number }) {
  const { state, navigate } = useUrl();
  const now = Date.now();
  const choice = compareChoiceOf(state.compare, state, now, rateWindowMs);
  return (
    <select
      aria-label="Compare"
      data-testid="compare-select"
      value={choice}
      onChange={(e) => {
        const v = e.target.value as (typeof COMPARE_CHOICES)[number]['value'] | 'custom';
        if (v === 'custom') return;
        navigate({ compare: compareExpr(v, state, Date.now(), rateWindowMs) });
      }}
      className={`rounded border bg-panel-2 px-1 py-0.5 text-xs ${choice === 'off' ? 'border-line' : 'border-[#db61a2] text-[#db61a2]'}`}
    >
      {COMPARE_CHOICES.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
      {choice === 'custom' && (
        <option value="custom">
          Compare with {customBaselineLabel(state.compare, resolveTime(state, now, rateWindowMs).window, now)}
        </option>
      )}
    </select>
  );
}
