import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@weft/collector';
import {
  applyScenario,
  createSimulatedSource,
  defaultTopology,
  isScenario,
  LAB_ALERT_PROFILE,
  LabError,
  type LabHandle,
  labDown,
  labFaultsPath,
  labStatus,
  labUp,
  planLab,
  SCENARIOS,
  type Scenario,
  scenarioFaults,
  simulatedInventory,
} from '@weft/lab';
import {
  ConfigError,
  parseServerConfig,
  type RunningServer,
  removeHistoryFiles,
  startServer,
} from '@weft/server';
import { alertThresholdsLine } from '../alertThresholdsLine.js';
import { checkoutDataDir } from '../checkoutDataDir.js';
import { CliError } from '../cliError.js';
import { hostMode } from '../hostMode.js';
import { onShutdown } from '../onShutdown.js';
import { serveSimulatedFaults, simulatedFaultsPath } from '../simulatedFaults.js';
import { takeFlag, takeOption } from '../takeOption.js';
import { type LabCollectorOptions, labCollectorConfig } from './labCollectorConfig.js';

const FIRST_METRICS_PORT = 10093;

function say(msg: string): void {
  process.stderr.write(`weft: ${msg}\n`);
}

async function collector(
  options: LabCollectorOptions,
  deps: Parameters<typeof startCollector>[1] = {},
): Promise<RunningCollector> {
  return startCollector(labCollectorConfig(options), deps);
}

/**
 * `weft start`: the lab (real where the host allows it, simulated otherwise), one collector per lab
 * node like a DaemonSet, and the server with the dashboard. Ctrl-C takes all of it down again.
 */
export async function runStart(argv: string[]): Promise<number> {
  const args = [...argv];
  const forceSimulated = takeFlag(args, '--simulated');
  const fresh = takeFlag(args, '--fresh');
  const scenarioArg = takeOption(args, '--scenario') ?? 'default';
  const hostArg = takeOption(args, '--host');
  const portArg = takeOption(args, '--port');
  const labPrefix = takeOption(args, '--lab-prefix');
  const labOpts = labPrefix ? { prefix: labPrefix } : {};
  const metricsPortArg = takeOption(args, '--metrics-port') ?? String(FIRST_METRICS_PORT);
  if (!/^\d{1,5}$/.test(metricsPortArg) || Number(metricsPortArg) > 65535)
    throw new CliError(
      `--metrics-port must be a port number, or 0 for free ports (got "${metricsPortArg}")`,
      2,
    );
  const firstMetricsPort = Number(metricsPortArg);
  /** Collector i serves /metrics on the first port + i; 0 lets each pick a free one. */
  const metricsPort = (i: number) => (firstMetricsPort === 0 ? 0 : firstMetricsPort + i);
  if (args.length > 0) throw new CliError(`start: unexpected "${args.join(' ')}" (see weft help)`, 2);
  if (!isScenario(scenarioArg))
    throw new CliError(`unknown scenario "${scenarioArg}"; known: ${SCENARIOS.join(', ')}`, 2);
  const scenario: Scenario = scenarioArg;

  // A new token per run, handed to the server and the collectors in memory (labCollectorConfig.ts).
  const token = randomBytes(24).toString('hex');
  let serverConfig: ReturnType<typeof parseServerConfig>;
  try {
    serverConfig = parseServerConfig(
      {
        // The history outlives a run (and `weft lab down`) unless WEFT_DATA_DIR says otherwise.
        WEFT_DATA_DIR: checkoutDataDir(),
        ...process.env,
        ...(hostArg ? { WEFT_HOST: hostArg } : {}),
        ...(portArg ? { WEFT_PORT: portArg } : {}),
      },
      // The lab's traffic is a hundredth of the seed's: its faults cross these thresholds, not the seed's.
      { ingestToken: token, ...LAB_ALERT_PROFILE },
    );
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  serverConfig.ingestToken = token;
  if (serverConfig.tlsCertFile)
    throw new CliError(
      'weft start runs its collectors over loopback ws://: unset WEFT_TLS_CERT_FILE and WEFT_TLS_KEY_FILE (TLS is for `weft server`)',
      2,
    );

  say(alertThresholdsLine(serverConfig, process.env));
  if (serverConfig.dataDir) {
    if (fresh) {
      const gone = removeHistoryFiles(serverConfig.dataDir);
      say(`--fresh: removed ${gone} history file${gone === 1 ? '' : 's'} from ${serverConfig.dataDir}`);
    }
    say(`history kept in ${serverConfig.dataDir} (--fresh starts empty)`);
  } else say('history in memory only (WEFT_DATA_DIR is empty)');
  const mode = await hostMode(forceSimulated);
  say(mode.mode === 'lab' ? `real lab with eBPF: ${mode.why}` : `simulated lab: ${mode.why}`);
  // The Status view lists the lab's faults, built-in and added, from the file `weft lab fault` edits.
  serverConfig.labFaultsFile ||=
    mode.mode === 'lab' ? labFaultsPath(labOpts) : simulatedFaultsPath(labPrefix ?? undefined);

  const collectors: RunningCollector[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  let server: RunningServer | undefined;
  let lab: LabHandle | undefined;
  const stopAll = async () => {
    say('stopping');
    for (const c of collectors.splice(0))
      await c.stop().catch((e: Error) => say(`collector stop: ${e.message}`));
    if (server) await server.close().catch((e: Error) => say(`server stop: ${e.message}`));
    for (const fn of cleanups.splice(0).reverse())
      await fn().catch((e: Error) => say(`cleanup: ${e.message}`));
    say('stopped; nothing left behind');
  };
  onShutdown(stopAll);

  try {
    server = await startServer(serverConfig);
    const port = Number(new URL(server.url).port);
    if (mode.mode === 'lab') {
      const existing = await labStatus(labOpts);
      if (existing.up) {
        say('a lab from an earlier run is still up: taking it down first');
        await labDown(labOpts);
      }
      say('building the lab (network namespaces, bridges, servers, traffic)...');
      lab = await labUp({ ...labOpts, scenario });
      const built = lab;
      for (const w of built.warnings) say(`lab: ${w}`);
      cleanups.push(() => built.down());
      for (const [i, node] of built.nodes.entries()) {
        collectors.push(
          await collector({
            node: node.name,
            port,
            token,
            metricsPort: metricsPort(i),
            inventory: built.inventoryPath,
            ifacePrefix: node.ifacePrefix,
            simulated: false,
          }),
        );
      }
      say(
        `lab up: ${built.inventory.pods.length} pods on ${built.nodes.length} nodes (faults: pnpm weft lab fault ...)`,
      );
    } else {
      const topology = defaultTopology();
      const inventory = simulatedInventory(topology, scenario);
      const dir = mkdtempSync(join(tmpdir(), 'weft-sim-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const inventoryPath = join(dir, 'inventory.json');
      writeFileSync(inventoryPath, JSON.stringify(inventory));
      const sources: ReturnType<typeof createSimulatedSource>[] = [];
      for (const [i, node] of inventory.nodes.entries()) {
        const source = createSimulatedSource({ topology, scenario, node: node.name });
        sources.push(source);
        collectors.push(
          await collector(
            {
              node: node.name,
              port,
              token,
              metricsPort: metricsPort(i),
              inventory: inventoryPath,
              simulated: true,
            },
            { source },
          ),
        );
      }
      // The scenario's policies that are faults come and go with them, in the inventory as in the real lab.
      const stopFaults = serveSimulatedFaults(
        labPrefix,
        (faults) => {
          for (const source of sources) source.setFaults(faults);
          writeFileSync(inventoryPath, JSON.stringify(simulatedInventory(topology, scenario, faults)));
        },
        scenarioFaults(planLab(applyScenario(topology, scenario))),
      );
      cleanups.push(async () => stopFaults());
      say(
        `simulated lab: ${inventory.pods.length} pods on ${inventory.nodes.length} nodes (faults: pnpm weft lab fault ...)`,
      );
    }
  } catch (e) {
    await stopAll();
    if (e instanceof LabError) throw new CliError(e.message);
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  say(`collector metrics: ${collectors.map((c) => c.metricsUrl).join(' ')}`);
  say(`dashboard: ${server.url}   (Ctrl-C stops everything)`);
  return 0;
}
