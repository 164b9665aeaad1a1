/**
 * The long tasks of a CPU profile (`node --cpu-prof`, e.g. the soak's `--node-flags=--cpu-prof,
 * --cpu-prof-dir=DIR`): stretches of samples with no idle between them longer than `--min-ms`, each
 * named by the server functions it spent the most in (inclusive), then grouped by that name. What
 * blocks /readyz is one of these: a timer or a request waits for the stretch to end. Run:
 *   node --import tsx bench/server/longTasks.ts DIR/x.cpuprofile [--min-ms=50] [--top=15]
 */

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: longTasks.ts <file.cpuprofile> [--min-ms=50] [--top=15]');
const MIN_MS = Number(arg('min-ms') ?? 50);
const TOP = Number(arg('top') ?? 15);

const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of p.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}
const label = (n: ProfileNode) => {
  const f = n.callFrame;
  const at = f.url.replace(/^.*\/(apps|packages|node_modules)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${at}:${f.lineNumber + 1}`;
};
/** The project's own functions on a sample's stack (and the VM's pseudo-frames), each once. */
const stackOf = new Map<number, string[]>();
function stack(id: number): string[] {
  const known = stackOf.get(id);
  if (known) return known;
  const out: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at)!;
    const f = n.callFrame;
    if (/\/(apps|packages)\/[^/]+\/src\//.test(f.url) || f.functionName.startsWith('(')) out.push(label(n));
  }
  const unique = [...new Set(out)];
  stackOf.set(id, unique);
  return unique;
}
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';

interface Task {
  startMs: number;
  ms: number;
  incl: Map<string, number>;
  self: Map<string, number>;
}
const tasks: Task[] = [];
let t = p.startTime;
let cur: Task | null = null;
let busyMs = 0;
let totalMs = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = (p.timeDeltas[i] ?? 0) / 1000;
  t += p.timeDeltas[i] ?? 0;
  totalMs += dt;
  const id = p.samples[i]!;
  if (isIdle(id)) {
    if (cur && cur.ms >= MIN_MS) tasks.push(cur);
    cur = null;
    continue;
  }
  busyMs += dt;
  cur ??= { startMs: (t - p.startTime) / 1000, ms: 0, incl: new Map(), self: new Map() };
  cur.ms += dt;
  const s = stack(id);
  for (const f of s) cur.incl.set(f, (cur.incl.get(f) ?? 0) + dt);
  const leaf = label(byId.get(id)!);
  cur.self.set(leaf, (cur.self.get(leaf) ?? 0) + dt);
}
if (cur && cur.ms >= MIN_MS) tasks.push(cur);

/** A task's name: the deepest project function that holds at least 60% of it, else its top one. */
function nameOf(task: Task): string {
  const ranked = [...task.incl.entries()].sort((a, b) => b[1] - a[1]);
  const own = ranked.filter(([f, ms]) => ms >= task.ms * 0.6 && !f.startsWith('('));
  return (own[own.length - 1] ?? ranked[0] ?? ['(none)'])[0];
}

const groups = new Map<string, number[]>();
for (const task of tasks) {
  const n = nameOf(task);
  groups.set(n, [...(groups.get(n) ?? []), task.ms]);
}
console.log(
  `${file}: ${(totalMs / 1000).toFixed(1)} s profiled, busy ${((100 * busyMs) / totalMs).toFixed(0)}%, ` +
    `${tasks.length} tasks >= ${MIN_MS} ms (${tasks.filter((x) => x.ms >= 100).length} >= 100 ms, ` +
    `${tasks.filter((x) => x.ms >= 250).length} >= 250 ms)`,
);
console.log('\nby name (count, total ms, max ms):');
for (const [n, ms] of [...groups.entries()].sort((a, b) => Math.max(...b[1]) - Math.max(...a[1])))
  console.log(
    `  ${ms.length}\t${Math.round(ms.reduce((a, b) => a + b, 0))}\t${Math.round(Math.max(...ms))}\t${n}`,
  );
console.log(`\nthe ${TOP} longest:`);
for (const task of [...tasks].sort((a, b) => b.ms - a.ms).slice(0, TOP)) {
  console.log(`- at ${(task.startMs / 1000).toFixed(1)} s: ${Math.round(task.ms)} ms, ${nameOf(task)}`);
  const top = [...task.incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  for (const [f, ms] of top) console.log(`    ${Math.round(ms)}\t${f}`);
  const self = [...task.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
  console.log(`    self: ${self.map(([f, ms]) => `${Math.round(ms)} ${f}`).join('; ')}`);
}
