import { useVirtualizer } from '@tanstack/react-virtual';
import { endpointLabel, type FlowRow, type FlowSort } from '@weft/protocol';
import { useEffect, useMemo, useRef } from 'react';
import { replyRows } from '../../domain/flowReply.js';
import { formatBytes, formatCount, formatTime } from '../../domain/format.js';
import { Name } from '../Name/Name.js';
import { seenText, verdictText } from './verdictText.js';

type Column = 'ts' | 'src' | 'dst' | 'dport' | 'proto' | 'dir' | 'verdict' | 'bytes' | 'packets' | 'node';

/** Columns; those with `sort` are ordered by the server (over every match, not just the rows loaded). */
const COLUMNS: { id: Column; label: string; width: string; numeric?: boolean; sort?: FlowSort }[] = [
  { id: 'ts', label: 'Time', width: '5.5rem', sort: 'time' },
  { id: 'src', label: 'Source', width: 'minmax(10rem,2fr)' },
  { id: 'dst', label: 'Destination', width: 'minmax(10rem,2fr)' },
  { id: 'dport', label: 'Port', width: '7rem', numeric: true },
  { id: 'proto', label: 'Proto', width: '4rem' },
  { id: 'dir', label: 'Dir', width: '4.5rem' },
  { id: 'verdict', label: 'Verdict', width: 'minmax(12rem,1.5fr)' },
  { id: 'bytes', label: 'Bytes', width: '5.5rem', numeric: true, sort: 'bytes' },
  { id: 'packets', label: 'Pkts', width: '4.5rem', numeric: true, sort: 'packets' },
  { id: 'node', label: 'Node', width: 'minmax(5rem,1fr)' },
];
const GRID = COLUMNS.map((c) => c.width).join(' ');
const ROW_HEIGHT = 28;

function Cell({ column, row: r, reply }: { column: Column; row: FlowRow; reply: boolean }) {
  switch (column) {
    case 'ts':
      return <td className="px-2 text-muted">{formatTime(r.ts)}</td>;
    case 'src':
      return (
        <td className="min-w-0 px-2">
          <Name value={endpointLabel(r.src)} />
        </td>
      );
    case 'dst':
      // Beside the destination, the DNS name its source resolved it by (a DNS flow: its query).
      return (
        <td className="min-w-0 px-2">
          <Name value={endpointLabel(r.dst)} />
          {r.dns && (
            <span className="ml-1 text-xs text-muted" data-testid="flow-dns">
              <Name
                value={
                  r.dns.qtype === undefined ? r.dns.name : `${r.dns.qtype} ${r.dns.name} ${r.dns.rcode ?? ''}`
                }
                max={40}
              />
            </span>
          )}
        </td>
      );
    case 'dport':
      // A reply leaves the service's port: that one is shown, marked, so both directions read as one service.
      return reply ? (
        <td
          className="px-2 text-right"
          title={`Reply from port ${r.sport} to ${r.dport}`}
          data-testid="flow-reply"
        >
          <span className="mr-1 rounded bg-panel-2 px-1 text-xs text-muted">reply</span>
          {r.sport}
        </td>
      ) : (
        <td className="px-2 text-right">{r.dport || ''}</td>
      );
    case 'proto':
      return <td className="px-2 uppercase">{r.proto}</td>;
    case 'verdict': {
      // The whole verdict, in a column wide enough for it; the policy's explanation in the tooltip.
      const text = verdictText(r);
      const tip = [r.policy ? `${text}: ${r.policy.explanation}` : text, ...seenText(r)].join('\n');
      return (
        <td
          className={`min-w-0 truncate px-2 ${r.verdict === 'dropped' ? 'font-semibold text-danger' : ''}`}
          title={tip}
          data-testid="flow-verdict"
        >
          {text}
          {r.seen && (
            <span className="ml-1 text-xs font-normal text-muted" data-testid="flow-seen">
              · {r.seen.length} points
            </span>
          )}
        </td>
      );
    }
    case 'bytes':
      return <td className="px-2 text-right">{formatBytes(r.bytes)}</td>;
    case 'packets':
      return <td className="px-2 text-right">{formatCount(r.packets)}</td>;
    case 'node':
      return (
        <td className="min-w-0 px-2 text-muted">
          <Name value={r.node} max={24} />
        </td>
      );
    default:
      return <td className="min-w-0 truncate px-2">{String(r[column])}</td>;
  }
}

/**
 * The flow search's rows, virtualised (only the rows in view exist in the DOM), in the server's order.
 * Scrolling near the end asks for the next page; a click selects a row.
 */
export function FlowSearchTable({
  rows,
  sort,
  onSort,
  selected,
  onSelect,
  hasMore,
  onMore,
  height = 560,
}: {
  rows: readonly FlowRow[];
  sort: FlowSort;
  onSort: (sort: FlowSort) => void;
  selected: number | null;
  onSelect: (seq: number | null) => void;
  hasMore: boolean;
  onMore: () => void;
  height?: number;
}) {
  const replies = useMemo(() => replyRows(rows), [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height },
  });
  const items = virt.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (hasMore && lastShown >= rows.length - 20) onMore();
  }, [hasMore, lastShown, rows.length, onMore]);

  return (
    <div
      ref={scrollRef}
      className="min-w-0 overflow-auto rounded-lg border border-line bg-panel text-sm"
      style={{ height: height + 32 }}
      data-testid="flows-table"
    >
      <table className="block w-full min-w-[64rem]" aria-rowcount={rows.length + 1}>
        <thead className="sticky top-0 z-10 block bg-panel-2 text-xs">
          <tr className="grid border-b border-line" style={{ gridTemplateColumns: GRID }}>
            {COLUMNS.map((c) => (
              <th
                key={c.id}
                aria-sort={c.sort === sort ? 'descending' : c.sort ? 'none' : undefined}
                className={`px-2 py-1.5 font-semibold ${c.numeric ? 'text-right' : 'text-left'}`}
              >
                {c.sort ? (
                  <button
                    type="button"
                    onClick={() => onSort(c.sort!)}
                    className={`w-full hover:text-accent ${c.numeric ? 'text-right' : 'text-left'}`}
                    title={`Order every match by ${c.sort}, largest or newest first`}
                  >
                    {c.label}
                    {c.sort === sort ? ' ↓' : ''}
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="relative block" style={{ height: Math.max(virt.getTotalSize(), 40) }}>
          {rows.length === 0 ? (
            <tr className="block">
              <td className="block p-4 text-center text-muted">No flow matches in this window.</td>
            </tr>
          ) : (
            items.map((item) => {
              const r = rows[item.index]!;
              const isSelected = r.seq !== undefined && r.seq === selected;
              return (
                <tr
                  key={r.seq ?? item.key}
                  data-testid="flow-row"
                  aria-rowindex={item.index + 2}
                  aria-selected={isSelected}
                  onClick={() => onSelect(isSelected ? null : (r.seq ?? null))}
                  className={`tabular absolute inset-x-0 grid cursor-pointer items-center border-b border-line/50 hover:bg-panel-2 ${isSelected ? 'outline outline-1 outline-accent' : ''} ${r.verdict === 'dropped' ? 'bg-danger/10' : ''}`}
                  style={{
                    gridTemplateColumns: GRID,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {COLUMNS.map((c) => (
                    <Cell key={c.id} column={c.id} row={r} reply={replies.has(r)} />
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
