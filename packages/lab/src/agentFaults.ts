import type { GeneratorConfig } from './agentConfig.js';

export interface DnsFaultRule {
  mode: 'nxdomain' | 'servfail' | 'slow';
  /** Names equal to or under this one; null = every name. */
  name: string | null;
  delayMs: number;
}

/** The part of the active faults one agent acts on (the rest is netfilter/routing, set from outside). */
export interface AgentFaults {
  /** Ports whose server stops listening (connection refused). */
  closedPorts: number[];
  dns: DnsFaultRule[];
  /** Extra generators (bandwidth spikes). */
  spikes: GeneratorConfig[];
}

export const NO_AGENT_FAULTS: AgentFaults = { closedPorts: [], dns: [], spikes: [] };
