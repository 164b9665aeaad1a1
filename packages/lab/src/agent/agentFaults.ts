import type { GeneratorConfig } from './agentConfig.js';

export interface DnsFaultRule {
  mode: 'nxdomain' | 'servfail' | 'slow';
  /** Names equal to or under this one; null = every name. */
  name: string | null;
  delayMs: number;
  /** Slow rules: one answer in `every` (by the server's count of queries) is late; 1: each. */
  every: number;
}

/** The part of the active faults one agent acts on (the rest is netfilter/routing, set from outside). */
export interface AgentFaults {
  /** Ports whose server stops listening (connection refused). */
  closedPorts: number[];
  dns: DnsFaultRule[];
  /** Clients the faults run: bandwidth spikes, a scenario fault's own traffic and lookups. */
  generators: GeneratorConfig[];
}

export const NO_AGENT_FAULTS: AgentFaults = { closedPorts: [], dns: [], generators: [] };
