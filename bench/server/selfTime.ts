/**
 * The self time of each function over a whole CPU profile (`node --cpu-prof`, e.g. the soak's
 * `--node-flags=--cpu-prof,--cpu-prof-dir=DIR`), most first: where the server's CPU went, long tasks or
 * not (bench/server/longTasks.ts names the long stretches). Run:
 *   node --import tsx bench/server/selfTime.ts DIR/x.cpuprofile [--top=25]
 */

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: selfTime.ts <file.cpuprofile> [--top=25]');
const TOP = Number(arg('top') ?? 25);

const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
for (let i = 0; i < p.samples.length; i++) {
  const f = byId.get(p.samples[i]!)!.callFrame;
  const at = f.url.replace(/^.*\/(apps|packages|node_modules)\//, '$1/');
  const key = `${f.functionName || '(anonymous)'} ${at}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
}
let total = 0;
for (const ms of self.values()) total += ms;
console.log(`${file}: ${(total / 1000).toFixed(1)} s profiled; self ms by function:`);
for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP))
  console.log(`  ${Math.round(ms)}\t${key}`);
