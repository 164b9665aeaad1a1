import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabFaults } from './labFaults.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-labfaults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('readLabFaults', () => {
  it('lists the faults on, and the built-in ones cleared', async () => {
    const s1 = {
      id: 's1',
      kind: 'policy-drop',
      from: 'production/legacy-worker',
      to: 'production/api',
      since: 5,
      origin: 'scenario',
    };
    const s4 = {
      id: 's4',
      kind: 'dns-nxdomain',
      name: 'recommendations.production.svc.cluster.local',
      since: 5,
      origin: 'scenario',
    };
    const f1 = { id: 'f1', kind: 'refused', target: 'production/db', port: 5432, since: 9 };
    const p = file('ok.json', JSON.stringify({ next: 2, faults: [s1, f1], scenario: [s1, s4] }));
    expect(await readLabFaults(p)).toEqual({
      faults: [
        {
          id: 's1',
          kind: 'policy-drop',
          detail: 'from=production/legacy-worker to=production/api',
          origin: 'scenario',
          since: 5,
        },
        { id: 'f1', kind: 'refused', detail: 'target=production/db port=5432', origin: 'user', since: 9 },
      ],
      cleared: [
        {
          id: 's4',
          kind: 'dns-nxdomain',
          detail: 'name=recommendations.production.svc.cluster.local',
          origin: 'scenario',
          since: 5,
        },
      ],
    });
  });

  it('says why when the file is missing, not JSON, too big or holds garbage, and keeps only sound entries', async () => {
    expect((await readLabFaults(join(dir, 'none.json'))).error).toMatch(/no lab is up/);
    expect((await readLabFaults(file('bad.json', '{"faults": ['))).error).toMatch(/not JSON/);
    expect((await readLabFaults(file('big.json', ' '.repeat(300 * 1024)))).error).toMatch(
      /over 262144 bytes/,
    );
    const hostile = {
      faults: [
        null,
        7,
        ['x'],
        { id: 'f1' },
        {
          id: 'f2',
          kind: 'dns-slow',
          name: { toString: 'x' },
          __proto__: { polluted: true },
          since: 'soon',
          origin: 'root',
        },
        { id: 'x'.repeat(1000), kind: 'refused', since: 1 },
      ],
      scenario: 'nope',
    };
    const s = await readLabFaults(file('hostile.json', JSON.stringify(hostile)));
    expect(s.cleared).toEqual([]);
    expect(s.faults.map((f) => [f.id.length, f.kind, f.detail, f.origin, f.since])).toEqual([
      [2, 'dns-slow', '', 'user', 0],
      [301, 'refused', '', 'user', 1],
    ]);
  });
});
