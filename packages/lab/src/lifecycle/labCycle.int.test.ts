import { afterAll, describe, expect, it } from 'vitest';
import { hostSnapshot, smallTopology } from '../fixtures/host.js';
import { labDown } from './labDown.js';
import { labStatus } from './labStatus.js';
import { labUp } from './labUp.js';

const prefix = 'wltc';

describe('lab up/down cycles', () => {
  afterAll(async () => {
    await labDown({ prefix });
  });

  it('ten times up then down leaves the host as it was', async () => {
    await labDown({ prefix });
    const before = await hostSnapshot(prefix);
    for (let i = 0; i < 10; i++) {
      const lab = await labUp({ prefix, topology: smallTopology(), scenario: 'clean' });
      const during = await hostSnapshot(prefix);
      // The snapshot sees the lab while it is up, so an empty diff afterwards means something.
      expect(during.stateDir).toBe(true);
      expect(during.netns).toHaveLength(3);
      expect(during.links).toHaveLength(5);
      expect(during.nft.length).toBeGreaterThan(0);
      expect(during.ps.length).toBeGreaterThanOrEqual(3);
      const status = await labStatus({ prefix });
      expect(status.up && status.agents.every((a) => a.running)).toBe(true);
      const down = await lab.down();
      expect(down.wasUp).toBe(true);
      expect(await hostSnapshot(prefix)).toEqual(before);
    }
  }, 600_000);
});
