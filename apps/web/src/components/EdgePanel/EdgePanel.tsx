import type { GraphEdge, GraphResponse } from '@weft/protocol';
import { useDiagnose, useEdgeTotals } from '../../api/queries.js';
import { useUrl } from '../../app/UrlContext.js';
import { CHANGE_WORDS, changeFigures } from '../../domain/changes.js';
import { edgeLabel, portName, portProblem } from '../../domain/edgeLabel.js';
import { totalsWords } from '../../domain/edgeTotals.js';
import { parseFocus, subjectFor } from '../../domain/focus.js';
import { formatByteRate, formatCount, formatLatency, formatRate } from '../../domain/format.js';
import { overWords, windowWords } from '../../domain/windowWords.js';
import { Link } from '../Link/Link.js';
import { Name } from '../Name/Name.js';
import { Panel } from '../Panel/Panel.js';
import { PolicyFinding } from '../PolicyFinding/PolicyFinding.js';

/**
 * The edge's menu: its rates over the answer's window (live: the last seconds), what changed against
 * the baseline when comparing, its totals over the selected range (a query of its own, made only while
 * the panel is open), then where to go next (its flows, a diagnosis, the drops).
 */
export function EdgePanel({
  edge,
  graph,
  onClose,
}: {
  edge: GraphEdge;
  graph: GraphResponse;
  onClose: () => void;
}) {
  const { state } = useUrl();
  const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;
  const src = subjectFor(edge.source);
  const dst = subjectFor(edge.target);
  const srcFocus = parseFocus(edge.source);
  const reasons = Object.entries(edge.dropReasons).sort((a, b) => b[1] - a[1]);
  const now = Date.now();
  const totals = useEdgeTotals(state, edge.id, true);
  // A dropping or failing pair of pods or workloads: Diagnose's policy step says which policy denies it.
  const troubled = (edge.dropReasons.policy_drop ?? 0) > 0 || edge.tcpFailures > 0;
  const pair = useDiagnose({ ...state, src: troubled && src && dst ? src : '', dst: dst ?? '' });
  const finding = pair.data?.steps.find((s) => s.id === 'policy_drops')?.policyFinding;
  return (
    <Panel
      title="Connection"
      testId="edge-panel"
      actions={
        <button
          type="button"
          onClick={onClose}
          aria-label="Close"
          className="rounded px-1 text-muted hover:bg-panel-2"
        >
          ✕
        </button>
      }
    >
      <p className="text-sm">
        <Name value={label(edge.source)} max={36} /> → <Name value={label(edge.target)} max={36} />
      </p>
      <p className="tabular mt-1 font-semibold">{edgeLabel(edge)}</p>
      <h3 className="mt-2 text-xs font-semibold text-muted" data-testid="edge-window">
        Rates {overWords(graph, now)}
      </h3>
      <dl className="tabular mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5 text-sm">
        <dt className="text-muted">Traffic</dt>
        <dd>
          {formatByteRate(edge.bytesPerSec)}, {formatRate(edge.packetsPerSec)} packets
        </dd>
        <dt className="text-muted">Ports</dt>
        <dd>
          {edge.ports.length === 0 ? (
            '–'
          ) : (
            <ul data-testid="edge-ports">
              {edge.ports.map((p) => {
                const problem = portProblem(p);
                return (
                  <li key={`${p.port}/${p.proto}`} className={problem ? 'font-semibold text-danger' : ''}>
                    <Name value={portName(p)} max={16} /> {formatByteRate(p.bytesPerSec)}
                    {p.tcpConnects ? `, ${formatCount(p.tcpConnects)} connects` : ''}
                    {problem ? `: ${problem}` : ''}
                  </li>
                );
              })}
              {edge.portsMore ? <li className="text-muted">+{formatCount(edge.portsMore)} more</li> : null}
            </ul>
          )}
        </dd>
        <dt className="text-muted">Drops</dt>
        <dd className={edge.dropsPerSec > 0 ? 'font-semibold text-danger' : ''}>
          {formatRate(edge.dropsPerSec)}
          {reasons.length > 0 && ` (${reasons.map(([r, v]) => `${r} ${formatRate(v)}`).join(', ')})`}
        </dd>
        <dt className="text-muted">TCP</dt>
        <dd className={edge.tcpFailures > 0 ? 'text-warn' : ''}>
          {formatCount(edge.tcpConnects)} connects, {formatCount(edge.tcpFailures)} failed
        </dd>
        <dt className="text-muted">Connect p50/p95</dt>
        <dd>
          {formatLatency(edge.connectLatencyP50Ms)} / {formatLatency(edge.connectLatencyP95Ms)}
        </dd>
        <dt className="text-muted">RTT</dt>
        <dd>
          {formatLatency(edge.rttMs)}, {formatCount(edge.retransmits)} retransmits
        </dd>
        {edge.dnsQueries > 0 && (
          <>
            <dt className="text-muted">DNS</dt>
            <dd>
              {formatCount(edge.dnsQueries)} queries, {formatCount(edge.dnsErrors)} errors
              {dnsP95(edge) !== null && `, answers p95 ${formatLatency(dnsP95(edge))}`}
            </dd>
          </>
        )}
      </dl>
      {finding && (
        <div className="mt-2" data-testid="edge-policy">
          <h3 className="text-xs font-semibold text-muted">NetworkPolicy</h3>
          <PolicyFinding finding={finding} />
        </div>
      )}
      {edge.changes && edge.changes.length > 0 && graph.baseline && (
        <div className="mt-2 text-sm" data-testid="edge-changes">
          <h3 className="text-xs font-semibold text-muted">
            Changed against {windowWords({ mode: 'range', ...graph.baseline }, now)}
          </h3>
          <ul className="tabular">
            {edge.changes.map((c) => (
              <li key={c}>
                <span className="font-semibold text-[#db61a2]">{CHANGE_WORDS[c]}</span>:{' '}
                {changeFigures(edge, c)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <EdgeTotals state={state} totals={totals} now={now} />
      <div className="mt-3 flex flex-wrap gap-2 text-xs">
        {state.focus !== edge.id && (
          <Link
            patch={{ view: 'map', focus: edge.id }}
            className="rounded border border-line px-2 py-1 hover:bg-panel-2"
            title="Make this connection a step of the drill-down: its URL opens the map with it selected"
          >
            Focus this connection
          </Link>
        )}
        {srcFocus && srcFocus.kind !== 'node' && (
          <Link
            patch={{ view: 'flows', focus: edge.source, q: dst || label(edge.target) }}
            className="rounded border border-line px-2 py-1 hover:bg-panel-2"
          >
            Flows of this connection
          </Link>
        )}
        {src && dst ? (
          <Link
            patch={{ view: 'diagnose', src, dst }}
            className="rounded border border-line px-2 py-1 hover:bg-panel-2"
            title="Run the four debugging steps for this pair (at namespace level: which pod pairs fail, and why)"
          >
            Diagnose
          </Link>
        ) : (
          <span
            className="px-2 py-1 text-muted"
            title="Diagnose needs an end it can name: the world and the folded rest are not one"
          >
            Diagnose: pick a named end
          </span>
        )}
        {edge.dropsPerSec > 0 && (
          <Link
            patch={{ view: 'drops', focus: state.focus }}
            className="rounded border border-danger/50 px-2 py-1 text-danger hover:bg-panel-2"
          >
            Drops
          </Link>
        )}
      </div>
    </Panel>
  );
}

function EdgeTotals({
  state,
  totals,
  now,
}: {
  state: ReturnType<typeof useUrl>['state'];
  totals: ReturnType<typeof useEdgeTotals>;
  now: number;
}) {
  if (totals.isPending) return <p className="mt-2 text-xs text-muted">Totals over the range: loading…</p>;
  if (!totals.data)
    return (
      <p className="mt-2 text-xs text-muted">
        Totals over the range: not available ({totals.error?.message}).
      </p>
    );
  const { edge: t, start, end } = totals.data;
  return (
    <div className="mt-2" data-testid="edge-totals">
      <h3 className="text-xs font-semibold text-muted">{totalsWords(state, { start, end }, now)}</h3>
      {!t ? (
        <p className="text-sm text-muted">No traffic on this connection over the range.</p>
      ) : (
        <dl className="tabular mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5 text-sm">
          <dt className="text-muted">TCP</dt>
          <dd className={t.tcpFailures > 0 ? 'text-warn' : ''}>
            {formatCount(t.tcpConnects)} connects, {formatCount(t.tcpFailures)} failed
          </dd>
          {t.dnsQueries > 0 && (
            <>
              <dt className="text-muted">DNS</dt>
              <dd>
                {formatCount(t.dnsQueries)} queries, {formatCount(t.dnsErrors)} errors
              </dd>
            </>
          )}
          <dt className="text-muted">Average</dt>
          <dd>
            {formatByteRate(t.bytesPerSec)}
            {t.dropsPerSec > 0 && <span className="text-danger">, {formatRate(t.dropsPerSec)} drops</span>}
          </dd>
        </dl>
      )}
    </div>
  );
}

/** The p95 answer time of the edge's DNS port (the slowest when it has several), or null. */
function dnsP95(edge: GraphEdge): number | null {
  let worst: number | null = null;
  for (const p of edge.ports)
    if (p.dnsP95Ms !== undefined && (worst === null || p.dnsP95Ms > worst)) worst = p.dnsP95Ms;
  return worst;
}
