import { parseAllDocuments } from 'yaml';
import { cidrWithin, parseCidr } from './cidr.js';
import type {
  IpBlock,
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyProtocol,
  PolicyRule,
  PolicyType,
  SelectorRequirement,
} from './networkPolicy.js';
import { PolicyError } from './policyError.js';

export interface ParseOptions {
  /** Namespace of policies whose metadata names none (kubectl's current namespace). Default `default`. */
  defaultNamespace?: string;
  /** Names the input in errors (a file name). */
  source?: string;
}

/** A problem at a field path inside one document. */
class FieldError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
const METADATA_IGNORED = [
  'labels',
  'annotations',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function object(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new FieldError(path, `must be a mapping, not ${describe(v)}`);
  return v;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(path, `must be a list, not ${describe(v)}`);
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new FieldError(path, `must be a string, not ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function onlyKeys(o: Obj, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k))
      throw new FieldError(
        path ? `${path}.${k}` : k,
        `unknown or unsupported field (allowed here: ${allowed.join(', ')})`,
      );
}

function labelKey(k: string, path: string): string {
  const slash = k.indexOf('/');
  const prefix = slash < 0 ? '' : k.slice(0, slash);
  const name = slash < 0 ? k : k.slice(slash + 1);
  const ok =
    (slash < 0 || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) &&
    name.length <= 63 &&
    LABEL_NAME.test(name);
  if (!ok) throw new FieldError(path, `"${k}" is not a valid label key`);
  return k;
}

function labelValue(v: unknown, path: string): string {
  const s = string(v, path);
  if (s !== '' && !(s.length <= 63 && LABEL_NAME.test(s)))
    throw new FieldError(path, `"${s}" is not a valid label value`);
  return s;
}

function selector(v: unknown, path: string): LabelSelector {
  const o = v === null ? {} : object(v, path);
  onlyKeys(o, ['matchLabels', 'matchExpressions'], path);
  const matchLabels: Record<string, string> = {};
  if (o.matchLabels !== undefined && o.matchLabels !== null) {
    const m = object(o.matchLabels, `${path}.matchLabels`);
    for (const [k, val] of Object.entries(m)) {
      const p = `${path}.matchLabels.${k}`;
      matchLabels[labelKey(k, p)] = labelValue(val, p);
    }
  }
  const matchExpressions = list(o.matchExpressions, `${path}.matchExpressions`).map(
    (e, i): SelectorRequirement => {
      const p = `${path}.matchExpressions[${i}]`;
      const r = object(e, p);
      onlyKeys(r, ['key', 'operator', 'values'], p);
      const key = labelKey(string(r.key, `${p}.key`), `${p}.key`);
      const operator = string(r.operator, `${p}.operator`);
      const values = list(r.values, `${p}.values`).map((x, j) => labelValue(x, `${p}.values[${j}]`));
      if (operator === 'In' || operator === 'NotIn') {
        if (values.length === 0) throw new FieldError(`${p}.values`, `must not be empty for ${operator}`);
      } else if (operator === 'Exists' || operator === 'DoesNotExist') {
        if (values.length > 0) throw new FieldError(`${p}.values`, `must be empty for ${operator}`);
      } else
        throw new FieldError(`${p}.operator`, `"${operator}" is not one of In, NotIn, Exists, DoesNotExist`);
      return { key, operator, values };
    },
  );
  return { matchLabels, matchExpressions };
}

function cidrOf(v: unknown, path: string) {
  const text = string(v, path);
  const c = parseCidr(text);
  if (!c || !text.includes('/'))
    throw new FieldError(path, `"${text}" is not a CIDR (like 10.0.0.0/8 or fd00::/64)`);
  return c;
}

function ipBlock(v: unknown, path: string): IpBlock {
  const o = object(v, path);
  onlyKeys(o, ['cidr', 'except'], path);
  const cidr = cidrOf(o.cidr, `${path}.cidr`);
  const except = list(o.except, `${path}.except`).map((e, i) => {
    const p = `${path}.except[${i}]`;
    const x = cidrOf(e, p);
    if (!cidrWithin(x, cidr) || x.len === cidr.len)
      throw new FieldError(p, `"${x.text}" must be a strict subset of cidr ${cidr.text}`);
    return x.text;
  });
  return { cidr: cidr.text, except };
}

function peer(v: unknown, path: string): PolicyPeer {
  const o = object(v, path);
  onlyKeys(o, ['podSelector', 'namespaceSelector', 'ipBlock'], path);
  const has = (k: string) => o[k] !== undefined;
  if (!has('podSelector') && !has('namespaceSelector') && !has('ipBlock'))
    throw new FieldError(path, 'must have podSelector, namespaceSelector or ipBlock');
  if (has('ipBlock') && (has('podSelector') || has('namespaceSelector')))
    throw new FieldError(`${path}.ipBlock`, 'may not be combined with podSelector or namespaceSelector');
  const out: PolicyPeer = {};
  if (has('podSelector')) out.podSelector = selector(o.podSelector, `${path}.podSelector`);
  if (has('namespaceSelector'))
    out.namespaceSelector = selector(o.namespaceSelector, `${path}.namespaceSelector`);
  if (has('ipBlock')) out.ipBlock = ipBlock(o.ipBlock, `${path}.ipBlock`);
  return out;
}

function port(v: unknown, path: string): PolicyPort {
  const o = object(v, path);
  onlyKeys(o, ['protocol', 'port', 'endPort'], path);
  const protocol =
    o.protocol === undefined || o.protocol === null ? 'TCP' : string(o.protocol, `${path}.protocol`);
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP')
    throw new FieldError(`${path}.protocol`, `"${protocol}" is not one of TCP, UDP, SCTP`);
  const out: PolicyPort = { protocol: protocol as PolicyProtocol };
  if (o.port !== undefined && o.port !== null) {
    const p = o.port;
    if (typeof p === 'number') {
      if (!Number.isInteger(p) || p < 1 || p > 65535)
        throw new FieldError(`${path}.port`, `${p} is not a port number (1-65535)`);
      out.port = p;
    } else if (typeof p === 'string') {
      if (/^\d+$/.test(p) || p.length > 15 || !PORT_NAME.test(p) || p.includes('--'))
        throw new FieldError(`${path}.port`, `"${p}" is not a port name (IANA_SVC_NAME) or number`);
      out.port = p;
    } else throw new FieldError(`${path}.port`, `must be a number or a port name, not ${describe(p)}`);
  }
  if (o.endPort !== undefined && o.endPort !== null) {
    const e = o.endPort;
    if (typeof e !== 'number' || !Number.isInteger(e) || e < 1 || e > 65535)
      throw new FieldError(`${path}.endPort`, `${describe(e)} is not a port number (1-65535)`);
    if (typeof out.port !== 'number') throw new FieldError(`${path}.endPort`, 'needs a numeric port');
    if (e < out.port) throw new FieldError(`${path}.endPort`, `${e} is less than port ${out.port}`);
    out.endPort = e;
  }
  return out;
}

function rule(v: unknown, path: string, peerKey: 'from' | 'to'): PolicyRule {
  const o = v === null ? {} : object(v, path);
  onlyKeys(o, [peerKey, 'ports'], path);
  return {
    peers: list(o[peerKey], `${path}.${peerKey}`).map((p, i) => peer(p, `${path}.${peerKey}[${i}]`)),
    ports: list(o.ports, `${path}.ports`).map((p, i) => port(p, `${path}.ports[${i}]`)),
  };
}

function policy(
  doc: Obj,
  defaultNamespace: string,
  named: (ns: string, name: string) => void,
): NetworkPolicy {
  onlyKeys(doc, ['apiVersion', 'kind', 'metadata', 'spec'], '');
  const meta = object(doc.metadata, 'metadata');
  onlyKeys(meta, ['name', 'namespace', ...METADATA_IGNORED], 'metadata');
  const name = string(meta.name, 'metadata.name');
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name))
    throw new FieldError('metadata.name', `"${name}" is not a valid name (DNS subdomain)`);
  const namespace =
    meta.namespace === undefined ? defaultNamespace : string(meta.namespace, 'metadata.namespace');
  if (namespace.length > 63 || !DNS_LABEL.test(namespace))
    throw new FieldError('metadata.namespace', `"${namespace}" is not a valid namespace name`);
  named(namespace, name);
  const spec = object(doc.spec, 'spec');
  onlyKeys(spec, ['podSelector', 'policyTypes', 'ingress', 'egress'], 'spec');
  if (spec.podSelector === undefined)
    throw new FieldError('spec.podSelector', 'is required ({} selects every pod of the namespace)');
  const podSelector = selector(spec.podSelector, 'spec.podSelector');
  const ingress = list(spec.ingress, 'spec.ingress').map((r, i) => rule(r, `spec.ingress[${i}]`, 'from'));
  const egress = list(spec.egress, 'spec.egress').map((r, i) => rule(r, `spec.egress[${i}]`, 'to'));
  let policyTypes: PolicyType[];
  if (spec.policyTypes === undefined || spec.policyTypes === null) {
    // Kubernetes' defaulting: every policy affects ingress; egress only when it has egress rules.
    policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  } else {
    policyTypes = list(spec.policyTypes, 'spec.policyTypes').map((t, i) => {
      const p = `spec.policyTypes[${i}]`;
      const s = string(t, p);
      if (s !== 'Ingress' && s !== 'Egress') throw new FieldError(p, `"${s}" is not Ingress or Egress`);
      return s;
    });
    if (policyTypes.length === 0) throw new FieldError('spec.policyTypes', 'must not be empty');
    if (new Set(policyTypes).size !== policyTypes.length)
      throw new FieldError('spec.policyTypes', 'lists a type twice');
  }
  return { namespace, name, podSelector, policyTypes, ingress, egress };
}

/** The NetworkPolicies (or NetworkPolicyLists / Lists of them) of one YAML document. */
function documentPolicies(
  value: unknown,
  defaultNamespace: string,
  where: string,
  problems: string[],
): NetworkPolicy[] {
  const out: NetworkPolicy[] = [];
  const one = (v: unknown, label: string) => {
    // Named before it is checked, so even a top-level error says which policy it is about.
    const meta = isObj(v) && isObj(v.metadata) ? v.metadata : {};
    let named =
      typeof meta.name === 'string'
        ? ` (${typeof meta.namespace === 'string' ? meta.namespace : defaultNamespace}/${meta.name})`
        : '';
    try {
      const doc = object(v, '');
      const apiVersion = doc.apiVersion;
      if (apiVersion !== 'networking.k8s.io/v1')
        throw new FieldError('apiVersion', `${describe(apiVersion)}: only networking.k8s.io/v1 is supported`);
      if (doc.kind !== 'NetworkPolicy')
        throw new FieldError('kind', `${describe(doc.kind)}: only NetworkPolicy is supported`);
      out.push(
        policy(doc, defaultNamespace, (ns, name) => {
          named = ` (${ns}/${name})`;
        }),
      );
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      problems.push(`${label}${named}: ${err.path ? `${err.path}: ` : ''}${err.message}`);
    }
  };
  if (isObj(value) && (value.kind === 'List' || value.kind === 'NetworkPolicyList')) {
    try {
      onlyKeys(value, ['apiVersion', 'kind', 'metadata', 'items'], '');
      for (const [i, item] of list(value.items, 'items').entries()) one(item, `${where}, items[${i}]`);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      problems.push(`${where}: ${err.path}: ${err.message}`);
    }
  } else one(value, where);
  return out;
}

/**
 * Every NetworkPolicy of a YAML text (one or many `---` documents; Lists too), checked strictly: an
 * unknown field, a malformed value or a YAML error is a PolicyError naming the document and the field
 * path, and then nothing is returned, so a caller applies all or nothing.
 */
export function parsePolicies(text: string, opts: ParseOptions = {}): NetworkPolicy[] {
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  const src = opts.source ? `${opts.source}: ` : '';
  const problems: string[] = [];
  const out: NetworkPolicy[] = [];
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) {
    // Only an empty stream yields a non-array (an EmptyStream).
    throw new PolicyError(`${src}no NetworkPolicy found`);
  }
  docs.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0] ? ` at line ${e.linePos[0].line}` : '';
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      problems.push(`${where}: malformed YAML${line}: ${message}`);
      return;
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) return;
    out.push(...documentPolicies(value, defaultNamespace, where, problems));
  });
  const seen = new Set<string>();
  for (const p of out) {
    const key = `${p.namespace}/${p.name}`;
    if (seen.has(key)) problems.push(`${key} is given twice`);
    seen.add(key);
  }
  if (problems.length > 0) throw new PolicyError(`${src}${problems.join('; ')}`);
  if (out.length === 0) throw new PolicyError(`${src}no NetworkPolicy found`);
  return out;
}
