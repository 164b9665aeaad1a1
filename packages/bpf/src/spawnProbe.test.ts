import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORD_VERSION } from './records.js';
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

async function fakeLoader(body: string[]): Promise<{ bin: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wpb-spawn-'));
  const js = join(dir, 'fake.cjs');
  const bin = join(dir, 'fake-probe');
  await writeFile(js, body.join('\n'));
  await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${js}"\n`, { mode: 0o755 });
  return { bin, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describe('spawnProbe exit', () => {
  it('resolves exited even when nobody reads the records', async () => {
    // more output than a pipe holds, then exit
    const { bin, cleanup } = await fakeLoader([
      'process.stdout.write(Buffer.alloc(1 << 20), () => process.exit(3));',
      'setTimeout(() => process.exit(3), 500);',
    ]);
    try {
      const p = spawnProbe({ binary: bin });
      expect(await p.exited).toEqual({ code: 3, signal: null });
    } finally {
      await cleanup();
    }
  });
});

describe('spawnProbe records', () => {
  it('stops the process when the reader leaves the loop', async () => {
    // a stand-in loader: ignores its flags, writes a stream header and one stats record, then waits
    const dir = await mkdtemp(join(tmpdir(), 'wpb-spawn-'));
    const js = join(dir, 'fake.cjs');
    const bin = join(dir, 'fake-probe');
    await writeFile(
      js,
      [
        'const b = Buffer.alloc(8 + 40);',
        `b.writeUInt32LE(0x54464557, 0); b.writeUInt16LE(${RECORD_VERSION}, 4); b.writeUInt16LE(8, 6);`,
        'b.writeUInt32LE(40, 8); b.writeUInt16LE(7, 12);',
        'process.stdout.write(b); setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${js}"\n`, { mode: 0o755 });
    try {
      const p = spawnProbe({ binary: bin, ifacePrefixes: ['x'] });
      const types: string[] = [];
      for await (const r of p.records) {
        types.push(r.type);
        break;
      }
      expect(types).toEqual(['stats']);
      expect(await p.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips a bad record, counts it and says so on stderr, and goes on with the next', async () => {
    // header, a flow record with address family 7, a stats record; then waits
    const { bin, cleanup } = await fakeLoader([
      'const b = Buffer.alloc(8 + 88 + 40);',
      `b.writeUInt32LE(0x54464557, 0); b.writeUInt16LE(${RECORD_VERSION}, 4); b.writeUInt16LE(8, 6);`,
      'b.writeUInt32LE(88, 8); b.writeUInt16LE(2, 12); b.writeUInt8(7, 8 + 52);',
      'b.writeUInt32LE(40, 96); b.writeUInt16LE(7, 100);',
      'process.stdout.write(b); setInterval(() => {}, 1000);',
    ]);
    try {
      const p = spawnProbe({ binary: bin });
      const types: string[] = [];
      for await (const r of p.records) {
        types.push(r.type);
        break;
      }
      expect(types).toEqual(['stats']);
      expect(p.badRecords).toBe(1);
      const lines: string[] = [];
      for await (const l of p.stderr) lines.push(l);
      expect(lines).toEqual(['weft-probe stream: skipped a bad record: record has unknown address family 7']);
    } finally {
      await cleanup();
    }
  });
});
