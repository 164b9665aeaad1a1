/**
 * Decoder for the loader's binary record stream, mirroring src/records.h. RECORD_LAYOUT is what
 * the decoder assumes; probe.int.test.ts checks it against `weft-probe --layout`, so a change to
 * the C structs that is not made here fails a test instead of corrupting records.
 */
import {
  type L4Proto,
  MAX_DNS_ADDRS,
  PROBE_RECORD_VERSION,
  type ProbeRecord,
  type TcpFailCause,
} from '@weft/protocol/core';
import { AF_INET, AF_INET6, formatAddress } from './formatAddress.js';

export const RECORD_MAGIC = 0x54464557;
/** The loader's REC_VERSION (records.h); the protocol package owns the number. */
export const RECORD_VERSION = PROBE_RECORD_VERSION;
/** No record comes near this; a larger length means the stream is corrupt. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** The loader's stream header is 8 bytes; a later one may grow, never past this. */
const MAX_STREAM_HEADER_BYTES = 4096;

export const RECORD_LAYOUT = {
  magic: RECORD_MAGIC,
  version: RECORD_VERSION,
  types: { hello: 1, flow: 2, drop: 3, tcp: 4, tcp_stats: 5, dns: 6, stats: 7, link: 8 },
  records: {
    stream_header: { size: 8, magic: 0, version: 4, hdr_size: 6 },
    header: { size: 16, len: 0, type: 4, ts_ms: 8 },
    hello: { size: 344, version: 16, kernel: 24, hooks: 88 },
    flow: {
      size: 88,
      src: 16,
      dst: 32,
      sport: 48,
      dport: 50,
      family: 52,
      proto: 53,
      dir: 54,
      tcp_flags: 55,
      ifname: 56,
      bytes: 72,
      packets: 80,
    },
    drop: {
      size: 160,
      src: 16,
      dst: 32,
      sport: 48,
      dport: 50,
      family: 52,
      proto: 53,
      ifname: 56,
      reason: 72,
      packets: 136,
      bytes: 144,
      netns: 152,
    },
    tcp: {
      size: 64,
      src: 16,
      dst: 32,
      sport: 48,
      dport: 50,
      family: 52,
      event: 53,
      cause: 54,
      latency_ns: 56,
    },
    tcp_stats: { size: 64, src: 16, dst: 32, sport: 48, dport: 50, family: 52, srtt_us: 56, retransmits: 60 },
    dns: {
      size: 544,
      client: 16,
      server: 32,
      cport: 48,
      id: 50,
      family: 52,
      answers: 54,
      qtype: 56,
      rcode: 68,
      latency_ns: 80,
      qname: 88,
      naddrs: 344,
      addrs: 352,
    },
    dns_addr: { size: 24, addr: 0, ttl: 16, family: 20 },
    stats: { size: 48, flow_overflow: 16, ring_lost: 24, links: 32, dns_mismatch: 40 },
    link: { size: 168, ifindex: 16, event: 20, ifname: 24, message: 40 },
  },
} as const;

/** Capacity of the NUL-padded string fields (records.h). */
const STR = {
  ifname: 16,
  reason: 64,
  kernel: 64,
  hooks: 256,
  qtype: 12,
  rcode: 12,
  qname: 256,
  message: 128,
};

const L = RECORD_LAYOUT.records;
const T = RECORD_LAYOUT.types;

function proto(n: number): L4Proto {
  switch (n) {
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 1:
      return 'icmp';
    case 58:
      return 'icmpv6';
    default:
      return 'other';
  }
}

const CAUSES: Record<number, TcpFailCause> = { 1: 'refused', 2: 'timeout', 3: 'reset' };
const LINK_EVENTS = { 1: 'attach', 2: 'detach', 3: 'error' } as const;

export class ProbeStreamError extends Error {
  override name = 'ProbeStreamError';
}

function str(b: Buffer, off: number, cap: number): string {
  const end = b.indexOf(0, off);
  const stop = end === -1 || end > off + cap ? off + cap : end;
  // latin1 keeps every byte (hostile link names included) as one character, like the JSON output
  return b.toString('latin1', off, stop);
}

function addr(b: Buffer, family: number, off: number): string {
  if (family !== AF_INET && family !== AF_INET6) {
    throw new ProbeStreamError(`record has unknown address family ${family}`);
  }
  return formatAddress(family, b, off);
}

/** Where a connection record keeps its two ends (the family covers both addresses). */
interface EndsAt {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  family: number;
}

function ends(r: Buffer, at: EndsAt): { src: string; dst: string; sport: number; dport: number } {
  const fam = r.readUInt8(at.family);
  return {
    src: addr(r, fam, at.src),
    dst: addr(r, fam, at.dst),
    sport: r.readUInt16LE(at.sport),
    dport: r.readUInt16LE(at.dport),
  };
}

/** The answer's addresses of a DNS record (naddrs of them, each with its own family). */
function dnsAddrs(r: Buffer): { ip: string; ttl: number }[] {
  const n = r.readUInt8(L.dns.naddrs);
  if (n > MAX_DNS_ADDRS)
    throw new ProbeStreamError(`dns record has ${n} addresses (at most ${MAX_DNS_ADDRS})`);
  const out: { ip: string; ttl: number }[] = [];
  for (let i = 0; i < n; i++) {
    const at = L.dns.addrs + i * L.dns_addr.size;
    const ttl = r.readUInt32LE(at + L.dns_addr.ttl);
    if (ttl > 0x7fffffff) throw new ProbeStreamError(`dns record has an address with TTL ${ttl}`);
    out.push({ ip: addr(r, r.readUInt8(at + L.dns_addr.family), at + L.dns_addr.addr), ttl });
  }
  return out;
}

function u64(b: Buffer, off: number): number {
  return Number(b.readBigUInt64LE(off));
}

/**
 * One record: `r` starts at the record header and holds the record. Unknown types give null; a record
 * too short for its type or with a value no loader writes throws ProbeStreamError.
 */
export function decodeRecord(r: Buffer): ProbeRecord | null {
  if (r.length < L.header.size)
    throw new ProbeStreamError(`record is ${r.length} bytes, shorter than its header (${L.header.size})`);
  const type = r.readUInt16LE(L.header.type);
  const ts = u64(r, L.header.ts_ms);
  const need = (size: number): void => {
    if (r.length < size)
      throw new ProbeStreamError(`record type ${type} is ${r.length} bytes, expected ${size}`);
  };
  switch (type) {
    case T.hello: {
      need(L.hello.size);
      const hooks = str(r, L.hello.hooks, STR.hooks);
      return {
        type: 'hello',
        ts,
        version: r.readUInt32LE(L.hello.version),
        hooks: hooks === '' ? [] : hooks.split(','),
        kernel: str(r, L.hello.kernel, STR.kernel),
      };
    }
    case T.flow: {
      need(L.flow.size);
      return {
        type: 'flow',
        ts,
        ...ends(r, L.flow),
        proto: proto(r.readUInt8(L.flow.proto)),
        ifname: str(r, L.flow.ifname, STR.ifname),
        dir: r.readUInt8(L.flow.dir) === 1 ? 'egress' : 'ingress',
        bytes: u64(r, L.flow.bytes),
        packets: u64(r, L.flow.packets),
        tcp_flags: r.readUInt8(L.flow.tcp_flags),
      };
    }
    case T.drop: {
      need(L.drop.size);
      const ifname = str(r, L.drop.ifname, STR.ifname);
      const netns = r.readUInt32LE(L.drop.netns);
      return {
        type: 'drop',
        ts,
        ...ends(r, L.drop),
        proto: proto(r.readUInt8(L.drop.proto)),
        ...(ifname ? { ifname } : {}),
        reason: str(r, L.drop.reason, STR.reason),
        packets: u64(r, L.drop.packets),
        bytes: u64(r, L.drop.bytes),
        ...(netns ? { netns } : {}),
      };
    }
    case T.tcp: {
      need(L.tcp.size);
      const ok = r.readUInt8(L.tcp.event) === 1;
      const base = {
        type: 'tcp' as const,
        ts,
        event: ok ? ('connect_ok' as const) : ('connect_fail' as const),
        ...ends(r, L.tcp),
      };
      if (ok) return { ...base, latency_us: u64(r, L.tcp.latency_ns) / 1000 };
      return { ...base, cause: CAUSES[r.readUInt8(L.tcp.cause)] ?? 'timeout' };
    }
    case T.tcp_stats: {
      need(L.tcp_stats.size);
      return {
        type: 'tcp_stats',
        ts,
        ...ends(r, L.tcp_stats),
        srtt_us: r.readUInt32LE(L.tcp_stats.srtt_us),
        retransmits: r.readUInt32LE(L.tcp_stats.retransmits),
      };
    }
    case T.dns: {
      // the addresses were appended to the record: a loader from before them ends the record there
      need(L.dns.naddrs);
      const fam = r.readUInt8(L.dns.family);
      const addrs = r.length >= L.dns.size ? dnsAddrs(r) : [];
      return {
        type: 'dns',
        ts,
        client: addr(r, fam, L.dns.client),
        server: addr(r, fam, L.dns.server),
        cport: r.readUInt16LE(L.dns.cport),
        id: r.readUInt16LE(L.dns.id),
        qname: str(r, L.dns.qname, STR.qname - 1),
        qtype: str(r, L.dns.qtype, STR.qtype),
        rcode: str(r, L.dns.rcode, STR.rcode),
        answers: r.readUInt16LE(L.dns.answers),
        latency_us: u64(r, L.dns.latency_ns) / 1000,
        ...(addrs.length > 0 ? { addrs } : {}),
      };
    }
    case T.stats:
      // dns_mismatch was appended to the record: a loader from before it ends the record there
      need(L.stats.dns_mismatch);
      return {
        type: 'stats',
        ts,
        flow_overflow: u64(r, L.stats.flow_overflow),
        ring_lost: u64(r, L.stats.ring_lost),
        links: r.readUInt32LE(L.stats.links),
        ...(r.length >= L.stats.size ? { dns_mismatch: u64(r, L.stats.dns_mismatch) } : {}),
      };
    case T.link: {
      need(L.link.size);
      const ev = r.readUInt8(L.link.event);
      const event = LINK_EVENTS[ev as keyof typeof LINK_EVENTS];
      if (!event) throw new ProbeStreamError(`link record has unknown event ${ev}`);
      const message = str(r, L.link.message, STR.message);
      return {
        type: 'link',
        ts,
        event,
        ifname: str(r, L.link.ifname, STR.ifname),
        ifindex: r.readUInt32LE(L.link.ifindex),
        ...(message ? { message } : {}),
      };
    }
    default:
      return null; // a newer loader's record type: skipped by length
  }
}

export interface RecordDecoderOptions {
  /** Called for each well-framed record skipped because its content is invalid. */
  onSkip?: (err: ProbeStreamError) => void;
}

/**
 * Incremental decoder: feed chunks as they arrive (any split), get whole records back; push never
 * throws. A record whose content is invalid is skipped and counted (`skipped`): its length still
 * frames the next one. A stream that is not weft-probe's, of a version it does not know, or with a
 * record length out of range cannot be framed any further: `error` says why, the records before it
 * are returned, nothing after. At most one record (MAX_RECORD_BYTES) plus a chunk is ever held.
 */
export class RecordDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private headerSeen = false;
  /** Set once the stream is corrupt; every push after it returns nothing. */
  error: ProbeStreamError | null = null;
  /** Records skipped for invalid content. */
  skipped = 0;

  constructor(private readonly opts: RecordDecoderOptions = {}) {}

  push(chunk: Uint8Array): ProbeRecord[] {
    const out: ProbeRecord[] = [];
    if (this.error) return out;
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const b = this.pending;
    let off = 0;
    if (!this.headerSeen) {
      if (b.length < L.stream_header.size) return out;
      const magic = b.readUInt32LE(L.stream_header.magic);
      if (magic !== RECORD_MAGIC) {
        return this.fail(
          out,
          `not a weft-probe binary stream (magic 0x${magic.toString(16)}); was it started with --format=json?`,
        );
      }
      const version = b.readUInt16LE(L.stream_header.version);
      if (version !== RECORD_VERSION) {
        return this.fail(
          out,
          `weft-probe stream version ${version}, this decoder reads ${RECORD_VERSION}: rebuild @weft/bpf`,
        );
      }
      const hdrSize = b.readUInt16LE(L.stream_header.hdr_size);
      if (hdrSize < L.stream_header.size || hdrSize > MAX_STREAM_HEADER_BYTES) {
        return this.fail(out, `corrupt weft-probe stream: header size ${hdrSize}`);
      }
      if (b.length < hdrSize) return out;
      off = hdrSize;
      this.headerSeen = true;
    }
    while (b.length - off >= L.header.size) {
      const len = b.readUInt32LE(off + L.header.len);
      if (len < L.header.size || len > MAX_RECORD_BYTES) {
        return this.fail(out, `corrupt weft-probe stream: record length ${len} at byte ${off}`);
      }
      if (b.length - off < len) break;
      try {
        const rec = decodeRecord(b.subarray(off, off + len));
        if (rec) out.push(rec);
      } catch (err) {
        if (!(err instanceof ProbeStreamError)) throw err;
        this.skipped++;
        this.opts.onSkip?.(err);
      }
      off += len;
    }
    this.pending = off === b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(off));
    return out;
  }

  private fail(out: ProbeRecord[], message: string): ProbeRecord[] {
    this.error = new ProbeStreamError(message);
    this.pending = Buffer.alloc(0);
    return out;
  }

  /** Bytes of an incomplete record still waiting for the rest. */
  get buffered(): number {
    return this.pending.length;
  }
}

/**
 * Decodes a whole binary stream held in memory (throws ProbeStreamError if it is corrupt or cut short),
 * or a chunked one as it arrives: every record before a corruption comes out, then the generator
 * throws its ProbeStreamError. Records with invalid content are skipped either way (opts.onSkip).
 */
export function decodeRecords(input: Uint8Array, opts?: RecordDecoderOptions): ProbeRecord[];
export function decodeRecords(
  input: AsyncIterable<Uint8Array>,
  opts?: RecordDecoderOptions,
): AsyncGenerator<ProbeRecord>;
export function decodeRecords(
  input: Uint8Array | AsyncIterable<Uint8Array>,
  opts: RecordDecoderOptions = {},
): ProbeRecord[] | AsyncGenerator<ProbeRecord> {
  if (input instanceof Uint8Array) {
    const d = new RecordDecoder(opts);
    const out = d.push(input);
    if (d.error) throw d.error;
    if (d.buffered > 0)
      throw new ProbeStreamError(`weft-probe stream ends inside a record (${d.buffered} bytes)`);
    return out;
  }
  return (async function* () {
    const d = new RecordDecoder(opts);
    for await (const chunk of input) {
      yield* d.push(chunk);
      if (d.error) throw d.error;
    }
  })();
}
