import type { Prng } from './prng.js';

/**
 * What hostile input is made of: names an object lookup inherits, strings that break text formats, and
 * numbers at the edges of what JSON and doubles hold. The fuzz files mix these into valid messages, one
 * field at a time, so a failure points at the field.
 */

/** Every property an object inherits (a `{}` used as a map answers these without being told them). */
export const PROTO_NAMES: readonly string[] = [
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  'length',
];

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '"}]\n# TYPE x counter\nx{a="1"} 1',
  '\u0000\u0001\u001f\u007f',
  '\r\n\r\n',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\u202egnp.exe',
  '\u200b',
  '🙂',
  '../../etc/passwd',
  '%00%0a',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text itself is the hostile value
  '${process.exit()}',
  "' OR 1=1 --",
  '\\',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  'null',
  'undefined',
  'a'.repeat(253),
  'a'.repeat(254),
  'é'.repeat(200),
  'x'.repeat(65_536),
];

export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  -0.5,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  8.64e15,
  -8.64e15,
  1e21,
  255,
  256,
  65_535,
  65_536,
  200_000,
];

/**
 * Number literals that only exist as JSON text (or that a double rounds: 2^53+1). `withRawNumber`
 * places one where a marker string was, since JSON.stringify cannot write them.
 */
export const RAW_NUMBERS: readonly string[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  '1e-400',
  '9007199254740993',
  '-0',
  '0x10',
  '01',
  '.5',
  '+1',
  '1.',
];

const RAW_MARK = '\u0000raw:';

/** A placeholder for a raw number literal; `toText` writes the literal in its place. */
export function rawNumber(literal: string): string {
  return `${RAW_MARK}${literal}\u0000`;
}

/** JSON text of `value`, with every `rawNumber` placeholder written as its bare literal. */
export function toText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"\\]*)\\u0000"/g, '$1');
}

/** A string that is hostile to something: inherited names, format breakers, or random code units. */
export function hostileString(rng: Prng, maxLength = Number.POSITIVE_INFINITY): string {
  const r = rng.next();
  let s: string;
  if (r < 0.35) s = rng.pick(PROTO_NAMES);
  else if (r < 0.8) s = rng.pick(HOSTILE_STRINGS);
  else {
    const n = rng.int(40);
    const units: number[] = [];
    for (let i = 0; i < n; i++) units.push(rng.chance(0.2) ? 0xd800 + rng.int(0x800) : rng.int(0x3000));
    s = String.fromCharCode(...units);
  }
  return s.length > maxLength ? s.slice(0, maxLength) : s;
}

/** Any JSON value, hostile leaning, at most `depth` levels deep. */
export function hostileValue(rng: Prng, depth = 2): unknown {
  switch (rng.int(depth > 0 ? 10 : 7)) {
    case 0:
      return hostileString(rng);
    case 1:
      return rng.pick(HOSTILE_NUMBERS);
    case 2:
      return rawNumber(rng.pick(RAW_NUMBERS));
    case 3:
      return null;
    case 4:
      return rng.chance(0.5);
    case 5:
      return rng.int(1000);
    case 6:
      return rng.chance(0.5) ? [] : {};
    case 7:
      return Array.from({ length: rng.int(4) }, () => hostileValue(rng, depth - 1));
    case 8: {
      const o: Record<string, unknown> = {};
      // Assigned with defineProperty: `__proto__` becomes an own key, as JSON.parse makes it.
      for (let i = rng.int(4); i > 0; i--)
        Object.defineProperty(o, hostileString(rng, 40), {
          value: hostileValue(rng, depth - 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return o;
    }
    default:
      return hostileString(rng, 253);
  }
}

/**
 * The place of every value inside a JSON value (the root is `[]`). Of an array, only the first entry
 * stands for the rest with `firstOnly` (every field once); else the first, middle and last.
 */
export function jsonPaths(
  value: unknown,
  firstOnly = false,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    const n = value.length;
    const idx = firstOnly ? (n > 0 ? [0] : []) : n <= 3 ? [...value.keys()] : [0, n >> 1, n - 1];
    for (const i of idx) jsonPaths(value[i], firstOnly, [...prefix, i], out);
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value))
      jsonPaths((value as Record<string, unknown>)[k], firstOnly, [...prefix, k], out);
  }
  return out;
}

export type Mutation = { path: (string | number)[]; op: 'replace' | 'delete' | 'extra'; value?: unknown };

/**
 * A deep copy of `base` with one change at one place: the value replaced by a hostile one, the key
 * removed, or an extra (often inherited-named) key added beside it. Returns the change too, to name it.
 */
export function mutateOne(rng: Prng, base: unknown): { value: unknown; mutation: Mutation } {
  const copy = structuredClone(base);
  const paths = jsonPaths(copy).filter((p) => p.length > 0);
  const path = rng.pick(paths);
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  const r = rng.next();
  if (r < 0.1 && !Array.isArray(parent)) {
    delete parent[key];
    return { value: copy, mutation: { path, op: 'delete' } };
  }
  if (r < 0.2 && !Array.isArray(parent)) {
    const extra = rng.chance(0.5) ? rng.pick(PROTO_NAMES) : hostileString(rng, 40);
    const value = hostileValue(rng);
    Object.defineProperty(parent, extra, { value, enumerable: true, writable: true, configurable: true });
    return { value: copy, mutation: { path: [...path.slice(0, -1), extra], op: 'extra', value } };
  }
  const value = hostileValue(rng);
  parent[key] = value;
  return { value: copy, mutation: { path, op: 'replace', value } };
}

/** A short, printable account of a value for a failure message. */
export function describe(value: unknown, max = 300): string {
  const s =
    typeof value === 'string' ? value : Buffer.isBuffer(value) ? `<${value.length} bytes>` : toText(value);
  const text = JSON.stringify(s.length > max ? `${s.slice(0, max)}...(${s.length} chars)` : s);
  return text ?? String(value);
}
