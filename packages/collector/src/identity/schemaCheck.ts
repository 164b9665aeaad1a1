/**
 * Checks a value against the JSON Schema subset the protocol's Inventory schema is written in, reading
 * the protocol's own schema object. `typebox/value` would do the same but costs ~6-8 MB of resident
 * memory in every collector for one file read at start and on change (bench/collector/RESULTS.md).
 * A keyword outside the subset throws, so a schema change the checker does not understand fails loudly
 * (in the tests, which also hold it to typebox's verdicts) instead of being ignored.
 */

export interface SchemaError {
  /** JSON pointer of the offending value ('' is the root). */
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['description', 'title', '$id', 'default', 'examples']);
const KNOWN = new Set([
  'type',
  'const',
  'required',
  'properties',
  'patternProperties',
  'items',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
]);

const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function typeError(type: unknown, v: unknown): string | null {
  switch (type) {
    case 'object':
      return isObject(v) ? null : 'must be object';
    case 'array':
      return Array.isArray(v) ? null : 'must be array';
    case 'string':
      return typeof v === 'string' ? null : 'must be string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'must be number';
    case 'integer':
      return Number.isInteger(v) ? null : 'must be integer';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be boolean';
    case undefined:
      return null;
    default:
      throw new Error(`schemaCheck: unsupported type ${JSON.stringify(type)}`);
  }
}

/** The first error, depth first in the order the schema lists properties; null when the value fits. */
export function schemaCheck(schema: object, value: unknown, path = ''): SchemaError | null {
  const s = schema as Schema;
  for (const k of Object.keys(s)) {
    if (!KNOWN.has(k) && !ANNOTATIONS.has(k)) throw new Error(`schemaCheck: unsupported keyword ${k}`);
  }
  const fail = (message: string, at = path): SchemaError => ({ path: at, message });

  const te = typeError(s.type, value);
  if (te) return fail(te);
  if ('const' in s && value !== s.const) return fail(`must be equal to constant ${JSON.stringify(s.const)}`);

  if (typeof value === 'string') {
    // JSON Schema lengths count code points, not UTF-16 units.
    const len = [...value].length;
    if (typeof s.minLength === 'number' && len < s.minLength)
      return fail(`must not have fewer than ${s.minLength} characters`);
    if (typeof s.maxLength === 'number' && len > s.maxLength)
      return fail(`must not have more than ${s.maxLength} characters`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      return fail(`must match ${s.pattern}`);
  }

  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      return fail(`must not have fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      return fail(`must not have more than ${s.maxItems} items`);
    if (isObject(s.items)) {
      for (let i = 0; i < value.length; i++) {
        const e = schemaCheck(s.items, value[i], pointer(path, i));
        if (e) return e;
      }
    }
  }

  if (isObject(value)) {
    if (Array.isArray(s.required)) {
      for (const k of s.required as string[]) {
        if (!Object.hasOwn(value, k)) return fail(`must have required property '${k}'`);
      }
    }
    const props = isObject(s.properties) ? s.properties : {};
    for (const [k, ps] of Object.entries(props)) {
      if (!Object.hasOwn(value, k)) continue;
      const e = schemaCheck(ps as object, value[k], pointer(path, k));
      if (e) return e;
    }
    if (isObject(s.patternProperties)) {
      for (const [pattern, ps] of Object.entries(s.patternProperties)) {
        const re = new RegExp(pattern, 'u');
        for (const [k, v] of Object.entries(value)) {
          if (!re.test(k)) continue;
          const e = schemaCheck(ps as object, v, pointer(path, k));
          if (e) return e;
        }
      }
    }
  }
  return null;
}
