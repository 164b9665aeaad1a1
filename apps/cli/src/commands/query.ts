import {
  DEFAULT_RATE_WINDOW_MS,
  FILTER_PARAMS,
  type FilterIssue,
  type FilterState,
  parseFilter,
  resolveTime,
  SUBJECT_FORMS,
  serializeFilter,
} from '@weft/protocol';
import { CliError } from '../cliError.js';
import { formatAnswer, QUERY_VIEWS, type QueryView } from '../formatAnswer.js';
import { takeFlag, takeOption } from '../takeOption.js';
import { fetchJson } from './fetchJson.js';

export const DEFAULT_QUERY_SERVER = 'http://127.0.0.1:8080';

const USAGE = `Usage: weft query <${QUERY_VIEWS.join('|')}> [options]
  --server URL          the weft server (${DEFAULT_QUERY_SERVER})
  --at T                a past moment (now-10m, 2026-11-27T10:14:00Z): the rate window ending then
  --from T --to T       a range; none of at/from/to: live (the last few seconds)
  --compare X           previous, or <from>..<to>: what changed against that baseline (graph)
  --level L             node|namespace|workload|pod (graph)
  --namespace N         namespaces to keep (comma list)
  --src S --dst D       the pair to diagnose (weft diagnose --help lists the forms)
  --json                the API's answer as it came
  Any other filter parameter works the same way (--pod, --workload, --protocol, --port, --verdict,
  --reason, --focus, --q); --limit N caps flows. The same query in the web app is the same URL.
`;

function isView(v: string): v is QueryView {
  return (QUERY_VIEWS as readonly string[]).includes(v);
}

/** The server's own words for a bad parameter, so the CLI, the API and the web say the same thing. */
function describe(i: FilterIssue): string {
  return `${i.param}: ${i.reason} (got ${JSON.stringify(i.value.slice(0, 60))})`;
}

/** Options to filter entries; a flag given without its value is an error, not a silent default. */
function filterEntries(args: string[]): [string, string][] {
  const entries: [string, string][] = [];
  for (const p of FILTER_PARAMS) {
    if (p === 'view') continue;
    const i = args.indexOf(`--${p}`);
    if (i >= 0 && (args[i + 1] === undefined || args[i + 1]!.startsWith('--')))
      throw new CliError(`query: --${p} needs a value\n${USAGE}`, 2);
    const v = takeOption(args, `--${p}`);
    if (v !== undefined) entries.push([p, v]);
  }
  return entries;
}

/**
 * `weft query <view>`: one API read with the shared filter, built and checked by the same parseFilter
 * and serializeFilter as the web app's URL, so time (`at`, `from`/`to`, `compare`) means the same in all
 * three and a bad value is refused, naming it, before any request.
 */
export async function runQuery(
  argv: string[],
  out: { write(s: string): unknown } = process.stdout,
): Promise<number> {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    out.write(USAGE);
    return 0;
  }
  const view = args.shift() ?? '';
  if (!isView(view))
    throw new CliError(`query: ${view ? `unknown view "${view}"` : 'which view?'}\n${USAGE}`, 2);
  const json = takeFlag(args, '--json');
  const server = (takeOption(args, '--server') ?? DEFAULT_QUERY_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(server))
    throw new CliError(`query: --server must be an http:// or https:// URL (got "${server}")`, 2);
  const limit = view === 'flows' ? takeOption(args, '--limit') : undefined;
  if (limit !== undefined && !/^\d{1,5}$/.test(limit))
    throw new CliError(`query: --limit must be a number of rows (got "${limit}")`, 2);
  const entries = filterEntries(args);
  if (args.length > 0) throw new CliError(`query: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
  const { state, issues } = parseFilter(new URLSearchParams(entries));
  if (issues.length > 0) throw new CliError(issues.map(describe).join('\n'), 2);
  if (view === 'diagnose') {
    const missing = (['src', 'dst'] as const).filter((k) => state[k] === '');
    if (missing.length > 0)
      throw new CliError(
        `query diagnose: ${missing.map((k) => `--${k}`).join(' and ')} required (${SUBJECT_FORMS})`,
        2,
      );
  }
  const query = serializeFilter(state as FilterState);
  const params = [query, limit !== undefined ? `limit=${limit}` : ''].filter(Boolean).join('&');
  const body = await fetchJson(`${server}/api/v1/${view}${params ? `?${params}` : ''}`, server);
  if (json) {
    out.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const now = Date.now();
  const time = resolveTime(state, now, DEFAULT_RATE_WINDOW_MS);
  const endsNow = state.to === '' || state.to === 'now';
  out.write(formatAnswer(view, body, { mode: time.mode, window: time.window, endsNow }, now, server));
  return 0;
}
