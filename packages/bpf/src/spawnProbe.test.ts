import { describe, expect, it } from 'vitest';
import { probeArgs, spawnProbe } from './spawnProbe.js';

describe('probeArgs', () => {
  it('maps options to loader flags, binary format first', () => {
    expect(
      probeArgs({
        ifaces: ['eth0', 'veth1'],
        ifacePrefixes: ['lxc'],
        intervalMs: 500,
        args: ['--tc-mode', 'clsact'],
      }),
    ).toEqual([
      '--format=binary',
      '--iface',
      'eth0',
      '--iface',
      'veth1',
      '--iface-prefix',
      'lxc',
      '--interval',
      '500',
      '--tc-mode',
      'clsact',
    ]);
  });

  it('rejects a bad interval before starting anything', () => {
    expect(() => probeArgs({ intervalMs: 1.5 })).toThrow(/intervalMs must be an integer >= 10, got 1.5/);
  });
});

describe('spawnProbe', () => {
  it('reports a missing binary on stderr with the build command, and exits', async () => {
    const p = spawnProbe({ binary: '/nonexistent/weft-probe' });
    const lines: string[] = [];
    for await (const l of p.stderr) lines.push(l);
    expect(lines.join('\n')).toMatch(
      /cannot start \/nonexistent\/weft-probe.*pnpm --filter @weft\/bpf build/,
    );
    expect(await p.exited).toEqual({ code: null, signal: null });
    await p.stop();
  });
});
