import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AlertsResponse } from '@weft/protocol';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
let child: ChildProcess | undefined;
afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

/**
 * `weft start` as a user runs it (simulated, so it needs no root): the drop and DNS alerts of the
 * default scenario's faults must fire within five minutes of the start, under the lab thresholds it
 * prints. Polled, not timed: the deadline is the issue's five minutes.
 */
describe('weft start', () => {
  it('says which alert thresholds it uses, and the lab faults fire the drop and DNS alerts', async () => {
    const started = Date.now();
    child = spawn(
      process.execPath,
      [
        '--conditions=weft-source',
        '--import',
        'tsx',
        main,
        'start',
        '--simulated',
        '--port',
        '0',
        '--metrics-port',
        '0',
        '--lab-prefix',
        'wst',
      ],
      // Memory only: the checkout's .weft/data is the user's history, not this test's.
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, WEFT_DATA_DIR: '' } },
    );
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /dashboard: (http:\/\/\S+)/.exec(log);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`weft start exited ${code}: ${log}`)));
    });
    expect(log).toMatch(
      /^weft: alert thresholds \(lab profile; weft server keeps the seed's\): drops > 0\.5\/s, DNS failures > 0\.5%, failed TCP connects > 0\.5\/s, over 1 min for 1 min$/m,
    );
    const firing = new Set<string>();
    while (!(firing.has('HighPacketDropRate') && firing.has('HighDNSFailureRate'))) {
      expect(
        Date.now() - started,
        `alerts firing after 5 min: ${[...firing].join(', ') || 'none'}`,
      ).toBeLessThan(300_000);
      await new Promise((r) => setTimeout(r, 2000));
      const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as AlertsResponse;
      for (const r of body.rules) if (r.history.some((h) => h.state === 'firing')) firing.add(r.name);
    }
  }, 360_000);
});
