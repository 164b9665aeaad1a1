import {
  type FilterIssue,
  type FlowRow,
  type FlowsResponse,
  MAX_FLOWS_LIMIT,
  parseFilter,
  parseFlowSearch,
} from '@weft/protocol';
import { CliError } from '../cliError.js';
import { flowLine } from '../flowLine.js';
import { takeFlag, takeOption } from '../takeOption.js';
import { fetchJson } from './fetchJson.js';
import { DEFAULT_QUERY_SERVER } from './query.js';

/**
 * Following with --merge: how old (by the server's clock) a row must be before it is printed. The
 * observations of one connection come from both ends' collectors, whose batches for the same second
 * reach the server a moment apart; printed at once, a row could lack the other end's point, which would
 * then come as a row of its own. Until then it waits, and the next poll asks again from before it.
 */
export const MERGE_SETTLE_MS = 2000;

const USAGE = `Usage: weft observe [options]
  Flow rows from the server's flow search, oldest first; -f goes on printing new ones as they arrive.
  --server URL        the weft server (WEFT_SERVER, else ${DEFAULT_QUERY_SERVER})
  --namespace N       either end in these namespaces (comma list)
  --pod NS/NAME       either end is this pod          --from-pod NS/NAME  the sender is this pod
  --workload NS/NAME  either end is of this workload  --to-pod NS/NAME    the receiver is this pod
  --service NS/NAME   either end is of this service   --node NAME         seen on or sent by this node
  --ip IP|CIDR        either end's address            --port P            either port
  --protocol P        tcp|udp|icmp|icmpv6             --dir D             egress|ingress
  --verdict V         forwarded|dropped               --reason R          a drop reason (policy_drop)
  --flags F           TCP flags all set (syn,rst)     --q TEXT            free text over names, addresses, reason
  --dns NAME          flows to a name the sender resolved (or DNS flows asking it), the names below it too
  --since D           how far back: 30s, 5m, 1h, 2d or a time (default 1h)
  --at T              a past moment (now-10m, 2026-11-27T10:14:00Z): the rate window ending then
  --last N            the newest N rows (default 20; at most ${MAX_FLOWS_LIMIT})
  --merge             one row per connection: its sender's, receiver's and drop's observations as one
                      (with -f a row is printed once it is ${MERGE_SETTLE_MS / 1000} s old, so every point is in it)
  -f, --follow        go on printing new rows (every second) until interrupted
  --output text|json  a line per row, or one JSON object a line (default text)
`;

/** Options passed to the search under their own names. */
const PASSED = [
  'namespace',
  'pod',
  'workload',
  'service',
  'node',
  'ip',
  'port',
  'protocol',
  'dir',
  'verdict',
  'reason',
  'flags',
  'dns',
  'q',
  'at',
] as const;

/** CLI option -> search parameter where the names differ. */
const RENAMED = { 'from-pod': 'src', 'to-pod': 'dst' } as const;

const FOLLOW_POLL_MS = 1000;

/** Rows (in print order) split into those old enough to print and the seq just before the first waiting one. */
function settled(rows: FlowRow[], now: number, head: number): { ready: FlowRow[]; before: number } {
  const ready: FlowRow[] = [];
  let before = head;
  for (const r of rows) {
    if (r.ts <= now - MERGE_SETTLE_MS) ready.push(r);
    else before = Math.min(before, r.seq! - 1);
  }
  return { ready, before };
}

export interface ObserveOptions {
  /** Ends a follow (the command's SIGINT, or a test). */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

function describe(i: FilterIssue): string {
  const flag =
    i.param === 'from' ? 'since' : (Object.entries(RENAMED).find(([, p]) => p === i.param)?.[0] ?? i.param);
  return `observe: --${flag}: ${i.reason} (got ${JSON.stringify(i.value.slice(0, 60))})`;
}

function value(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0 && (args[i + 1] === undefined || args[i + 1]!.startsWith('-')))
    throw new CliError(`observe: --${name} needs a value\n${USAGE}`, 2);
  return takeOption(args, `--${name}`);
}

/** `--since 5m` as the API's `from=now-5m`; a time expression as it is. */
function sinceParam(v: string): string {
  return /^\d+[smhd]$/.test(v) ? `now-${v}` : v;
}

/**
 * `weft observe`: the flow search from a terminal, in the manner of `hubble observe`. Following polls
 * the search with `after=<head>` rather than holding a WebSocket: the live socket carries map snapshots,
 * not rows, and the search already has every filter, its checks and its 400s; a poll a second prints a
 * new row within about a second of its batch arriving.
 */
export async function runObserve(
  argv: string[],
  out: { write(s: string): unknown } = process.stdout,
  opts: ObserveOptions = {},
): Promise<number> {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    out.write(USAGE);
    return 0;
  }
  const env = opts.env ?? process.env;
  const follow = takeFlag(args, '--follow') || takeFlag(args, '-f');
  const merge = takeFlag(args, '--merge');
  const output = value(args, 'output') ?? 'text';
  if (output !== 'text' && output !== 'json')
    throw new CliError(`observe: --output must be text or json (got "${output}")`, 2);
  const server = (value(args, 'server') ?? env.WEFT_SERVER ?? DEFAULT_QUERY_SERVER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(server))
    throw new CliError(`observe: --server must be an http:// or https:// URL (got "${server}")`, 2);
  const last = value(args, 'last') ?? '20';
  if (!/^\d{1,5}$/.test(last) || Number(last) < 1 || Number(last) > MAX_FLOWS_LIMIT)
    throw new CliError(
      `observe: --last must be a number of rows from 1 to ${MAX_FLOWS_LIMIT} (got "${last}")`,
      2,
    );
  const since = value(args, 'since');
  const params = new URLSearchParams();
  for (const p of PASSED) {
    const v = value(args, p);
    if (v !== undefined) params.set(p, v);
  }
  for (const [flag, p] of Object.entries(RENAMED)) {
    const v = value(args, flag);
    if (v !== undefined) params.set(p, v);
  }
  if (merge) params.set('merge', 'connection');
  if (since !== undefined && params.has('at'))
    throw new CliError('observe: --since and --at are two different times; give one', 2);
  if (follow && params.has('at'))
    throw new CliError('observe: --follow prints what arrives from now on; it cannot follow a past --at', 2);
  if (!params.has('at')) params.set('from', sinceParam(since ?? '1h'));
  if (args.length > 0) throw new CliError(`observe: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
  const entries = Object.fromEntries(params);
  const issues = [
    ...parseFilter(entries, ['service', 'node', 'ip', 'dir', 'flags', 'merge', 'dns']).issues,
    ...parseFlowSearch(entries).issues,
  ];
  if (issues.length > 0) throw new CliError(issues.map(describe).join('\n'), 2);

  const print = (rows: FlowRow[]) => {
    for (const r of rows) out.write(output === 'json' ? `${JSON.stringify(r)}\n` : `${flowLine(r)}\n`);
  };
  const get = async (extra: Record<string, string>) =>
    (await fetchJson(
      `${server}/api/v1/flows?${new URLSearchParams({ ...entries, ...extra })}`,
      server,
    )) as FlowsResponse;

  const first = await get({ limit: last });
  const oldestFirst = [...first.flows].reverse();
  if (!follow || !merge) print(oldestFirst);
  if (!follow) return 0;
  let head = first.head ?? -1;
  if (merge) {
    const s = settled(oldestFirst, first.end ?? Date.now(), head);
    print(s.ready);
    head = s.before;
  }
  // Rows that arrived while a poll paged: printed once, though the next poll (after the first page's
  // head) finds them again.
  let printed = new Set<number>();
  while (!opts.signal?.aborted) {
    await sleep(FOLLOW_POLL_MS, opts.signal);
    if (opts.signal?.aborted) break;
    const rows: FlowRow[] = [];
    let next: string | undefined;
    let pollHead = head;
    let now = 0;
    do {
      const page = await get({
        after: String(head),
        limit: String(MAX_FLOWS_LIMIT),
        ...(next ? { cursor: next } : {}),
      });
      if (next === undefined) {
        pollHead = page.head ?? head;
        now = page.end ?? Date.now();
      }
      rows.push(...page.flows);
      next = page.next;
    } while (next);
    const fresh = rows.filter((r) => !printed.has(r.seq!)).sort((a, b) => a.ts - b.ts || a.seq! - b.seq!);
    const s = merge ? settled(fresh, now, pollHead) : { ready: fresh, before: pollHead };
    print(s.ready);
    head = s.before;
    printed = new Set([...printed, ...s.ready.map((r) => r.seq!)].filter((q) => q > head));
  }
  return 0;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
