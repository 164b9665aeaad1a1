/**
 * Fuzzing the binary record decoder (the reader spawnProbe and so the collector use) with seeded
 * streams: valid records of every type mixed with records whose content is invalid, random records,
 * corrupt length prefixes, cut streams, flipped bits, and --format=json lines (which this reader must
 * refuse with a hint, whole or spliced in), pushed in random chunks. FUZZ_SEED=<n> replays a run; a
 * failure names its seed and case.
 */
import { ProbeRecord } from '@weft/protocol';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { decodeRecord, MAX_RECORD_BYTES, ProbeStreamError, RECORD_LAYOUT, RecordDecoder } from './records.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const CASES = 1000;
const L = RECORD_LAYOUT.records;
const T = RECORD_LAYOUT.types;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => u32() / 2 ** 32;
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const bytes = (n: number): Buffer => {
    const b = Buffer.alloc(n + 3);
    for (let i = 0; i < n; i += 4) b.writeUInt32LE(u32(), i);
    return b.subarray(0, n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  return { next, int, bytes, pick };
}
type Rng = ReturnType<typeof prng>;

function streamHeader(): Buffer {
  const b = Buffer.alloc(L.stream_header.size);
  b.writeUInt32LE(RECORD_LAYOUT.magic, L.stream_header.magic);
  b.writeUInt16LE(RECORD_LAYOUT.version, L.stream_header.version);
  b.writeUInt16LE(L.stream_header.size, L.stream_header.hdr_size);
  return b;
}

function frame(type: number, size: number, rng: Rng): Buffer {
  const b = rng.bytes(size); // every byte random first: padding, string tails, counters
  b.writeUInt32LE(size, L.header.len);
  b.writeUInt16LE(type, L.header.type);
  b.writeBigUInt64LE(BigInt(rng.int(0, 2 ** 48)), L.header.ts_ms);
  return b;
}

const FAMILIES = [2, 10];
type Kind = Exclude<keyof typeof T, never>;
const KINDS = Object.keys(T) as Kind[];

/** A record a loader could write: random values wherever the format allows any. */
function validRecord(rng: Rng, kind: Kind = rng.pick(KINDS)): Buffer {
  const b = frame(T[kind], L[kind].size, rng);
  const family = (off: number) => b.writeUInt8(rng.pick(FAMILIES), off);
  switch (kind) {
    case 'flow':
    case 'drop':
    case 'tcp_stats':
      family(L[kind].family);
      break;
    case 'tcp':
      family(L.tcp.family);
      b.writeUInt8(rng.int(1, 2), L.tcp.event);
      b.writeUInt8(rng.int(0, 3), L.tcp.cause);
      break;
    case 'dns': {
      family(L.dns.family);
      const n = rng.int(0, 8);
      b.writeUInt8(n, L.dns.naddrs);
      for (let i = 0; i < n; i++) {
        const at = L.dns.addrs + i * L.dns_addr.size;
        family(at + L.dns_addr.family);
        b.writeUInt32LE(rng.int(0, 0x7fffffff), at + L.dns_addr.ttl);
      }
      break;
    }
    case 'link':
      b.writeUInt8(rng.int(1, 3), L.link.event);
      break;
  }
  return b;
}

/** A well-framed record of a known type whose content no loader writes: it must be skipped. */
function invalidRecord(rng: Rng): Buffer {
  const withFamily = ['flow', 'drop', 'tcp', 'tcp_stats', 'dns'] as const;
  switch (rng.int(0, 3)) {
    case 0: {
      const kind = rng.pick(KINDS);
      // stats and dns records grew: a loader from before ends them at the first appended field
      const short =
        kind === 'stats' ? L.stats.dns_mismatch - 1 : kind === 'dns' ? L.dns.naddrs - 1 : L[kind].size - 1;
      return frame(T[kind], rng.int(L.header.size, short), rng);
    }
    case 1: {
      const kind = rng.pick(withFamily);
      const b = validRecord(rng, kind);
      let fam = rng.int(0, 255);
      while (FAMILIES.includes(fam)) fam = rng.int(0, 255);
      b.writeUInt8(fam, L[kind].family);
      return b;
    }
    case 3: {
      // a DNS record's addresses: too many, one of an unknown family, a TTL past 31 bits
      const b = validRecord(rng, 'dns');
      const n = b.readUInt8(L.dns.naddrs);
      const at = L.dns.addrs + rng.int(0, Math.max(0, n - 1)) * L.dns_addr.size;
      const how = n === 0 ? 0 : rng.int(0, 2);
      if (how === 0) b.writeUInt8(rng.int(9, 255), L.dns.naddrs);
      else if (how === 1) b.writeUInt8(rng.pick([0, 1, 3, 11, 255]), at + L.dns_addr.family);
      else b.writeUInt32LE(rng.int(0x80000000, 0xffffffff), at + L.dns_addr.ttl);
      return b;
    }
    default: {
      const b = validRecord(rng, 'link');
      b.writeUInt8(rng.pick([0, 4, 99, 255]), L.link.event);
      return b;
    }
  }
}

/** Any type number, any length a frame allows, random content. */
function randomRecord(rng: Rng): Buffer {
  const type = rng.next() < 0.7 ? rng.int(1, 8) : rng.int(0, 0xffff);
  return frame(type, rng.int(L.header.size, 600), rng);
}

/** What the decoder gives for one record on its own: a record, nothing (unknown type) or a skip. */
function alone(rec: Buffer): ProbeRecord[] | 'skip' {
  try {
    const r = decodeRecord(rec);
    return r ? [r] : [];
  } catch (err) {
    if (err instanceof ProbeStreamError) return 'skip';
    throw err;
  }
}

/** --format=json output: what reaches the decoder when a probe was started with the wrong format. */
function ndjson(rng: Rng): Buffer {
  const lines = Array.from({ length: rng.int(1, 20) }, () =>
    rng.pick([
      () =>
        `{"type":"stats","ts":${rng.int(0, 2 ** 40)},"flow_overflow":0,"ring_lost":0,"links":${rng.int(0, 9)}}`,
      () => `{"type":"dns","qname":"${'a'.repeat(rng.int(0, 300))}","__proto__":{"x":1}}`,
      () => `{"type":"flow","bytes":${rng.int(0, 2 ** 53)}`, // cut short
      () => rng.bytes(rng.int(0, 64)).toString('latin1').replaceAll('\n', ''),
    ])(),
  );
  return Buffer.from(`${lines.join('\n')}\n`, 'latin1');
}

interface Run {
  out: ProbeRecord[];
  error: ProbeStreamError | null;
  skipped: number;
  maxBuffered: number;
  maxChunk: number;
}

/** Pushes `stream` in random chunks (1 byte to 4 KB): push must never throw. */
function pushChunked(stream: Buffer, rng: Rng): Run {
  const d = new RecordDecoder();
  const out: ProbeRecord[] = [];
  let maxBuffered = 0;
  let maxChunk = 0;
  for (let off = 0; off < stream.length; ) {
    const n = Math.min(rng.next() < 0.3 ? rng.int(1, 16) : rng.int(1, 4096), stream.length - off);
    out.push(...d.push(stream.subarray(off, off + n)));
    maxBuffered = Math.max(maxBuffered, d.buffered);
    maxChunk = Math.max(maxChunk, n);
    off += n;
  }
  return { out, error: d.error, skipped: d.skipped, maxBuffered, maxChunk };
}

function expectValid(out: ProbeRecord[], where: string): void {
  for (const r of out) {
    if (!Value.Check(ProbeRecord, r)) {
      throw new Error(`${where}: decoded record is not a valid ProbeRecord: ${JSON.stringify(r)}`);
    }
  }
}

/** Runs `body` for each case with its own seed, so a failure can be replayed alone. */
function fuzz(name: string, body: (rng: Rng, where: string) => void): void {
  it(`${name} (seed ${SEED}, ${CASES} cases)`, () => {
    for (let i = 0; i < CASES; i++) {
      const where = `FUZZ_SEED=${SEED} case ${i}`;
      try {
        body(prng(SEED * 7919 + i), where);
      } catch (err) {
        throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
      }
    }
  });
}

describe('binary record decoder under fuzzing', () => {
  fuzz('decodes every valid record around invalid and random ones, whatever the chunking', (rng, where) => {
    const recs: Buffer[] = [];
    const expected: ProbeRecord[] = [];
    let skips = 0;
    for (let n = rng.int(1, 30); n > 0; n--) {
      const roll = rng.next();
      const rec = roll < 0.5 ? validRecord(rng) : roll < 0.75 ? invalidRecord(rng) : randomRecord(rng);
      const got = alone(rec);
      if (roll < 0.5) expect(got, `${where}: a valid record`).not.toBe('skip');
      if (roll >= 0.5 && roll < 0.75) expect(got, `${where}: an invalid record`).toBe('skip');
      if (got === 'skip') skips++;
      else expected.push(...got);
      recs.push(rec);
    }
    const run = pushChunked(Buffer.concat([streamHeader(), ...recs]), rng);
    expect(run.error).toBeNull();
    expect(run.out).toEqual(expected);
    expect(run.skipped).toBe(skips);
    expectValid(run.out, where);
    expect(run.maxBuffered).toBeLessThanOrEqual(MAX_RECORD_BYTES + run.maxChunk);
  });

  fuzz('stops at a corrupt length prefix with every record before it and holds nothing', (rng) => {
    const before = Array.from({ length: rng.int(0, 10) }, () => validRecord(rng));
    const bad = validRecord(rng);
    const len = rng.pick([
      () => rng.int(0, L.header.size - 1),
      () => rng.int(MAX_RECORD_BYTES + 1, 2 ** 32 - 1),
      () => 2 ** 32 - 1,
    ])();
    bad.writeUInt32LE(len, L.header.len);
    const after = Array.from({ length: rng.int(0, 10) }, () => validRecord(rng));
    const run = pushChunked(Buffer.concat([streamHeader(), ...before, bad, ...after]), rng);
    expect(run.out).toEqual(before.flatMap((r) => alone(r) as ProbeRecord[]));
    expect(run.error?.message).toContain(`record length ${len}`);
    expect(run.maxBuffered).toBeLessThanOrEqual(MAX_RECORD_BYTES + run.maxChunk);
  });

  fuzz('gives the records before a cut and keeps at most one record waiting', (rng) => {
    const recs = Array.from({ length: rng.int(1, 12) }, () => validRecord(rng));
    const stream = Buffer.concat([streamHeader(), ...recs]);
    const cut = rng.int(0, stream.length - 1);
    const run = pushChunked(stream.subarray(0, cut), rng);
    let end = L.stream_header.size;
    const whole = recs.filter((r) => {
      end += r.length;
      return end <= cut;
    });
    expect(run.error).toBeNull();
    expect(run.out).toEqual(whole.flatMap((r) => alone(r) as ProbeRecord[]));
  });

  fuzz(
    'survives flipped bits: never throws, valid records only, the ones before the damage intact',
    (rng, where) => {
      const recs = Array.from({ length: rng.int(1, 12) }, () => validRecord(rng));
      const stream = Buffer.concat([streamHeader(), ...recs]);
      let first = stream.length;
      for (let n = rng.int(1, 8); n > 0; n--) {
        const at = rng.int(0, stream.length - 1);
        stream[at] = (stream[at] as number) ^ (1 << rng.int(0, 7));
        first = Math.min(first, at);
      }
      const run = pushChunked(stream, rng);
      expectValid(run.out, where);
      expect(run.maxBuffered).toBeLessThanOrEqual(MAX_RECORD_BYTES + run.maxChunk);
      let end = L.stream_header.size;
      const intact = recs.filter((r) => {
        end += r.length;
        return end <= first;
      });
      expect(run.out.slice(0, intact.length)).toEqual(intact.flatMap((r) => alone(r) as ProbeRecord[]));
    },
  );

  fuzz('refuses random bytes and NDJSON as a stream, saying which, and holds nothing', (rng) => {
    const json = rng.next() < 0.5;
    const junk = json ? ndjson(rng) : rng.bytes(rng.int(8, 2000));
    if (junk.length < 8 || junk.readUInt32LE(0) === RECORD_LAYOUT.magic) return;
    const run = pushChunked(junk, rng);
    expect(run.out).toEqual([]);
    expect(run.error?.message).toMatch(json && junk[0] === 0x7b ? /--format=json/ : /not a weft-probe/);
    expect(run.maxBuffered).toBeLessThan(L.stream_header.size + run.maxChunk);
  });

  fuzz('stops at NDJSON lines spliced into a binary stream, after every record before them', (rng) => {
    const before = Array.from({ length: rng.int(0, 10) }, () => validRecord(rng));
    const after = Array.from({ length: rng.int(0, 10) }, () => validRecord(rng));
    const run = pushChunked(Buffer.concat([streamHeader(), ...before, ndjson(rng), ...after]), rng);
    expect(run.out.slice(0, before.length)).toEqual(before.flatMap((r) => alone(r) as ProbeRecord[]));
    expect(run.maxBuffered).toBeLessThanOrEqual(MAX_RECORD_BYTES + run.maxChunk);
    expectValid(run.out, 'spliced');
  });

  it('does not allocate for a 4 GB length prefix, however much follows', () => {
    const d = new RecordDecoder();
    const head = Buffer.alloc(L.header.size);
    head.writeUInt32LE(2 ** 32 - 1, L.header.len);
    head.writeUInt16LE(T.flow, L.header.type);
    expect(d.push(Buffer.concat([streamHeader(), head]))).toEqual([]);
    const mb = Buffer.alloc(1 << 20);
    for (let i = 0; i < 64; i++) expect(d.push(mb)).toEqual([]);
    expect(d.buffered).toBe(0);
    expect(d.error?.message).toContain('record length 4294967295');
  });
});
