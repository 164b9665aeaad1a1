import { type Endpoint, endpointLabel, nodeIdOf, type WhatIfResponse } from '@weft/protocol';
import { formatBytes, formatCount } from '../../domain/format.js';
import { Link } from '../Link/Link.js';
import { Name } from '../Name/Name.js';
import { PolicyFinding } from '../PolicyFinding/PolicyFinding.js';
import { useWindowWords } from '../WindowWords/useWindowWords.js';

/** A map node id of a connection end at pod level, for the edge focus that shows the connection on the map. */
const nodeId = (e: Endpoint) => nodeIdOf(e, 'pod');

/** The what-if answer: a sentence of totals, the notes, and the connections it would deny (each a link to the map). */
export function WhatIfTable({ answer }: { answer: WhatIfResponse }) {
  const over = useWindowWords(answer);
  const names = answer.policies.map((p) => `${p.namespace}/${p.name}`).join(', ');
  return (
    <div className="mt-3" data-testid="whatif-result">
      <p className="text-sm" data-testid="whatif-summary">
        {answer.denied === 0
          ? `${names} would deny none of the ${formatCount(answer.evaluated)} connections seen ${over.window} that the current policies allow.`
          : `${names} would deny ${formatCount(answer.denied)} of the ${formatCount(answer.evaluated)} connections seen ${over.window} that the current policies allow.`}
      </p>
      {answer.notes.map((n) => (
        <p key={n} className="text-xs text-muted">
          {n}
        </p>
      ))}
      {answer.denied > answer.flows.length && (
        <p className="text-xs text-muted">
          The {formatCount(answer.flows.length)} with the most packets are listed.
        </p>
      )}
      {answer.flows.length > 0 && (
        <table className="tabular mt-2 w-full table-fixed text-left text-sm" data-testid="whatif-flows">
          <thead className="text-xs text-muted">
            <tr>
              <th className="w-[24%] px-1">Client</th>
              <th className="w-[24%] px-1">Server</th>
              <th className="px-1">Port</th>
              <th className="px-1 text-right">Packets</th>
              <th className="px-1 text-right">Bytes</th>
              <th className="px-1 text-right">Connects</th>
              <th className="w-[22%] px-1">Would be denied by</th>
            </tr>
          </thead>
          <tbody>
            {answer.flows.map((f) => (
              <tr
                key={`${endpointLabel(f.client)}|${endpointLabel(f.server)}|${f.proto}|${f.port}`}
                className="border-t border-line"
              >
                <td className="px-1">
                  <Name value={endpointLabel(f.client)} />
                </td>
                <td className="px-1">
                  <Name value={endpointLabel(f.server)} />
                </td>
                <td className="px-1">
                  <Link
                    patch={{ view: 'map', level: 'pod', focus: `${nodeId(f.client)}->${nodeId(f.server)}` }}
                    className="text-accent hover:underline"
                    title="Show this connection on the map"
                  >
                    {f.proto.toUpperCase()} {f.port}
                  </Link>
                </td>
                <td className="px-1 text-right">{formatCount(f.packets)}</td>
                <td className="px-1 text-right">{formatBytes(f.bytes)}</td>
                <td className="px-1 text-right">{formatCount(f.connections)}</td>
                <td className="px-1">
                  <PolicyFinding finding={f.finding} compact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
