import { type PackedBatch, packBatch } from '@weft/protocol';
import {
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
  hostileString,
  hostileValue,
  jsonPaths,
  mutateOne,
  PROTO_NAMES,
  RAW_NUMBERS,
  rawNumber,
  toText,
} from './hostileValues.js';
import type { Frame } from './ingestTarget.js';
import { FUZZ_NODE } from './ingestTarget.js';
import type { Prng } from './prng.js';
import { validBatches, validHello } from './validFrames.js';

/**
 * Ingest frames for the fuzz suite: a fixed corpus of known-bad shapes (each field of a valid batch given
 * each wrong type, every inherited name in every name field, extreme times and sequence numbers, garbage
 * and nesting), then random ones grown from it. Every batch starts a new endpoint table (base 0) and has
 * its own sequence number, so a valid-looking one is really stored rather than deduplicated.
 */
export class IngestFrames {
  private seq = 1;

  constructor(private readonly rng: Prng) {}

  /** A valid packed batch ending now: base `i`, or one picked at random. */
  base(i?: number): PackedBatch {
    const all = validBatches(Date.now(), this.seq++);
    // A deep copy: packing shares the fixtures' endpoint objects, which the mutations must not reach.
    return structuredClone(packBatch(i === undefined ? this.rng.pick(all) : all[i]!));
  }

  private frame(label: string, value: unknown): Frame {
    return { label, data: toText(value) };
  }

  /** The fixed corpus, in order: the known-bad frames first, then the generated families. */
  *corpus(): Generator<Frame> {
    for (const [label, spoil] of KNOWN_BAD) {
      const b = this.base(0);
      spoil(b);
      yield this.frame(label, b);
    }
    const validText = JSON.stringify(this.base());
    const raw: [string, string | Buffer][] = [
      ['empty frame', ''],
      ['space', ' '],
      ['null', 'null'],
      ['true', 'true'],
      ['zero', '0'],
      ['empty array', '[]'],
      ['empty object', '{}'],
      ['a string', '"batch"'],
      ['type only', '{"type":"batch"}'],
      ['hello again while streaming', JSON.stringify(validHello(FUZZ_NODE, 'again'))],
      ['10,000 [', '['.repeat(10_000)],
      ['10,000 nested arrays, closed', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
      ['10,000 nested objects, open', '{"a":'.repeat(10_000)],
      ['10,000 nested objects, closed', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
      ['a 64 KB string', JSON.stringify('x'.repeat(65_536))],
      ['invalid UTF-8 bytes', Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x22])],
      ['__proto__ holding a batch', `{"__proto__":${validText}}`],
      ['constructor.prototype pollution', '{"constructor":{"prototype":{"polluted":1}},"type":"batch"}'],
      ['batch with __proto__: null', `${validText.slice(0, -1)},"__proto__":null}`],
      ['truncated at 1', validText.slice(0, 1)],
      ['truncated in half', validText.slice(0, validText.length >> 1)],
      ['truncated by 1', validText.slice(0, -1)],
      ['two batches in one frame', `${validText}${validText}`],
    ];
    for (const [label, data] of raw) yield { label, data };

    // Each place of a valid batch given each wrong type; numbers also their edges, some only as text.
    // Base 0 (the lab's first node) holds every kind of record.
    const base = this.base(0);
    for (const path of jsonPaths(base, true).filter((p) => p.length > 0)) {
      const leaf = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], base);
      const values: unknown[] = [null, typeof leaf === 'string' ? 1 : 'x', {}];
      if (typeof leaf === 'number') values.push(...NUMBER_EDGES);
      for (const v of values) {
        const b = this.base(0);
        if (!setAt(b, path, v)) continue;
        yield this.frame(`batch.${path.join('.')} = ${toText(v)}`, b);
      }
    }

    // Every inherited name in every name field; the format breakers in the ones that reach text.
    for (const name of [...PROTO_NAMES, ...HOSTILE_STRINGS]) {
      const proto = PROTO_NAMES.includes(name);
      for (const field of ENDPOINT_FIELDS) {
        if (!proto && !TEXT_FIELDS.has(field)) continue;
        const b = this.base();
        const i = this.rng.int(b.endpoints.length);
        const e = b.endpoints[i] as unknown as Record<string, string>;
        e[field] = name.slice(0, ENDPOINT_LIMITS[field]);
        yield this.frame(`batch.endpoints.${i}.${field} = ${JSON.stringify(e[field]).slice(0, 80)}`, b);
      }
      for (const [kind, field, max] of RECORD_FIELDS) {
        if (!proto && !TEXT_FIELDS.has(field)) continue;
        const b = this.base();
        const list = b[kind] as unknown as Record<string, unknown>[];
        if (list.length === 0) continue;
        for (const r of list) r[field] = name.slice(0, max);
        yield this.frame(`batch.${kind}[*].${field} = ${JSON.stringify(name.slice(0, max)).slice(0, 80)}`, b);
      }
    }

    // Far past and future, and sequence numbers at the edges.
    const now = Date.now();
    for (const t of [
      0,
      -1,
      1,
      1e12,
      now - 365 * 86_400_000,
      now + 365 * 86_400_000,
      8.64e15,
      -8.64e15,
      1e300,
    ]) {
      const b = this.base();
      const d = t - b.end;
      b.start += d;
      b.end = t;
      b.flows.ts = b.flows.ts.map((x) => x + d);
      for (const kind of ['drops', 'tcp', 'tcpStats', 'dns'] as const) for (const r of b[kind]) r.ts += d;
      yield this.frame(`batch moved to end at ${t}`, b);
      const only = this.base();
      only.flows.ts = only.flows.ts.map(() => t);
      yield this.frame(`batch.flows.ts[*] = ${t} (start/end now)`, only);
    }
    for (const seq of [Number.MAX_SAFE_INTEGER, 2 ** 53, 1e308, 2 ** 32]) {
      const b = this.base();
      b.seq = seq;
      yield this.frame(`batch.seq = ${seq}`, b);
    }
    for (const lost of [Number.MAX_SAFE_INTEGER, 1e308]) {
      const b = this.base();
      b.lost = lost;
      yield this.frame(`batch.lost = ${lost}`, b);
    }
    for (const n of [Number.MAX_SAFE_INTEGER, 1e308, 2 ** 53]) {
      const b = this.base();
      b.flows.bytes = b.flows.bytes.map(() => n);
      b.flows.packets = b.flows.packets.map(() => n);
      for (const d of b.drops) d.packets = n;
      yield this.frame(`batch.flows.bytes/packets[*] and drops.packets = ${n}`, b);
      const lat = this.base();
      for (const q of lat.dns) q.latencyUs = n;
      for (const t of lat.tcpStats) t.srttUs = n;
      for (const t of lat.tcp) if (t.latencyUs !== undefined) t.latencyUs = n;
      yield this.frame(`batch.dns.latencyUs, tcpStats.srttUs, tcp.latencyUs = ${n}`, lat);
    }
  }

  /** One random frame, from any of the generators. */
  random(): Frame {
    const rng = this.rng;
    switch (rng.int(9)) {
      case 0: {
        const b = rng.bytes(rng.int(3000));
        return { label: `random bytes ${b.toString('hex').slice(0, 80)}`, data: b };
      }
      case 1: {
        const s = hostileString(rng);
        return { label: `text ${JSON.stringify(s).slice(0, 80)}`, data: s };
      }
      case 2: {
        const t = JSON.stringify(this.base());
        const cut = rng.int(t.length);
        return { label: `valid batch cut at ${cut}`, data: t.slice(0, cut) };
      }
      case 3:
      case 4: {
        const { value, mutation } = mutateOne(rng, this.base());
        return this.frame(
          `batch ${mutation.op} ${mutation.path.join('.')} ${toText(mutation.value ?? null).slice(0, 80)}`,
          value,
        );
      }
      case 5: {
        const b = this.base();
        const field = rng.pick(ENDPOINT_FIELDS);
        const s = hostileString(rng, ENDPOINT_LIMITS[field]);
        for (const e of b.endpoints) if (rng.chance(0.5)) (e as unknown as Record<string, string>)[field] = s;
        return this.frame(`batch.endpoints[some].${field} = ${JSON.stringify(s).slice(0, 80)}`, b);
      }
      case 6: {
        const b = this.base();
        const paths = jsonPaths(b).filter((p) => {
          const v = p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], b);
          return typeof v === 'number';
        });
        const path = rng.pick(paths);
        const v = rng.chance(0.5) ? rawNumber(rng.pick(RAW_NUMBERS)) : rng.pick(HOSTILE_NUMBERS);
        setAt(b, path, v);
        return this.frame(`batch.${path.join('.')} = ${toText(v)}`, b);
      }
      case 7: {
        const v = hostileValue(rng, 3);
        return this.frame(`value ${toText(v).slice(0, 80)}`, v);
      }
      default: {
        // A cardinality flood: every endpoint a new pod, every drop a new reason, every query a new name.
        const b = this.base();
        const tag = rng.int(1e9).toString(36);
        for (const e of b.endpoints) if (e.kind === 'pod') e.name = `${e.name.slice(0, 200)}-${tag}`;
        for (const d of b.drops) d.reason = `r_${tag}`;
        for (const q of b.dns) q.qname = `${tag}.${q.qname}`.slice(0, 255);
        return this.frame(`new names ${tag}`, b);
      }
    }
  }
}

/**
 * Frames that broke the server once (issue 12's fuzz run on b9acab0), replayed first on every run so a
 * fix stays fixed; each new finding's minimal frame is added here.
 */
const KNOWN_BAD: [string, (b: PackedBatch) => void][] = [
  // GET /api/v1/graph (every level) and /alerts answered 500: an inherited name as a drop reason.
  [
    'known bad: batch.drops[*].reason = "constructor"',
    (b) => {
      for (const d of b.drops) d.reason = 'constructor';
    },
  ],
  // Rates became Infinity (null in JSON) and /api/v1/timeseries answered 500.
  [
    'known bad: batch.flows.bytes[0] = 1e308',
    (b) => {
      b.flows.bytes[0] = 1e308;
    },
  ],
  // /api/v1/alerts answered 500, drop rates null.
  [
    'known bad: batch.drops[0].packets = 1e308',
    (b) => {
      if (b.drops[0]) b.drops[0].packets = 1e308;
    },
  ],
  // Acked, and taken as the boot's highest sequence: every later batch of that boot a "duplicate".
  [
    'known bad: batch.seq = 2^53 + 2',
    (b) => {
      b.seq = 2 ** 53 + 2;
    },
  ],
];

/** Number edges for every numeric field: text-only literals (NaN, 1e999, 2^53+1) and doubles. */
const NUMBER_EDGES = [
  rawNumber('NaN'),
  rawNumber('1e999'),
  rawNumber('9007199254740993'),
  rawNumber('-0'),
  -1,
  0.5,
  1e308,
];
/** Name fields that end up as text somewhere (labels, Mermaid, PromQL, JSON keys). */
const TEXT_FIELDS = new Set(['namespace', 'name', 'workload', 'node', 'reason', 'qname', 'rcode']);
const ENDPOINT_FIELDS = [
  'ip',
  'kind',
  'namespace',
  'name',
  'workloadKind',
  'workload',
  'service',
  'node',
] as const;
const ENDPOINT_LIMITS: Record<(typeof ENDPOINT_FIELDS)[number], number> = {
  ip: 64,
  kind: 64,
  namespace: 253,
  name: 253,
  workloadKind: 64,
  workload: 253,
  service: 253,
  node: 253,
};
const RECORD_FIELDS: [keyof PackedBatch, string, number][] = [
  ['drops', 'reason', 64],
  ['drops', 'kernelReason', 64],
  ['drops', 'dir', 64],
  ['dns', 'qname', 255],
  ['dns', 'qtype', 16],
  ['dns', 'rcode', 16],
  ['tcp', 'cause', 64],
];

/** Sets the value at `path` inside `root`; false when the path is not there. */
export function setAt(root: unknown, path: (string | number)[], value: unknown): boolean {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    o = o?.[k] as Record<string | number, unknown>;
    if (!o || typeof o !== 'object') return false;
  }
  const last = path[path.length - 1];
  if (last === undefined) return false;
  o[last] = value;
  return true;
}
