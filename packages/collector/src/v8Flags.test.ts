import { describe, expect, it } from 'vitest';
import { COLLECTOR_V8_FLAGS, missingV8Flags } from './v8Flags.js';

describe('missingV8Flags', () => {
  it('asks for every collector flag when Node was started without them', () => {
    expect(missingV8Flags([], undefined)).toEqual(COLLECTOR_V8_FLAGS);
    expect(missingV8Flags(['--enable-source-maps'], '--no-warnings')).toEqual(COLLECTOR_V8_FLAGS);
  });

  it('leaves out a flag set on the command line or in NODE_OPTIONS, whatever its value', () => {
    expect(missingV8Flags(['--max-semi-space-size=8'], '--v8-pool-size=2')).toEqual([
      '--max-old-space-size=128',
    ]);
    expect(missingV8Flags([], '--max-old-space-size=256  --max_semi_space_size=2 --v8-pool-size=4')).toEqual(
      [],
    );
    expect(
      missingV8Flags(['--max-old-space-size=64', '--v8-pool-size=1'], ' --max-semi-space-size=1 '),
    ).toEqual([]);
    expect(missingV8Flags(['--max-old-space-size=64'], ' --max-semi-space-size=1 ')).toEqual([
      '--v8-pool-size=1',
    ]);
  });

  it('names only heap and thread-pool flags Node accepts in NODE_OPTIONS, so the DaemonSet can set them there', () => {
    for (const f of COLLECTOR_V8_FLAGS) expect(f).toMatch(/^--(max-(old|semi)-space-size|v8-pool-size)=\d+$/);
  });
});
