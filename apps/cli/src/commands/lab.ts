import {
  describeFault,
  type Fault,
  FaultError,
  type FaultSpec,
  faultAdd,
  faultClear,
  faultList,
  faultRestore,
  faultUsage,
  isScenario,
  isScenarioFaultId,
  LabError,
  labDown,
  labStatus,
  labUp,
  loadTopology,
  PolicyError,
  parseFaultArgs,
  policyApply,
  policyClear,
  policyDelete,
  readPolicyFile,
  SCENARIOS,
  TopologyError,
} from '@weft/lab';
import { CliError } from '../cliError.js';
import {
  addSimulatedFault,
  clearSimulatedFaults,
  listSimulatedFaults,
  restoreSimulatedFault,
  simulatedLabRunning,
} from '../simulatedFaults.js';
import { takeFlag, takeOption } from '../takeOption.js';

const USAGE = `Usage: weft lab <up|down|status|fault|apply|delete> [options]
  up [--scenario ${SCENARIOS.join('|')}] [--topology FILE] [--prefix P]   build the lab
  down [--prefix P] [--json]                                   tear it down (idempotent)
  status [--prefix P] [--json]                                 what is running
  fault add <kind> [--key value ...] | fault add <sN> | fault clear [ID|KIND|all] | fault list
                                         faults on and off; the scenario starts with its own (s1, s2, ...),
                                         cleared like any other and put back by id (fault add s1)
  apply -f FILE [-n NAMESPACE] [--prefix P]                    enforce the NetworkPolicies of a YAML file (- for stdin)
  delete -f FILE [-n NAMESPACE] | delete --all [--prefix P]    stop enforcing them (or all)
Faults:
${faultUsage()}
`;

/** Switching faults in the real lab or in the simulated one: the same three verbs. */
interface FaultSwitch {
  add(spec: FaultSpec): Promise<Fault>;
  restore(id: string): Promise<Fault>;
  clear(id: string | undefined): Promise<Fault[]>;
  list(): Promise<Fault[]>;
}

/** Lab errors are the user's to read, not stack traces. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (
      e instanceof LabError ||
      e instanceof FaultError ||
      e instanceof TopologyError ||
      e instanceof PolicyError
    )
      throw new CliError(e.message);
    throw e;
  }
}

export async function runLab(argv: string[]): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  const prefix = takeOption(args, '--prefix');
  const opts = prefix ? { prefix } : {};
  switch (sub) {
    case 'up': {
      const scenario = takeOption(args, '--scenario') ?? 'default';
      if (!isScenario(scenario))
        throw new CliError(`unknown scenario "${scenario}"; known: ${SCENARIOS.join(', ')}`, 2);
      const file = takeOption(args, '--topology');
      if (args.length > 0) throw new CliError(`lab up: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
      const topology = file ? await userErrors(() => loadTopology(file)) : undefined;
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const lab = await userErrors(() =>
        labUp({ ...opts, scenario, signal: abort.signal, ...(topology ? { topology } : {}) }),
      );
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.write(
        `lab "${lab.prefix}" is up (scenario ${lab.scenario}): ${lab.inventory.pods.length} pods on ${lab.nodes.length} nodes\n` +
          lab.nodes
            .map((n) => `  node ${n.name}: bridge ${n.bridge}, pod links ${n.ifacePrefix}*\n`)
            .join('') +
          `inventory: ${lab.inventoryPath}\n` +
          lab.warnings.map((w) => `warning: ${w}\n`).join(''),
      );
      return 0;
    }
    case 'down': {
      const result = await userErrors(() => labDown(opts));
      process.stdout.write(
        args.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : `${result.message}\n`,
      );
      return 0;
    }
    case 'status': {
      const status = await userErrors(() => labStatus(opts));
      if (args.includes('--json') || !status.up) {
        process.stdout.write(
          args.includes('--json') ? `${JSON.stringify(status, null, 2)}\n` : `${status.message}\n`,
        );
        return 0;
      }
      process.stdout.write(`${status.message}\n`);
      for (const p of status.pods)
        process.stdout.write(`  ${p.namespace}/${p.name}  ${p.node}  ${p.ips.join(' ')}  ${p.hostIfname}\n`);
      for (const a of status.agents)
        process.stdout.write(`  agent ${a.label}: ${a.running ? 'running' : 'NOT RUNNING'}\n`);
      for (const f of status.faults) process.stdout.write(`  fault ${f.id}: ${describeFault(f)}\n`);
      for (const p of status.policies) process.stdout.write(`  networkpolicy ${p.namespace}/${p.name}\n`);
      return 0;
    }
    case 'apply':
    case 'delete': {
      if (sub === 'delete' && takeFlag(args, '--all')) {
        if (args.length > 0)
          throw new CliError(`lab delete --all: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
        const cleared = await userErrors(() => policyClear(opts));
        process.stdout.write(
          cleared.changed.map((p) => `networkpolicy ${p.namespace}/${p.name} deleted\n`).join('') ||
            'no network policies\n',
        );
        return 0;
      }
      const file = takeOption(args, '-f') ?? takeOption(args, '--filename');
      const namespace = takeOption(args, '-n') ?? takeOption(args, '--namespace');
      if (!file) throw new CliError(`lab ${sub}: -f FILE is required\n${USAGE}`, 2);
      if (args.length > 0) throw new CliError(`lab ${sub}: unexpected "${args.join(' ')}"\n${USAGE}`, 2);
      const popts = { ...opts, ...(namespace ? { namespace } : {}) };
      const result = await userErrors(async () => {
        const text = await readPolicyFile(file);
        return sub === 'apply' ? policyApply(popts, text, file) : policyDelete(popts, text, file);
      });
      const verb = sub === 'apply' ? 'applied' : 'deleted';
      process.stdout.write(
        result.changed.map((p) => `networkpolicy ${p.namespace}/${p.name} ${verb}\n`).join('') +
          `${result.pods.length} pods' rules changed\n`,
      );
      return 0;
    }
    case 'fault': {
      const verb = args.shift();
      // No real lab up but a simulated one running: its faults live in the simulated switch.
      const simulated = !(await labStatus(opts)).up && simulatedLabRunning(prefix);
      const faults: FaultSwitch = simulated
        ? {
            add: async (spec) => addSimulatedFault(prefix, spec),
            restore: async (id) => restoreSimulatedFault(prefix, id),
            clear: async (id) => clearSimulatedFaults(prefix, id),
            list: async () => listSimulatedFaults(prefix),
          }
        : {
            add: (spec) => faultAdd(opts, spec),
            restore: (id) => faultRestore(opts, id),
            clear: (id) => faultClear({ ...opts, ...(id ? { id } : {}) }),
            list: () => faultList(opts),
          };
      const where = simulated ? ' (simulated lab)' : '';
      if (verb === 'add') {
        const id = args.length === 1 && isScenarioFaultId(args[0]!) ? args[0]! : null;
        const fault = await userErrors(() => (id ? faults.restore(id) : faults.add(parseFaultArgs(args))));
        process.stdout.write(`fault ${fault.id} on${where}: ${describeFault(fault)}\n`);
        return 0;
      }
      if (verb === 'clear') {
        const cleared = await userErrors(() =>
          faults.clear(args[0] && args[0] !== 'all' ? args[0] : undefined),
        );
        process.stdout.write(
          cleared.length === 0
            ? 'no fault to clear\n'
            : cleared.map((f) => `fault ${f.id} cleared\n`).join(''),
        );
        return 0;
      }
      if (verb === 'list') {
        const active = await userErrors(() => faults.list());
        process.stdout.write(
          active.length === 0 ? 'no faults\n' : active.map((f) => `${f.id}  ${describeFault(f)}\n`).join(''),
        );
        return 0;
      }
      throw new CliError(`lab fault: expected add, clear or list\n${USAGE}`, 2);
    }
    default:
      process.stdout.write(USAGE);
      return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  }
}
