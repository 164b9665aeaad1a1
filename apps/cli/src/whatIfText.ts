import {
  endpointLabel,
  formatBytes,
  formatNumber,
  type TimeMode,
  type WhatIfResponse,
  windowInWords,
} from '@weft/protocol';

/** Rows printed; --json has them all. */
const MAX_ROWS = 50;

/** `weft policy whatif`'s answer as text: a line of totals, the would-be-denied table, the notes. */
export function whatIfText(r: WhatIfResponse, mode: TimeMode, now: number): string {
  const names = r.policies.map((p) => `${p.namespace}/${p.name}`).join(', ');
  const window = windowInWords(mode, { start: r.start, end: r.end }, now);
  const head =
    r.denied === 0
      ? `${names} would deny none of the ${r.evaluated} connections seen ${window} that the current policies allow`
      : `${names} would deny ${r.denied} of the ${r.evaluated} connections seen ${window} that the current policies allow`;
  const rows = r.flows.map((f) => [
    endpointLabel(f.client),
    endpointLabel(f.server),
    `${f.proto.toUpperCase()} ${f.port}`,
    formatNumber(f.packets),
    formatBytes(f.bytes),
    formatNumber(f.connections),
    f.finding.policy ? `${f.finding.policy.namespace}/${f.finding.policy.name} (${f.finding.direction})` : '',
  ]);
  const header = ['CLIENT', 'SERVER', 'PORT', 'PACKETS', 'BYTES', 'CONNECTS', 'DENIED BY'];
  const shown = rows.slice(0, MAX_ROWS);
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map((x) => x[i]!.length)));
  const line = (x: string[]) =>
    x
      .map((c, i) => (i === x.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [head];
  if (rows.length > 0) out.push('', line(header), ...shown.map(line));
  if (r.denied > shown.length)
    out.push(
      `... ${r.denied - shown.length} more (${r.denied > rows.length ? `--json lists the first ${rows.length}` : '--json lists all'})`,
    );
  // One rule per denying policy: the rows name it, this says what it allows.
  const rules = new Map<string, string>();
  for (const f of r.flows) if (f.finding.rule) rules.set(f.finding.rule, f.finding.rule);
  if (rules.size > 0) out.push('', ...[...rules.values()].map((x) => `  ${x}`));
  for (const n of r.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}
