import type { EdgeChangeKind, GraphEdge, GraphResponse } from '@weft/protocol';
import { formatByteRate, formatCount, formatRate } from './format.js';

/**
 * What `compare` marks on an edge, reduced to what the map draws: whether the edge is new or vanished
 * (its presence changed) and whether a problem rose (drops, TCP failures or DNS errors). Both can hold
 * at once (a new edge that drops), so they are two fields, not one.
 */
export type EdgePresence = 'new' | 'vanished' | null;

export interface EdgeMark {
  presence: EdgePresence;
  /** Drops, failures or DNS errors appeared or rose past the server's threshold. */
  rose: boolean;
}

const NO_MARK: EdgeMark = { presence: null, rose: false };

export function edgeMark(changes: readonly EdgeChangeKind[] | undefined): EdgeMark {
  if (!changes || changes.length === 0) return NO_MARK;
  let presence: EdgePresence = null;
  let rose = false;
  for (const c of changes) {
    if (c === 'vanished') presence = 'vanished';
    else if (c === 'new') presence ??= 'new';
    else rose = true;
  }
  return { presence, rose };
}

/** The mark as classes for the map elements (cytoscape selectors, and the canvas scene reads them). */
export function markClasses(m: EdgeMark): string {
  let c = '';
  if (m.presence === 'new') c += ' c-new';
  else if (m.presence === 'vanished') c += ' c-vanished';
  if (m.rose) c += ' c-rose';
  return c;
}

/** Problems first, then appearances, then disappearances: what an operator acts on comes first. */
const KIND_ORDER: Record<EdgeChangeKind, number> = {
  drops_rose: 0,
  failures_rose: 1,
  dns_errors_rose: 2,
  new: 3,
  vanished: 4,
};

export const CHANGE_WORDS: Record<EdgeChangeKind, string> = {
  drops_rose: 'drops rose',
  failures_rose: 'TCP failures rose',
  dns_errors_rose: 'DNS errors rose',
  new: 'new connection',
  vanished: 'vanished',
};

export interface ChangeRow {
  edge: GraphEdge;
  /** The edge's most important change (the row's headline), then the others. */
  kinds: EdgeChangeKind[];
  /** "4.5/s now, none before" for the headline change. */
  figures: string;
}

/** How much the headline change moved, to order rows of one kind: biggest first. */
function magnitude(e: GraphEdge, kind: EdgeChangeKind): number {
  const b = e.baseline;
  switch (kind) {
    case 'drops_rose':
      return e.dropsPerSec - (b?.dropsPerSec ?? 0);
    case 'failures_rose':
      return e.tcpFailures - (b?.tcpFailures ?? 0);
    case 'dns_errors_rose':
      return e.dnsErrors - (b?.dnsErrors ?? 0);
    case 'new':
      return e.bytesPerSec;
    case 'vanished':
      return b?.bytesPerSec ?? 0;
  }
}

/** Now against the baseline, in the edge's own units, for one change. */
export function changeFigures(e: GraphEdge, kind: EdgeChangeKind): string {
  const b = e.baseline;
  const pair = (now: string, before: string | null) => `${now} now, ${before ?? 'none'} before`;
  switch (kind) {
    case 'drops_rose':
      return pair(
        `${formatRate(e.dropsPerSec)} drops`,
        b && b.dropsPerSec > 0 ? `${formatRate(b.dropsPerSec)}` : null,
      );
    case 'failures_rose':
      return pair(
        `${formatCount(e.tcpFailures)} failed`,
        b && b.tcpFailures > 0 ? formatCount(b.tcpFailures) : null,
      );
    case 'dns_errors_rose':
      return pair(
        `${formatCount(e.dnsErrors)} DNS errors`,
        b && b.dnsErrors > 0 ? formatCount(b.dnsErrors) : null,
      );
    case 'new':
      return `${formatByteRate(e.bytesPerSec)} now, no traffic before`;
    case 'vanished':
      return `no traffic now, ${formatByteRate(b?.bytesPerSec ?? 0)} before`;
  }
}

/** Every changed edge as a row, ordered by its headline change's kind, then by how much it moved. */
export function changeRows(graph: Pick<GraphResponse, 'edges'>): ChangeRow[] {
  const rows: (ChangeRow & { rank: number; size: number })[] = [];
  for (const edge of graph.edges) {
    if (!edge.changes || edge.changes.length === 0) continue;
    const kinds = [...edge.changes].sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b]);
    const head = kinds[0]!;
    rows.push({
      edge,
      kinds,
      figures: changeFigures(edge, head),
      rank: KIND_ORDER[head],
      size: magnitude(edge, head),
    });
  }
  rows.sort((a, b) => a.rank - b.rank || b.size - a.size || (a.edge.id < b.edge.id ? -1 : 1));
  return rows.map(({ edge, kinds, figures }) => ({ edge, kinds, figures }));
}
