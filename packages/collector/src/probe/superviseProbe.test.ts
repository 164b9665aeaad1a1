import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProbeRecord } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { type ProbeProcessLike, superviseProbe } from './superviseProbe.js';

/** A real short-lived process standing in for weft-probe: NDJSON records, a stderr line, an exit code. */
function fakeProbe(run: number, exitCode: number): ProbeProcessLike {
  const script = [
    `echo '{"type":"hello","ts":1,"version":1,"hooks":["tc:wco${run}"],"kernel":"test"}'`,
    `echo '{"type":"stats","ts":2,"flow_overflow":${run},"ring_lost":0,"links":1}'`,
    `echo "run ${run} failing" >&2`,
    `exit ${exitCode}`,
  ].join('; ');
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  async function* records(): AsyncGenerator<ProbeRecord> {
    for await (const line of createInterface({ input: child.stdout })) yield JSON.parse(line) as ProbeRecord;
  }
  return {
    pid: child.pid ?? 0,
    records: records(),
    stderr: createInterface({ input: child.stderr }),
    exited,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('superviseProbe', () => {
  it('restarts a probe that exits, keeps one record stream, and surfaces its stderr', async () => {
    let runs = 0;
    const restarts: string[] = [];
    const logs: string[] = [];
    const sup = superviseProbe({
      spawn: () => fakeProbe(++runs, 3),
      backoff: { initialMs: 10, maxMs: 50 },
      onRestart: (_n, why) => restarts.push(why),
      log: (l) => logs.push(l),
    });
    const seen: ProbeRecord[] = [];
    for await (const r of sup.records) {
      seen.push(r);
      if (seen.length === 6) break;
    }
    await sup.stop();
    expect(seen.filter((r) => r.type === 'hello').map((r) => (r.type === 'hello' ? r.hooks[0] : ''))).toEqual(
      ['tc:wco1', 'tc:wco2', 'tc:wco3'],
    );
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect(restarts[0]).toBe('exited with code 3');
    expect(logs.some((l) => l.includes('run 1 failing'))).toBe(true);
    expect(sup.restarts).toBe(restarts.length);
  });

  it('keeps trying when the probe cannot start at all', async () => {
    let tries = 0;
    const sup = superviseProbe({
      spawn: () => {
        tries++;
        if (tries < 3) throw new Error('no such binary');
        return fakeProbe(tries, 0);
      },
      backoff: { initialMs: 10, maxMs: 20 },
    });
    const it = sup.records[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toMatchObject({ type: 'hello' });
    expect(tries).toBe(3);
    expect(sup.restarts).toBe(2);
    await sup.stop();
    await it.return?.();
  });

  it('adds up the bad records of every probe process it ran', async () => {
    let runs = 0;
    const sup = superviseProbe({
      spawn: () => Object.assign(fakeProbe(++runs, 1), { badRecords: runs }),
      backoff: { initialMs: 10, maxMs: 20 },
    });
    let hellos = 0;
    for await (const r of sup.records) {
      if (r.type === 'hello' && ++hellos === 3) break;
    }
    // runs 1, 2 and 3 (ended when the loop left): 1 + 2 + 3
    expect(sup.badRecords).toBe(6);
    await sup.stop();
  });
});
