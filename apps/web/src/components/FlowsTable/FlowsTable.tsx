import { useVirtualizer } from '@tanstack/react-virtual';
import { endpointLabel, type FlowRow } from '@weft/protocol';
import { useMemo, useRef, useState } from 'react';
import { replyRows } from '../../domain/flowReply.js';
import { type FlowColumn, type FlowSort, filterFlows, sortFlows } from '../../domain/flowTable.js';
import { formatBytes, formatCount, formatTime } from '../../domain/format.js';
import { Name } from '../Name/Name.js';
import { FlowExportButtons } from './FlowExportButtons.js';

const COLUMNS: { id: FlowColumn; label: string; width: string; numeric?: boolean }[] = [
  { id: 'ts', label: 'Time', width: '5.5rem' },
  { id: 'src', label: 'Source', width: 'minmax(10rem,2fr)' },
  { id: 'dst', label: 'Destination', width: 'minmax(10rem,2fr)' },
  { id: 'dport', label: 'Port', width: '7rem', numeric: true },
  { id: 'proto', label: 'Proto', width: '4rem' },
  { id: 'dir', label: 'Dir', width: '4.5rem' },
  { id: 'verdict', label: 'Verdict', width: '9rem' },
  { id: 'bytes', label: 'Bytes', width: '5.5rem', numeric: true },
  { id: 'packets', label: 'Pkts', width: '4.5rem', numeric: true },
  { id: 'node', label: 'Node', width: 'minmax(5rem,1fr)' },
];
const COMPACT = new Set<FlowColumn>(['ts', 'src', 'dst', 'dport', 'verdict', 'bytes']);
const ROW_HEIGHT = 28;

function Cell({ column, row: r, reply }: { column: FlowColumn; row: FlowRow; reply: boolean }) {
  switch (column) {
    case 'ts':
      return <td className="px-2 text-muted">{formatTime(r.ts)}</td>;
    case 'src':
    case 'dst':
      return (
        <td className="min-w-0 px-2">
          <Name value={endpointLabel(r[column])} />
        </td>
      );
    case 'dport':
      // A reply leaves the service's port: show that one, marked, so both directions of a
      // conversation read as the same service.
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
    case 'verdict':
      return (
        <td className={`min-w-0 px-2 ${r.verdict === 'dropped' ? 'font-semibold text-danger' : ''}`}>
          {r.policy?.policy ? (
            // The policy that denies the connection, its explanation in the tooltip.
            <span
              className="inline-block max-w-full truncate align-bottom"
              title={r.policy.explanation}
              data-testid="flow-policy"
            >
              denied: {r.policy.policy.name}
            </span>
          ) : (
            <Name value={r.verdict === 'dropped' ? `dropped: ${r.reason}` : r.verdict} max={24} />
          )}
        </td>
      );
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
 * Flow records, virtualised so thousands of rows scroll smoothly: only the rows in view exist in
 * the DOM. Sort by any column, narrow with free text, export exactly the rows that remain.
 */
export function FlowsTable({
  rows,
  height = 520,
  initialText = '',
  compact = false,
}: {
  rows: readonly FlowRow[];
  height?: number;
  initialText?: string;
  /** Fewer columns, for side panels. */
  compact?: boolean;
}) {
  const [sort, setSort] = useState<FlowSort>({ column: 'ts', desc: true });
  const [text, setText] = useState(initialText);
  const replies = useMemo(() => replyRows(rows), [rows]);
  const visible = useMemo(
    () => sortFlows(filterFlows(rows, text, replies), sort),
    [rows, text, sort, replies],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = compact ? COLUMNS.filter((c) => COMPACT.has(c.id)) : COLUMNS;
  const grid = columns.map((c) => c.width).join(' ');
  const virt = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height },
  });

  const toggleSort = (column: FlowColumn) =>
    setSort((s) =>
      s.column === column
        ? { column, desc: !s.desc }
        : { column, desc: column !== 'src' && column !== 'dst' },
    );

  return (
    <div className="flex min-w-0 flex-col gap-2" data-testid="flows-table">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Filter: pod, IP, port, reason…"
          aria-label="Filter flows"
          className="w-72 rounded border border-line bg-panel-2 px-2 py-1 text-sm"
        />
        <span className="tabular text-xs text-muted" data-testid="flows-count">
          {formatCount(visible.length)} of {formatCount(rows.length)} flows
        </span>
        <span className="flex-1" />
        <FlowExportButtons rows={visible} />
      </div>
      <div
        ref={scrollRef}
        className="min-w-0 overflow-auto rounded-lg border border-line bg-panel text-sm"
        style={{ height: height + 32 }}
      >
        <table
          className={`block w-full ${compact ? '' : 'min-w-[60rem]'}`}
          aria-rowcount={visible.length + 1}
        >
          <thead className="sticky top-0 z-10 block bg-panel-2 text-xs">
            <tr className="grid border-b border-line" style={{ gridTemplateColumns: grid }}>
              {columns.map((c) => (
                <th
                  key={c.id}
                  aria-sort={sort.column === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    onClick={() => toggleSort(c.id)}
                    className={`w-full px-2 py-1.5 font-semibold hover:text-accent ${c.numeric ? 'text-right' : 'text-left'}`}
                  >
                    {c.label}
                    {sort.column === c.id ? (sort.desc ? ' ↓' : ' ↑') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="relative block" style={{ height: Math.max(virt.getTotalSize(), 40) }}>
            {visible.length === 0 ? (
              <tr className="block">
                <td className="block p-4 text-center text-muted">
                  {rows.length === 0 ? 'No flows in this window.' : 'No flow matches the filter text.'}
                </td>
              </tr>
            ) : (
              virt.getVirtualItems().map((item) => {
                const r = visible[item.index]!;
                return (
                  <tr
                    key={item.key}
                    data-testid="flow-row"
                    aria-rowindex={item.index + 2}
                    className={`tabular absolute inset-x-0 grid items-center border-b border-line/50 ${r.verdict === 'dropped' ? 'bg-danger/10' : ''}`}
                    style={{
                      gridTemplateColumns: grid,
                      height: ROW_HEIGHT,
                      transform: `translateY(${item.start}px)`,
                    }}
                  >
                    {columns.map((c) => (
                      <Cell key={c.id} column={c.id} row={r} reply={replies.has(r)} />
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
