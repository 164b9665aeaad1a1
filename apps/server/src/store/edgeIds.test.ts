import { describe, expect, it } from 'vitest';
import { EdgeIds } from './edgeIds.js';

describe('EdgeIds', () => {
  it('gives the same string again for the same nodes, and a new one when a number names another node', () => {
    const ids = new EdgeIds();
    const a = 'wl:ns/a';
    const b = 'wl:ns/b';
    const first = ids.get(1, 0, 3, 4, a, b);
    expect(first).toBe('wl:ns/a->wl:ns/b');
    expect(ids.get(1, 0, 3, 4, a, b)).toBe(first);
    // Number 4 freed and given to another node: its id, not the one kept.
    expect(ids.get(1, 0, 3, 4, a, 'wl:ns/c')).toBe('wl:ns/a->wl:ns/c');
    // Another level with the same numbers, and a new generation, are other keys.
    expect(ids.get(2, 0, 3, 4, 'pod:ns/a-0', 'pod:ns/b-0')).toBe('pod:ns/a-0->pod:ns/b-0');
    expect(ids.get(1, 1, 3, 4, 'wl:ns/x', 'wl:ns/y')).toBe('wl:ns/x->wl:ns/y');
    expect(ids.size).toBe(1);
    // Numbers past the cached span are made each time, right all the same.
    expect(ids.get(1, 1, 2 ** 21, 0, 'ns:p', 'ns:q')).toBe('ns:p->ns:q');
  });

  it('starts over past its bound rather than growing', () => {
    const ids = new EdgeIds();
    for (let n = 0; n < 20_000; n++)
      expect(ids.get(0, 0, n, n + 1, `ns:${n}`, `ns:${n + 1}`)).toBe(`ns:${n}->ns:${n + 1}`);
    expect(ids.size).toBeLessThanOrEqual(16_384);
  });
});
