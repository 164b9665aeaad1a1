import { describe, expect, it } from 'vitest';
import { COLLECTOR_NODE_FLAGS, missingNodeFlags } from './nodeFlags.js';

describe('missingNodeFlags', () => {
  it('asks for every collector flag when Node was started without them', () => {
    expect(missingNodeFlags([], undefined)).toEqual(COLLECTOR_NODE_FLAGS);
    expect(missingNodeFlags(['--enable-source-maps'], '--no-warnings')).toEqual(COLLECTOR_NODE_FLAGS);
  });

  it('leaves out a flag set on the command line or in NODE_OPTIONS, whatever its value', () => {
    expect(missingNodeFlags(['--max-semi-space-size=8'], '--v8-pool-size=2')).toEqual([
      '--max-old-space-size=128',
    ]);
    expect(
      missingNodeFlags([], '--max-old-space-size=256  --max_semi_space_size=2 --v8-pool-size=4'),
    ).toEqual([]);
    expect(
      missingNodeFlags(['--max-old-space-size=64', '--v8-pool-size=1'], ' --max-semi-space-size=1 '),
    ).toEqual([]);
    expect(missingNodeFlags(['--max-old-space-size=64'], ' --max-semi-space-size=1 ')).toEqual([
      '--v8-pool-size=1',
    ]);
  });

  it('names only heap and thread-pool flags Node accepts in NODE_OPTIONS, so the DaemonSet can set them there', () => {
    for (const f of COLLECTOR_NODE_FLAGS)
      expect(f).toMatch(/^--(max-(old|semi)-space-size|v8-pool-size)=\d+$/);
  });
});
