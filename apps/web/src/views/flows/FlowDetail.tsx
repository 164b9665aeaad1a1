import { type Endpoint, endpointLabel, type FlowRow, TCP_FLAG_NAMES, tcpState } from '@weft/protocol';
import { seenText, verdictText } from '../../components/FlowSearchTable/verdictText.js';
import { formatBytes, formatCount } from '../../domain/format.js';

function end(e: Endpoint, port: number): string {
  const who = [
    e.kind,
    e.workload && `workload ${e.workload}`,
    e.service && `service ${e.service}`,
    e.node && `node ${e.node}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${endpointLabel(e)} (${e.ip}${port ? `:${port}` : ''}; ${who})`;
}

/** The selected row in full: every field, the verdict and the policy's explanation unabridged. */
export function FlowDetail({ row, onClose }: { row: FlowRow; onClose: () => void }) {
  const flags = TCP_FLAG_NAMES.filter((_n, i) => (row.tcpFlags & (1 << i)) !== 0)
    .map((n) => n.toUpperCase())
    .join(', ');
  const fields: [string, string][] = [
    ['Time', new Date(row.ts).toISOString()],
    ['Source', end(row.src, row.sport)],
    ['Destination', end(row.dst, row.dport)],
    [
      'Protocol',
      `${row.proto.toUpperCase()}${row.proto === 'tcp' && flags ? ` (flags ${flags}: ${tcpState(row.tcpFlags)})` : ''}`,
    ],
    ['Verdict', verdictText(row)],
    ...(row.policy ? [['Policy', row.policy.explanation] as [string, string]] : []),
    ['Traffic', `${formatBytes(row.bytes)} in ${formatCount(row.packets)} packets`],
    ...(row.seen
      ? seenText(row).map((t, i) => [i === 0 ? 'Seen' : '', t] as [string, string])
      : [['Seen', `${row.dir} on ${row.node}`] as [string, string]]),
  ];
  return (
    <section
      className="rounded-lg border border-line bg-panel p-3 text-sm"
      data-testid="flow-detail"
      aria-label="Selected flow"
    >
      <div className="mb-2 flex items-center">
        <h2 className="font-semibold">Flow #{row.seq}</h2>
        <span className="flex-1" />
        <button type="button" onClick={onClose} className="rounded border border-line px-2 py-0.5 text-xs">
          Close
        </button>
      </div>
      <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1">
        {fields.map(([k, v]) => (
          <div key={`${k}:${v}`} className="contents">
            <dt className="text-muted">{k}</dt>
            <dd
              className={`break-words ${k === 'Verdict' && row.verdict === 'dropped' ? 'font-semibold text-danger' : ''}`}
            >
              {v}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
