import { describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';
import { guardedTask } from './guardedTask.js';

describe('guardedTask', () => {
  it('counts and logs a failing round at a bounded rate, and runs the next one', () => {
    const lines: string[] = [];
    let errors = 0;
    let runs = 0;
    const task = guardedTask(
      'store prune',
      () => {
        runs++;
        if (runs % 2 === 1) throw new Error('boom');
      },
      { log: { warn: (_o, msg) => lines.push(msg) }, onError: () => errors++, now: () => 0 },
    );
    for (let i = 0; i < 100; i++) expect(() => task()).not.toThrow();
    expect(runs).toBe(100);
    expect(errors).toBe(50);
    expect(lines).toEqual(Array(3).fill('store prune failed; the server carries on'));
  });

  it("keeps the server's timers from ending the process when a round throws", async () => {
    const app = await buildApp(
      parseServerConfig({ WEFT_LOG_LEVEL: 'silent', WEFT_WEB_ROOT: '/nonexistent/wsv' }),
    );
    app.weft.store.pruneStep = () => {
      throw new Error('prune failed');
    };
    // The prune timer runs every second: wait for two failed rounds (an uncaught one would end vitest's worker).
    for (let i = 0; i < 400 && app.weft.metrics.timerErrors < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(app.weft.metrics.timerErrors).toBeGreaterThanOrEqual(2);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).body).toMatch(/^weft_server_timer_errors_total [1-9]/m);
    await app.close();
  });
});
