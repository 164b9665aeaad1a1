import { type CollectorConfig, parseCollectorConfig } from '@weft/collector';

export interface LabCollectorOptions {
  node: string;
  /** The server's port on 127.0.0.1. */
  port: number;
  token: string;
  metricsPort: number;
  inventory: string;
  ifacePrefix?: string;
  simulated: boolean;
}

/** The flags of a collector `weft start` runs for one lab node: everything but the token. */
export function labCollectorArgs(o: LabCollectorOptions): string[] {
  const args = [
    '--node',
    o.node,
    '--server',
    `ws://127.0.0.1:${o.port}/api/v1/ingest`,
    '--metrics-host',
    '127.0.0.1',
    '--metrics-port',
    String(o.metricsPort),
    '--identity',
    'inventory',
    '--inventory',
    o.inventory,
  ];
  if (o.ifacePrefix) args.push('--iface-prefix', o.ifacePrefix);
  if (o.simulated) args.push('--simulated');
  return args;
}

/**
 * The collector's configuration, its token given the way the DaemonSet gives it (WEFT_INGEST_TOKEN),
 * never as a flag: a flag ends up in a command line, which `ps` shows to every user of the host.
 */
export function labCollectorConfig(o: LabCollectorOptions): CollectorConfig {
  const parsed = parseCollectorConfig(labCollectorArgs(o), { WEFT_INGEST_TOKEN: o.token });
  if (parsed.kind !== 'config')
    throw new Error(`collector configuration: ${parsed.kind === 'error' ? parsed.message : 'help'}`);
  return parsed.config;
}
