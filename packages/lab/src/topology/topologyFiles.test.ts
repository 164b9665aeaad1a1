import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultTopology } from './defaultTopology.js';
import { loadTopology } from './loadTopology.js';

describe('shipped topology files', () => {
  it('topologies/default.json is the default topology, as a starting point for your own', async () => {
    const file = fileURLToPath(new URL('../../topologies/default.json', import.meta.url));
    expect(await loadTopology(file)).toEqual(defaultTopology());
  });
});
