import {
  type AlertsResponse,
  clockInWords,
  type DiagnoseResponse,
  type DnsResponse,
  type DropsResponse,
  durationInWords,
  endpointLabel,
  type FlowsResponse,
  formatByteRate,
  formatLatency,
  formatNumber,
  type GraphResponse,
  type TimelineResponse,
  type TimeMode,
  type TimeWindow,
  windowInWords,
} from '@weft/protocol';

/** What `weft query` can ask: the API's read routes that take the shared filter. */
export const QUERY_VIEWS = ['graph', 'diagnose', 'timeline', 'drops', 'dns', 'flows', 'alerts'] as const;
export type QueryView = (typeof QUERY_VIEWS)[number];

/** Rows printed per table; --json has them all. */
const MAX_ROWS = 40;

function table(header: string[], rows: string[][]): string[] {
  const shown = rows.slice(0, MAX_ROWS);
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...shown.map(line)];
  if (rows.length > shown.length) out.push(`... ${rows.length - shown.length} more (--json lists all)`);
  return out;
}

// Figures the one way Weft writes them (three significant figures).
const bytes = formatByteRate;
const num = formatNumber;
const ms = (v: number | null) => (v === null ? '-' : formatLatency(v));

/** The window a route answered over, in words, with its mode. */
function windowLine(mode: TimeMode, win: TimeWindow, now: number): string {
  return `${mode}, ${windowInWords(mode, win, now)}`;
}

/** What the reader asked for, as the server resolves it; `endsNow`: a range up to now (no `to`, or `to=now`). */
export interface Selection {
  mode: TimeMode;
  window: TimeWindow;
  endsNow: boolean;
}

function graph(g: GraphResponse, now: number): string[] {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  const out = [
    `graph at ${g.level} level, ${windowLine(g.mode, g, now)}: ${g.nodes.length} nodes, ${g.edges.length} edges${g.simulated ? ' (simulated lab)' : ''}`,
  ];
  if (g.baseline)
    out.push(
      `compared with ${windowInWords('range', g.baseline, now)} (${durationInWords(g.baseline.end - g.baseline.start)})`,
    );
  const edges = [...g.edges].sort(
    (a, b) => b.dropsPerSec - a.dropsPerSec || b.tcpFailures - a.tcpFailures || b.bytesPerSec - a.bytesPerSec,
  );
  out.push(
    ...table(
      ['EDGE', 'BYTES/S', 'DROPS/S', 'TCP FAILED', 'DNS ERRORS', ...(g.baseline ? ['CHANGES'] : [])],
      edges.map((e) => [
        `${label.get(e.source) ?? e.source} -> ${label.get(e.target) ?? e.target}`,
        bytes(e.bytesPerSec),
        num(e.dropsPerSec),
        `${e.tcpFailures}/${e.tcpConnects}`,
        String(e.dnsErrors),
        ...(g.baseline ? [(e.changes ?? []).join(', ') || '-'] : []),
      ]),
    ),
  );
  return out;
}

function diagnose(d: DiagnoseResponse, now: number, server: string): string[] {
  const out = [
    `${d.src} -> ${d.dst}: ${d.verdict}`,
    d.summary,
    `window: ${d.mode}, ${clockInWords(d.start, now)} - ${clockInWords(d.end, now)} UTC`,
  ];
  if (d.problems.length > 0) {
    out.push('', 'problems, worst first:');
    d.problems.forEach((p, i) => {
      out.push(`${i + 1}. ${p.kind}: ${p.summary}`);
      for (const e of p.evidence) out.push(`     ${e.label}: ${e.value}`);
    });
  }
  if (d.pairs.length > 0) {
    out.push('', 'failing pairs:');
    out.push(
      ...table(
        ['SOURCE', 'DESTINATION', 'VERDICT', 'WHY'],
        d.pairs.map((p) => [p.src, p.dst, p.verdict, p.summary]),
      ),
    );
  }
  out.push(
    '',
    ...table(
      ['STEP', 'STATUS', 'FINDING'],
      d.steps.map((s) => [s.title, s.status, s.summary]),
    ),
  );
  if (d.next.length > 0) {
    out.push('', 'next:');
    for (const n of d.next) out.push(`  ${n.label}: ${server}${n.href}`);
  }
  if (d.history.length > 0) {
    out.push('', 'history:');
    out.push(
      ...table(
        ['FROM', 'TO', 'STATE', 'FOR'],
        d.history.map((p) => [
          clockInWords(p.start, now),
          clockInWords(p.end, now),
          p.state.replace('_', ' '),
          durationInWords(p.end - p.start),
        ]),
      ),
    );
  }
  return out;
}

function timeline(t: TimelineResponse, now: number): string[] {
  const peak = (xs: number[]) => (xs.length === 0 ? 0 : Math.max(...xs));
  const total = (xs: number[]) => xs.reduce((a, x) => a + x * t.step, 0);
  const out = [
    `timeline ${windowInWords('range', t, now)}, ${t.t.length} points of ${durationInWords(t.step * 1000)}`,
    `traffic peak ${bytes(peak(t.bytesPerSec))}; drops ${num(total(t.dropsPerSec))} (peak ${num(peak(t.dropsPerSec))}/s); ` +
      `DNS errors ${num(total(t.dnsErrorsPerSec))}; TCP failures ${num(total(t.tcpFailuresPerSec))}`,
  ];
  if (t.incidents.length === 0) out.push('no incidents');
  else
    out.push(
      ...table(
        ['AT', 'INCIDENT'],
        t.incidents.map((i) => [clockInWords(i.at, now), i.label]),
      ),
    );
  return out;
}

function drops(d: DropsResponse, mode: TimeMode, now: number): string[] {
  return [
    `drops ${windowLine(mode, d, now)}: ${d.packets} packets, ${d.bytes} bytes`,
    ...table(
      ['REASON', 'PACKETS'],
      d.byReason.map((r) => [r.reason, String(r.packets)]),
    ),
    '',
    ...table(
      ['SOURCE', 'DESTINATION', 'REASON', 'DIRECTION', 'PACKETS'],
      d.topPairs.map((p) => [p.source, p.destination, p.reason, p.direction, String(p.packets)]),
    ),
  ];
}

function dns(d: DnsResponse, mode: TimeMode, now: number): string[] {
  return [
    `DNS ${windowLine(mode, d, now)}: ${d.queries} queries, ${d.errors} failed, p95 ${ms(d.p95Ms)}`,
    ...table(
      ['FAILING NAME', 'RCODE', 'COUNT'],
      d.topFailing.map((f) => [f.qname, f.rcode, String(f.count)]),
    ),
    '',
    ...table(
      ['CLIENT', 'QUERIES', 'ERRORS', 'P95'],
      d.clients.map((c) => [`${c.namespace}/${c.pod}`, String(c.queries), String(c.errors), ms(c.p95Ms)]),
    ),
  ];
}

/** Flows answers carry no window: say the selection as sent (live's length is the server's setting). */
function flows(f: FlowsResponse, mode: TimeMode, win: TimeWindow, now: number): string[] {
  const when =
    mode === 'live'
      ? 'live'
      : mode === 'at'
        ? `at ${clockInWords(win.end, now)} UTC`
        : `range, ${windowInWords(mode, win, now)}`;
  return [
    `flows (${when}): ${f.flows.length} of ${f.total}, newest first`,
    ...table(
      ['TIME', 'SOURCE', 'DESTINATION', 'PROTO', 'BYTES', 'VERDICT'],
      f.flows.map((r) => [
        clockInWords(r.ts, now),
        `${endpointLabel(r.src)}:${r.sport}`,
        `${endpointLabel(r.dst)}:${r.dport}`,
        r.proto,
        String(r.bytes),
        r.verdict === 'dropped' ? `dropped (${r.reason})` : r.verdict,
      ]),
    ),
  ];
}

function alerts(a: AlertsResponse, now: number): string[] {
  const last = (h: AlertsResponse['rules'][number]['history'], state: string) => {
    const e = h.findLast((x) => x.state === state);
    return e ? clockInWords(e.at, now) : '-';
  };
  return table(
    ['RULE', 'STATE', 'VALUE', 'THRESHOLD', 'LAST FIRED', 'LAST RESOLVED'],
    a.rules.map((r) => [
      r.name,
      r.state,
      r.value === null ? '-' : num(r.value),
      num(r.threshold),
      last(r.history, 'firing'),
      last(r.history, 'resolved'),
    ]),
  );
}

/**
 * A short human answer for each route. The selection is what the CLI sent, resolved as the server
 * resolves it, for the routes whose answer does not carry its mode. Times are UTC.
 */
/** `server` makes the next-step links whole URLs (the dashboard is served by the same server). */
export function formatAnswer(
  view: QueryView,
  body: unknown,
  selection: Selection,
  clock: number,
  server = '',
): string {
  const { mode, window } = selection;
  // A range asked up to now is "the last ...", whatever the skew between this machine's clock and the server's.
  const now = selection.endsNow && mode === 'range' ? ((body as { end?: number }).end ?? clock) : clock;
  const lines = (() => {
    switch (view) {
      case 'graph':
        return graph(body as GraphResponse, now);
      case 'diagnose':
        return diagnose(body as DiagnoseResponse, now, server);
      case 'timeline':
        return timeline(body as TimelineResponse, now);
      case 'drops':
        return drops(body as DropsResponse, mode, now);
      case 'dns':
        return dns(body as DnsResponse, mode, now);
      case 'flows':
        return flows(body as FlowsResponse, mode, window, now);
      case 'alerts':
        return alerts(body as AlertsResponse, now);
    }
  })();
  return `${lines.join('\n')}\n`;
}
