/**
 * The lab's traffic rates over a full window against their configuration, plus what the agents cost.
 * Root only (it builds the lab under the prefix `wltb` and removes it again, also on failure). Run:
 *   node --conditions=weft-source --import tsx bench/lab/rates.ts [--seconds 60] [--scenario default|clean]
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '@weft/lab';
import { labDown, labStatus, labUp, measureRates } from '@weft/lab';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const seconds = Number(arg('seconds', '60'));
const scenario = arg('scenario', 'default') as Scenario;
const prefix = 'wltb';
const TICK = 100; // USER_HZ

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

await labDown({ prefix });
try {
  const t0 = Date.now();
  await labUp({ prefix, scenario });
  const upMs = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 2000));
  const st = await labStatus({ prefix });
  const pids = st.up ? st.agents.flatMap((a) => (a.pid ? [a.pid] : [])) : [];
  const cpu0 = pids.reduce((s, p) => s + cpuTicks(p), 0);
  const report = await measureRates({ prefix }, seconds * 1000);
  const cpu1 = pids.reduce((s, p) => s + cpuTicks(p), 0);
  const rss = pids.reduce((s, p) => s + rssKb(p), 0);
  console.log(`scenario ${scenario}, window ${seconds} s, lab up in ${upMs} ms, ${pids.length} agents`);
  console.log('| what | configured /s | measured /s | error |');
  console.log('|---|---:|---:|---:|');
  for (const f of report.figures)
    console.log(
      `| ${f.what} | ${f.expectedPerSec} | ${f.measuredPerSec.toFixed(2)} | ${(f.error * 100).toFixed(1)}% |`,
    );
  console.log(`worst error ${(report.worst * 100).toFixed(1)}%`);
  console.log(
    `agents: ${(((cpu1 - cpu0) / TICK / seconds) * 100).toFixed(1)}% of one core in total, ${(rss / 1024).toFixed(0)} MiB RSS in total`,
  );
} finally {
  const d = await labDown({ prefix });
  console.log(d.message);
}
