import type { ProbeProcessLike } from './superviseProbe.js';

export interface ProbeSpawnOptions {
  binary?: string;
  ifaces?: string[];
  ifacePrefixes?: string[];
  intervalMs?: number;
  args?: string[];
}

export type ProbeSpawner = (opts: ProbeSpawnOptions) => ProbeProcessLike;

// Loaded when the probe is first needed: simulated and test runs never touch the BPF package.
const BPF_PACKAGE = '@weft/bpf';

/** The real probe, through @weft/bpf's spawnProbe (which finds the binary and decodes its records). */
export async function loadProbeSpawner(): Promise<ProbeSpawner> {
  const mod = (await import(BPF_PACKAGE)) as { spawnProbe?: ProbeSpawner };
  if (typeof mod.spawnProbe !== 'function') throw new Error(`${BPF_PACKAGE} does not export spawnProbe`);
  return mod.spawnProbe;
}
