import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown } from '../lifecycle/labDown.js';
import { labUp } from '../lifecycle/labUp.js';
import { measureRates } from './measureRates.js';

const prefix = 'wlt';

describe('lab traffic rates', () => {
  beforeAll(async () => {
    await labDown({ prefix });
    await labUp({ prefix, scenario: 'clean' });
  });
  afterAll(async () => {
    await labDown({ prefix });
  });

  it('every generator, server port and the DNS server run within 10% of the configuration', async () => {
    // Let every agent's first second pass (connections, first lookups) before counting.
    await new Promise((r) => setTimeout(r, 2000));
    const report = await measureRates({ prefix }, 15_000);
    const table = report.figures.map(
      (f) => `${f.what}: ${f.measuredPerSec.toFixed(2)}/s for ${f.expectedPerSec}/s`,
    );
    // 2 frontends + 2 apis x 3 + prometheus x 3 generators (requests and bytes), 7 server ports, 1 DNS server.
    expect(report.figures.length).toBeGreaterThanOrEqual(15);
    expect(
      report.figures.filter((f) => Math.abs(f.error) > 0.1).map((f) => f.what),
      table.join('\n'),
    ).toEqual([]);
  }, 60_000);
});
