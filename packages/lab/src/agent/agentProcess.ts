import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AgentRecord } from '../lifecycle/labState.js';

/** An agent holds counters and a few sockets: a small heap bounds it, should anything ever pile up. */
const NODE_LIMITS = ['--max-old-space-size=96', '--max-semi-space-size=2'];

/**
 * How to start an agent: from dist, plain node on agentMain.js; from sources (vitest, tsx), node with the
 * tsx loader on agentMain.ts and the `weft-source` condition, like the rest of the workspace.
 */
export function agentCommand(): { exec: string; args: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = createRequire(here).resolve('tsx');
    return {
      exec: process.execPath,
      args: [
        ...NODE_LIMITS,
        '--import',
        pathToFileURL(tsx).href,
        '--conditions=weft-source',
        fileURLToPath(new URL('./agentMain.ts', here)),
      ],
    };
  }
  return {
    exec: process.execPath,
    args: [...NODE_LIMITS, fileURLToPath(new URL('./agentMain.js', here))],
  };
}

/** Starts an agent inside its netns, detached, so `lab up` can return and `lab down` find it later. */
export function spawnAgent(netns: string, agent: AgentRecord): number {
  const { exec, args } = agentCommand();
  const log = openSync(agent.logPath, 'a');
  const env = { ...process.env };
  // The caller's loaders (vitest, tsx) are not the agent's business.
  delete env.NODE_OPTIONS;
  try {
    const child = spawn('ip', ['netns', 'exec', netns, exec, ...args, agent.configPath], {
      detached: true,
      stdio: ['ignore', log, log],
      env,
    });
    child.on('error', () => {});
    child.unref();
    return child.pid ?? -1;
  } finally {
    closeSync(log);
  }
}

export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
