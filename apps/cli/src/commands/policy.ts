import { readFile } from 'node:fs/promises';
import { type FilterIssue, parseFilter, type TimeMode, type WhatIfResponse } from '@weft/protocol';
import { CliError } from '../cliError.js';
import { takeFlag, takeOption } from '../takeOption.js';
import { whatIfText } from '../whatIfText.js';
import { fetchJson } from './fetchJson.js';
import { DEFAULT_QUERY_SERVER } from './query.js';

const USAGE = `Usage: weft policy <whatif|generate> [options]
  whatif -f FILE [--since 15m | --at T | --from T [--to T]] [--json] [--server URL]
      The observed connections of the window the NetworkPolicies of FILE (YAML, - for stdin) would
      deny that today's policies allow, with the policy and rule that would deny each.
  generate --namespace NS [--workload W] [--since 15m | --at T | --from T [--to T]] [--json] [--server URL]
      Least-privilege NetworkPolicies for NS (or one workload of it) from the traffic observed in the
      window, as YAML for kubectl apply (or weft lab apply -f -).
  --since D      the last D (15m, 1h): the same as --from now-D (default for both: --since 15m)
  --at T         a past moment (now-10m, 2026-11-27T10:14:00Z): the rate window ending then
  --from/--to T  a range
  --json         the API's answer as it came
  --server URL   the weft server (${DEFAULT_QUERY_SERVER})
`;

const describe = (i: FilterIssue) => `${i.param}: ${i.reason} (got ${JSON.stringify(i.value.slice(0, 60))})`;

function option(args: string[], name: string, sub: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0 && (args[i + 1] === undefined || (args[i + 1]!.startsWith('--') && args[i + 1] !== '-')))
    throw new CliError(`policy ${sub}: ${name} needs a value\n${USAGE}`, 2);
  return takeOption(args, name);
}

/** The time options as the API's from/to/at, checked by the shared parser; --since 15m by default. */
function timeParams(args: string[], sub: string): { entries: [string, string][]; mode: TimeMode } {
  const since = option(args, '--since', sub);
  const entries: [string, string][] = [];
  for (const p of ['at', 'from', 'to'] as const) {
    const v = option(args, `--${p}`, sub);
    if (v !== undefined) entries.push([p, v]);
  }
  if (since !== undefined) {
    if (!/^\d{1,6}[smhd]$/.test(since))
      throw new CliError(`policy ${sub}: --since must be a duration like 15m, 1h (got "${since}")`, 2);
    if (entries.length > 0)
      throw new CliError(`policy ${sub}: --since is --from now-D; give one of --since, --at, --from`, 2);
  }
  // A --since window (the default) ends now: said "over the last ...", as the live view says it.
  const mode: TimeMode = entries.length === 0 ? 'live' : entries.some(([k]) => k === 'at') ? 'at' : 'range';
  if (entries.length === 0) entries.push(['from', `now-${since ?? '15m'}`]);
  const { issues } = parseFilter(new URLSearchParams(entries));
  if (issues.length > 0) throw new CliError(issues.map(describe).join('\n'), 2);
  return { entries, mode };
}

async function readYaml(file: string): Promise<string> {
  try {
    if (file !== '-') return await readFile(file, 'utf8');
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    throw new CliError(`policy whatif: cannot read ${file}: ${(err as Error).message}`, 2);
  }
}

/** `weft policy whatif|generate`: what a NetworkPolicy would break, and the policies the traffic needs. */
export async function runPolicy(
  argv: string[],
  out: { write(s: string): unknown } = process.stdout,
): Promise<number> {
  const [sub, ...rest] = argv;
  const args = [...rest];
  if (!sub || sub === '--help' || sub === '-h' || args.includes('--help') || args.includes('-h')) {
    out.write(USAGE);
    return 0;
  }
  if (sub !== 'whatif' && sub !== 'generate')
    throw new CliError(`policy: unknown subcommand "${sub}"\n${USAGE}`, 2);
  const json = takeFlag(args, '--json');
  const server = (option(args, '--server', sub) ?? DEFAULT_QUERY_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(server))
    throw new CliError(`policy ${sub}: --server must be an http:// or https:// URL (got "${server}")`, 2);
  const { entries, mode } = timeParams(args, sub);
  if (sub === 'whatif') {
    const file = option(args, '-f', sub) ?? option(args, '--filename', sub);
    if (!file) throw new CliError(`policy whatif: -f FILE is required\n${USAGE}`, 2);
    if (args.length > 0) throw new CliError(`policy whatif: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
    const yaml = await readYaml(file);
    const body = await fetchJson(`${server}/api/v1/policy/whatif?${new URLSearchParams(entries)}`, server, {
      yaml,
    });
    out.write(
      json ? `${JSON.stringify(body, null, 2)}\n` : whatIfText(body as WhatIfResponse, mode, Date.now()),
    );
    return 0;
  }
  const namespace = option(args, '--namespace', sub) ?? option(args, '-n', sub);
  const workload = option(args, '--workload', sub);
  if (!namespace) throw new CliError(`policy generate: --namespace NS is required\n${USAGE}`, 2);
  if (args.length > 0) throw new CliError(`policy generate: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
  const params = new URLSearchParams([
    ['namespace', namespace],
    ...(workload ? [['workload', workload] as [string, string]] : []),
    ...entries,
  ]);
  const body = (await fetchJson(`${server}/api/v1/policy/generate?${params}`, server)) as { yaml: string };
  out.write(json ? `${JSON.stringify(body, null, 2)}\n` : body.yaml);
  return 0;
}
