#!/usr/bin/env node
import { CliError } from './cliError.js';

const USAGE = `weft: eBPF network-flow observability for Kubernetes

Usage: weft <command> [options]

Commands:
  start        Run everything on this machine: the lab (real network namespaces and eBPF when the
               host allows it, simulated otherwise), one collector per lab node, and the server with
               the dashboard at http://127.0.0.1:8080.
                 --scenario default|clean   lab scenario (default: default, with one of each fault)
                 --simulated                use the simulated lab even where eBPF works
                 --host H --port P          where the server listens (127.0.0.1:8080; port 0: a free one)
                 --metrics-port P           first collector's /metrics port (10093; the next node's is
                                            P+1; 0: free ports)
                 --lab-prefix P             name prefix of the lab's namespaces and links (weft)
                 --fresh                    start with no history (the server keeps it in .weft/data
                                            of the checkout, or WEFT_DATA_DIR; empty: memory only)
  lab          Manage the lab: up [--scenario NAME] | down | status | fault add|clear|list ...
  collector    Run a node collector (weft collector --help lists its flags)
  server       Run the server (configured from WEFT_* environment variables; --help lists them)
  diagnose     Why can't SRC reach DST: weft diagnose SRC DST [--since 5m | --at T] [--json]
               (weft diagnose --help lists the subject forms)
  policy       What a NetworkPolicy would deny, and least-privilege policies from the traffic:
               weft policy whatif -f FILE [--since 15m] | generate --namespace NS [--workload W]
               (weft policy --help lists the options)
  observe      Flow rows from a running server, filtered (--namespace, --pod, --from-pod, --to-pod,
               --verdict, --port, --since, --at, --last N ...); -f follows new ones; --output json
               (weft observe --help lists the options)
  query        Ask a running server: graph | diagnose | timeline | drops | dns | flows | alerts, live or
               at a moment (--at), over a range (--from/--to), against a baseline (--compare);
               a short table, or --json (weft query --help lists the options)
  help         This text
`;

type Command = (args: string[]) => Promise<number | undefined>;

/** Loaded on demand, so that a node's collector does not carry the lab and the server in memory. */
const commands: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.js')).runStart,
  lab: async () => (await import('./commands/lab.js')).runLab,
  collector: async () => (await import('./commands/collector.js')).runCollector,
  server: async () => (await import('./commands/server.js')).runServer,
  query: async () => (await import('./commands/query.js')).runQuery,
  observe: async () => (await import('./commands/observe.js')).runObserve,
  diagnose: async () => (await import('./commands/diagnose.js')).runDiagnose,
  policy: async () => (await import('./commands/policy.js')).runPolicy,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`weft: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  return (await command(args)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `weft: ${err instanceof CliError ? err.message : err instanceof Error ? err.stack : String(err)}\n`,
    );
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
