import { Inventory } from '@weft/protocol';
import { INVENTORY_JSON_SCHEMA } from '@weft/protocol/core';
import { Check, Errors } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { clusterInventory } from '../fixtures/clusterFixture.js';
import { schemaCheck } from './schemaCheck.js';

type Json = unknown;

/** Every path to a value inside `v` (objects and arrays included), root first. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...paths(x, [...at, i]));
  } else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function edit(
  root: Json,
  path: (string | number)[],
  f: (parent: Record<string | number, Json>, key: string | number) => void,
) {
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  f(parent, path[path.length - 1]!);
  return copy;
}

const REPLACEMENTS: Json[] = [
  null,
  0,
  1.5,
  -1,
  true,
  '',
  'x',
  'é'.repeat(64),
  'a'.repeat(254),
  [],
  ['a'],
  {},
  { a: 1 },
];

describe('schemaCheck (the Inventory schema)', () => {
  it('agrees with typebox on every single-field change of an inventory, and names a field typebox names', () => {
    const base = clusterInventory();
    base.pods[0]!.hostIfname = 'weft-a-0';
    let cases = 0;
    const variants: [string, Json][] = [['as is', base]];
    for (const p of paths(base)) {
      const at = `/${p.join('/')}`;
      if (p.length === 0) {
        for (const r of REPLACEMENTS) variants.push([`root = ${JSON.stringify(r)}`, r]);
        continue;
      }
      variants.push([
        `delete ${at}`,
        edit(base, p, (o, k) => {
          if (Array.isArray(o)) o.splice(Number(k), 1);
          else delete o[k];
        }),
      ]);
      for (const r of REPLACEMENTS)
        variants.push([
          `${at} = ${JSON.stringify(r)}`,
          edit(base, p, (o, k) => {
            o[k] = r;
          }),
        ]);
    }
    variants.push([
      'an unknown property',
      edit(base, ['pods', 0], (o, k) => {
        (o[k] as Record<string, Json>).extra = 1;
      }),
    ]);
    let invalid = 0;
    for (const [change, v] of variants) {
      cases++;
      // The plain schema the collector checks with, against typebox's verdict on its own schema.
      const ours = schemaCheck(INVENTORY_JSON_SCHEMA, v);
      const theirs = Check(Inventory, v);
      expect({ change, valid: ours === null, ours }).toMatchObject({ change, valid: theirs });
      if (ours) {
        invalid++;
        const named = Errors(Inventory, v).map((e) => e.instancePath);
        expect(named).toContain(ours.path);
      }
    }
    expect(cases).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(500);
  });

  it('checks a string against its pattern', () => {
    expect(schemaCheck({ type: 'string', pattern: '^[a-z]{1,3}$' }, 'abc')).toBeNull();
    expect(schemaCheck({ type: 'string', pattern: '^[a-z]{1,3}$' }, '../x')).toEqual({
      path: '',
      message: 'must match ^[a-z]{1,3}$',
    });
  });

  it('refuses a schema keyword it does not implement instead of ignoring it', () => {
    expect(() => schemaCheck({ type: 'string', format: 'uri' }, 'b')).toThrow(/unsupported keyword format/);
    expect(() => schemaCheck({ type: 'null' }, null)).toThrow(/unsupported type/);
  });

  it('escapes hostile keys in the path it reports', () => {
    const schema = { type: 'object', patternProperties: { '^.*$': { type: 'string' } } };
    expect(schemaCheck(schema, { 'a/b~c': 1 })).toEqual({ path: '/a~1b~0c', message: 'must be string' });
  });
});
