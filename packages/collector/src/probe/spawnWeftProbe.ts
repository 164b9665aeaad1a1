import { type ProbeOptions, spawnProbe } from '@weft/bpf';
import type { ProbeProcessLike } from './superviseProbe.js';

export type ProbeSpawnOptions = ProbeOptions;

export type ProbeSpawner = (opts: ProbeSpawnOptions) => ProbeProcessLike;

/** The real probe, through @weft/bpf (which finds the binary and decodes its records). */
export const spawnWeftProbe: ProbeSpawner = (opts) => spawnProbe(opts);
