import * as k8s from '@kubernetes/client-node';

interface Attribute {
  baseName: string;
  type: string;
}
type ModelClass = { attributeTypeMap?: Attribute[] };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

/** Types whose values have no fields of their own to check. */
const LEAVES = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

/** `apps/v1` + `DaemonSet` -> `V1DaemonSet`, the name @kubernetes/client-node gives the model. */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop() ?? '';
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

export function hasModel(apiVersion: string, kind: string): boolean {
  return models[modelName(apiVersion, kind)]?.attributeTypeMap !== undefined;
}

/**
 * Paths of fields the Kubernetes API does not define, found by walking the object along the API's
 * own type map (the generated client's). JSON-schema validators of Kubernetes objects allow extra
 * properties, and the API server drops unknown fields with at most a warning: a misspelt
 * `readOnlyRootFileSystem` would silently do nothing. This catches it.
 */
export function unknownFields(value: unknown, type: string, path = ''): string[] {
  if (value === null || value === undefined || LEAVES.has(type)) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((v, i) => unknownFields(v, array[1]!, `${path}[${i}]`));
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.entries(value).flatMap(([k, v]) =>
      unknownFields(v, map[1]!, `${path}[${JSON.stringify(k)}]`),
    );
  }
  const attributes = models[type]?.attributeTypeMap;
  if (!attributes) throw new Error(`no API model named ${type} (at ${path || 'the root'})`);
  if (typeof value !== 'object' || Array.isArray(value)) return [];
  const byName = new Map(attributes.map((a) => [a.baseName, a.type]));
  const problems: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const t = byName.get(k);
    const p = path ? `${path}.${k}` : k;
    if (t === undefined) problems.push(p);
    else problems.push(...unknownFields(v, t, p));
  }
  return problems;
}
