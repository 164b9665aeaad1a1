import {
  DEFAULT_RATE_WINDOW_MS,
  DIAGNOSE_SUBJECT_EXAMPLES,
  type FilterIssue,
  isSubject,
  parseFilter,
  resolveTime,
  SUBJECT_FORMS,
} from '@weft/protocol';
import { CliError } from '../cliError.js';
import { formatAnswer } from '../formatAnswer.js';
import { takeFlag, takeOption } from '../takeOption.js';
import { fetchJson } from './fetchJson.js';
import { DEFAULT_QUERY_SERVER } from './query.js';

const USAGE = `Usage: weft diagnose SRC DST [--since 5m | --at T | --from T [--to T]] [--json] [--server URL]
  Why can't SRC reach DST: policy and kernel drops, DNS, TCP attempts, latency, each with its rule;
  the verdict is the worst problem found, every problem listed worst first, with links to open next.
  SRC and DST: ${SUBJECT_FORMS}.
    e.g. ${DIAGNOSE_SUBJECT_EXAMPLES.join(', ')}
  --since D      the last D (5m, 1h): the same as --from now-D
  --at T         a past moment (now-10m, 2026-11-27T10:14:00Z): the rate window ending then
  --from/--to T  a range; none of them: live (the last few seconds)
  --json         the API's answer as it came (the same JSON as /api/v1/diagnose)
  --server URL   the weft server (${DEFAULT_QUERY_SERVER})
`;

const describe = (i: FilterIssue) => `${i.param}: ${i.reason} (got ${JSON.stringify(i.value.slice(0, 60))})`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0 && (args[i + 1] === undefined || args[i + 1]!.startsWith('--')))
    throw new CliError(`diagnose: ${name} needs a value\n${USAGE}`, 2);
  return takeOption(args, name);
}

/**
 * `weft diagnose SRC DST`: the diagnose API's answer as text (or as it came, --json), for the same
 * time selection as the web and the API; bad input is refused, naming it, before any request.
 */
export async function runDiagnose(
  argv: string[],
  out: { write(s: string): unknown } = process.stdout,
): Promise<number> {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    out.write(USAGE);
    return 0;
  }
  const json = takeFlag(args, '--json');
  const server = (option(args, '--server') ?? DEFAULT_QUERY_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(server))
    throw new CliError(`diagnose: --server must be an http:// or https:// URL (got "${server}")`, 2);
  const since = option(args, '--since');
  const entries: [string, string][] = [];
  for (const p of ['at', 'from', 'to'] as const) {
    const v = option(args, `--${p}`);
    if (v !== undefined) entries.push([p, v]);
  }
  if (since !== undefined) {
    if (!/^\d{1,6}[smhd]$/.test(since))
      throw new CliError(`diagnose: --since must be a duration like 5m, 1h (got "${since}")`, 2);
    if (entries.length > 0)
      throw new CliError('diagnose: --since is --from now-D; give one of --since, --at, --from', 2);
    entries.push(['from', `now-${since}`]);
  }
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new CliError(`diagnose: unknown option ${unknown}\n${USAGE}`, 2);
  if (args.length !== 2)
    throw new CliError(
      `diagnose: give a source and a destination (got ${args.length} subjects)\n${USAGE}`,
      2,
    );
  const [src, dst] = args as [string, string];
  for (const [name, v] of [
    ['SRC', src],
    ['DST', dst],
  ] as const)
    if (!isSubject(v.trim().toLowerCase()))
      throw new CliError(`diagnose: ${name} "${v}" must be ${SUBJECT_FORMS}`, 2);
  const { state, issues } = parseFilter(new URLSearchParams([...entries, ['src', src], ['dst', dst]]));
  if (issues.length > 0) throw new CliError(issues.map(describe).join('\n'), 2);
  const params = new URLSearchParams([['src', src.trim()], ['dst', dst.trim()], ...entries]);
  const body = await fetchJson(`${server}/api/v1/diagnose?${params}`, server);
  if (json) {
    out.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const now = Date.now();
  const time = resolveTime(state, now, DEFAULT_RATE_WINDOW_MS);
  const endsNow = state.to === '' || state.to === 'now';
  out.write(formatAnswer('diagnose', body, { mode: time.mode, window: time.window, endsNow }, now, server));
  return 0;
}
