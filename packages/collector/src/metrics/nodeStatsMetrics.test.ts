import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerNodeStats, TCP_TABLE_MAX_AGE_MS } from './nodeStatsMetrics.js';

const HEAD =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const socket = (i: number, state: string) =>
  `   ${i}: 0A01F40A:C35${i} 1E01F40A:0050 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${i} 1\n`;
const snmp = (noPorts: number) => `Udp: InDatagrams NoPorts InErrors\nUdp: 100 ${noPorts} 0\n`;

let dir = '';
afterEach(() => {
  vi.useRealTimers();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('registerNodeStats', () => {
  it("reads the kernel's counters at every scrape, the TCP socket tables at most every TCP_TABLE_MAX_AGE_MS", async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-nodestats-'));
    mkdirSync(join(dir, 'net'));
    const write = (file: string, text: string) => writeFileSync(join(dir, 'net', file), text);
    write('tcp', HEAD + socket(1, '01'));
    write('tcp6', HEAD);
    for (const f of ['udp', 'udp6', 'netstat', 'dev']) write(f, '');
    write('snmp', snmp(3));
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const reg = new Registry();
    registerNodeStats([reg], { procRoot: dir });
    const scrape = async () => {
      const text = await reg.metrics();
      const established = /networkobservability_tcp_state\{state="ESTABLISHED"\} (\d+)/.exec(text)?.[1];
      const noPorts = /networkobservability_udp_connection_stats\{statistic_name="noports"\} (\d+)/.exec(
        text,
      )?.[1];
      return { established: Number(established ?? 0), noPorts: Number(noPorts) };
    };
    expect(await scrape()).toEqual({ established: 1, noPorts: 3 });

    write('tcp', HEAD + socket(1, '01') + socket(2, '01'));
    write('snmp', snmp(4));
    vi.setSystemTime(start + 5_000);
    expect(await scrape()).toEqual({ established: 1, noPorts: 4 });

    vi.setSystemTime(start + TCP_TABLE_MAX_AGE_MS + 1);
    expect(await scrape()).toEqual({ established: 2, noPorts: 4 });
  });
});
