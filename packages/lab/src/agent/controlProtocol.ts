import type { AgentFaults } from './agentFaults.js';

/** Requests on an agent's control socket: one JSON line in, one JSON line out, then close. */
export type ControlRequest =
  | { op: 'ping' }
  | { op: 'start' }
  | { op: 'stats' }
  | { op: 'faults'; faults: AgentFaults };

export type ControlResponse = { ok: true; result?: unknown } | { ok: false; error: string };

export const MAX_CONTROL_LINE = 1024 * 1024;
