import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

type Validator = ReturnType<typeof Compile<TSchema>>;

interface Shape {
  type?: unknown;
  properties?: Record<string, TSchema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: unknown;
  maxItems?: number;
}

const compiled = new WeakMap<TSchema, Validator>();

function validator(schema: TSchema): Validator {
  let v = compiled.get(schema);
  if (!v) {
    v = Compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The first error of a value that failed `schema`'s check, as "<path> <message>". TypeBox's Errors()
 * walks the whole value in its interpreter and lists every error: for a 16 MiB frame of records each
 * slightly wrong that was seconds of the event loop (14 s of a 2-minute soak's 125). Here the compiled
 * checks of each property and each array item find the part that fails, and Errors() runs on that
 * part alone; an object's own missing or extra keys and an array over its length are named directly.
 */
export function firstSchemaError(schema: TSchema, value: unknown, path = ''): string {
  const s = schema as TSchema & Shape;
  if (s.type === 'object' && s.properties && isPlainObject(value)) {
    for (const key of s.required ?? [])
      if (!Object.hasOwn(value, key)) return `${path || '/'} must have required property '${key}'`;
    for (const [key, sub] of Object.entries(s.properties))
      if (Object.hasOwn(value, key) && !validator(sub).Check(value[key]))
        return firstSchemaError(sub, value[key], `${path}/${key}`);
    if (s.additionalProperties === false)
      for (const key of Object.keys(value))
        if (!Object.hasOwn(s.properties, key))
          return `${path || '/'} must not have additional properties (${JSON.stringify(key.slice(0, 40))})`;
  } else if (s.type === 'array' && Array.isArray(value)) {
    if (s.maxItems !== undefined && value.length > s.maxItems)
      return `${path || '/'} must not have more than ${s.maxItems} items`;
    if (isPlainObject(s.items)) {
      const item = validator(s.items as TSchema);
      for (let i = 0; i < value.length; i++)
        if (!item.Check(value[i])) return firstSchemaError(s.items as TSchema, value[i], `${path}/${i}`);
    }
  }
  const e = validator(schema).Errors(value)[0];
  if (!e) return `${path || '/'} does not match the schema`;
  return `${path}${e.instancePath}` === '' ? `/ ${e.message}` : `${path}${e.instancePath} ${e.message}`;
}
