import type { ProbeRecord } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import {
  decodeRecords,
  MAX_RECORD_BYTES,
  ProbeStreamError,
  RECORD_LAYOUT,
  RecordDecoder,
} from './records.js';

const L = RECORD_LAYOUT.records;
const T = RECORD_LAYOUT.types;

function streamHeader(version: number = RECORD_LAYOUT.version, magic = RECORD_LAYOUT.magic): Buffer {
  const b = Buffer.alloc(L.stream_header.size);
  b.writeUInt32LE(magic, L.stream_header.magic);
  b.writeUInt16LE(version, L.stream_header.version);
  b.writeUInt16LE(L.stream_header.size, L.stream_header.hdr_size);
  return b;
}

function rec(type: number, size: number, ts: number, fill: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt32LE(size, L.header.len);
  b.writeUInt16LE(type, L.header.type);
  b.writeBigUInt64LE(BigInt(ts), L.header.ts_ms);
  fill(b);
  return b;
}

const v4 = (b: Buffer, off: number, a: number[]) => b.set(a, off);
const v6 = (b: Buffer, off: number, hex: string) => b.set(Buffer.from(hex, 'hex'), off);

const flow = rec(T.flow, L.flow.size, 1700000000123, (b) => {
  v4(b, L.flow.src, [198, 18, 77, 1]);
  v4(b, L.flow.dst, [198, 18, 77, 2]);
  b.writeUInt16LE(40000, L.flow.sport);
  b.writeUInt16LE(8080, L.flow.dport);
  b.writeUInt8(2, L.flow.family);
  b.writeUInt8(6, L.flow.proto);
  b.writeUInt8(1, L.flow.dir);
  b.writeUInt8(0x12, L.flow.tcp_flags);
  b.write('wpbveth0', L.flow.ifname, 'latin1');
  b.writeBigUInt64LE(123456789012n, L.flow.bytes);
  b.writeBigUInt64LE(99n, L.flow.packets);
});
const flowRecord: ProbeRecord = {
  type: 'flow',
  ts: 1700000000123,
  src: '198.18.77.1',
  dst: '198.18.77.2',
  sport: 40000,
  dport: 8080,
  proto: 'tcp',
  ifname: 'wpbveth0',
  dir: 'egress',
  bytes: 123456789012,
  packets: 99,
  tcp_flags: 0x12,
};

const dns = rec(T.dns, L.dns.size, 5, (b) => {
  v6(b, L.dns.client, 'fd570000000000000000000000000001');
  v6(b, L.dns.server, 'fd570000000000000000000000000002');
  b.writeUInt16LE(5353, L.dns.cport);
  b.writeUInt16LE(0xbeef, L.dns.id);
  b.writeUInt8(10, L.dns.family);
  b.writeUInt16LE(1, L.dns.answers);
  b.write('AAAA', L.dns.qtype);
  b.write('NXDOMAIN', L.dns.rcode);
  b.writeBigUInt64LE(1500n, L.dns.latency_ns);
  b.write('x'.repeat(256), L.dns.qname); // no NUL in the field: must stop at its end
});

const tcpFail = rec(T.tcp, L.tcp.size, 6, (b) => {
  v4(b, L.tcp.src, [10, 0, 0, 1]);
  v4(b, L.tcp.dst, [10, 0, 0, 2]);
  b.writeUInt16LE(1, L.tcp.sport);
  b.writeUInt16LE(2, L.tcp.dport);
  b.writeUInt8(2, L.tcp.family);
  b.writeUInt8(2, L.tcp.event);
  b.writeUInt8(1, L.tcp.cause);
});

const hostileDrop = rec(T.drop, L.drop.size, 7, (b) => {
  b.writeUInt8(2, L.drop.family);
  b.writeUInt8(17, L.drop.proto);
  b.set([0x22, 0x5c, 0xff, 0x0a, 0x41], L.drop.ifname);
  b.write('NETFILTER_DROP', L.drop.reason);
  b.writeBigUInt64LE(3n, L.drop.packets);
  b.writeBigUInt64LE(300n, L.drop.bytes);
  b.writeUInt32LE(4026531840, L.drop.netns);
});

const unknown = rec(99, 24, 8, () => {});

describe('RecordDecoder', () => {
  it('decodes every field of a flow record', () => {
    expect(decodeRecords(Buffer.concat([streamHeader(), flow]))).toEqual([flowRecord]);
  });

  it('gives the same records whatever the chunking', () => {
    const all = Buffer.concat([streamHeader(), flow, dns, tcpFail, unknown, hostileDrop]);
    const whole = decodeRecords(all);
    const d = new RecordDecoder();
    const bytewise: ProbeRecord[] = [];
    for (let i = 0; i < all.length; i++) bytewise.push(...d.push(all.subarray(i, i + 1)));
    expect(bytewise).toEqual(whole);
    expect(d.buffered).toBe(0);
    expect(whole.map((r) => r.type)).toEqual(['flow', 'dns', 'tcp', 'drop']);
  });

  it('decodes IPv6, bounded names, DNS latency in µs', () => {
    const [r] = decodeRecords(Buffer.concat([streamHeader(), dns]));
    expect(r).toMatchObject({
      type: 'dns',
      client: 'fd57::1',
      server: 'fd57::2',
      cport: 5353,
      id: 0xbeef,
      qtype: 'AAAA',
      rcode: 'NXDOMAIN',
      answers: 1,
      latency_us: 1.5,
    });
    expect(r?.type === 'dns' && r.qname.length).toBe(255);
  });

  it('decodes a DNS answer’s addresses, each of its own family, none from a loader before them', () => {
    const withAddrs = Buffer.from(dns);
    withAddrs.writeUInt8(2, L.dns.naddrs);
    const a0 = L.dns.addrs;
    withAddrs.set([198, 18, 7, 7], a0 + L.dns_addr.addr);
    withAddrs.writeUInt8(2, a0 + L.dns_addr.family);
    withAddrs.writeUInt32LE(30, a0 + L.dns_addr.ttl);
    const a1 = L.dns.addrs + L.dns_addr.size;
    v6(withAddrs, a1 + L.dns_addr.addr, '20010db8000000000000000000000007');
    withAddrs.writeUInt8(10, a1 + L.dns_addr.family);
    withAddrs.writeUInt32LE(0x7fffffff, a1 + L.dns_addr.ttl);
    const older = Buffer.from(withAddrs.subarray(0, L.dns.naddrs));
    older.writeUInt32LE(older.length, L.header.len);
    const [r, o] = decodeRecords(Buffer.concat([streamHeader(), withAddrs, older]));
    expect(r?.type === 'dns' && r.addrs).toEqual([
      { ip: '198.18.7.7', ttl: 30 },
      { ip: '2001:db8::7', ttl: 0x7fffffff },
    ]);
    expect(o).toMatchObject({ type: 'dns', id: 0xbeef });
    expect(o && 'addrs' in o).toBe(false);
  });

  it('decodes the stats counters, dns_mismatch only from a loader that writes it', () => {
    const stats = rec(T.stats, L.stats.size, 9, (b) => {
      b.writeBigUInt64LE(4n, L.stats.flow_overflow);
      b.writeBigUInt64LE(5n, L.stats.ring_lost);
      b.writeUInt32LE(6, L.stats.links);
      b.writeBigUInt64LE(7n, L.stats.dns_mismatch);
    });
    const older = Buffer.from(stats.subarray(0, L.stats.dns_mismatch));
    older.writeUInt32LE(older.length, L.header.len);
    const base = { type: 'stats', ts: 9, flow_overflow: 4, ring_lost: 5, links: 6 };
    expect(decodeRecords(Buffer.concat([streamHeader(), stats, older]))).toEqual([
      { ...base, dns_mismatch: 7 },
      base,
    ]);
  });

  it('decodes a failed connect with its cause and no latency', () => {
    const [r] = decodeRecords(Buffer.concat([streamHeader(), tcpFail]));
    expect(r).toEqual({
      type: 'tcp',
      ts: 6,
      event: 'connect_fail',
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 1,
      dport: 2,
      cause: 'refused',
    });
  });

  it('keeps hostile link names byte for byte', () => {
    const [r] = decodeRecords(Buffer.concat([streamHeader(), hostileDrop]));
    expect(r?.type === 'drop' && r.ifname).toBe('"\\\u00ff\nA');
    expect(r?.type === 'drop' && r.netns).toBe(4026531840);
  });

  it('skips record types it does not know by their length', () => {
    expect(decodeRecords(Buffer.concat([streamHeader(), unknown, flow]))).toEqual([flowRecord]);
  });

  it('rejects a JSON stream with a hint', () => {
    expect(() => decodeRecords(Buffer.from('{"type":"hello"}\n'))).toThrow(/--format=json/);
  });

  it('rejects another stream version', () => {
    expect(() => decodeRecords(Buffer.concat([streamHeader(1), flow]))).toThrow(/version 1.*reads 2/);
  });

  it.each([
    [0, 'too short'],
    [MAX_RECORD_BYTES + 1, 'too long'],
    [2 ** 32 - 1, '4 GB'],
  ])('stops at a corrupt record length (%i, %s), returning what came before in the same chunk', (len) => {
    const bad = Buffer.from(flow);
    bad.writeUInt32LE(len, 0);
    const d = new RecordDecoder();
    expect(d.push(Buffer.concat([streamHeader(), flow, bad, flow]))).toEqual([flowRecord]);
    expect(d.error).toBeInstanceOf(ProbeStreamError);
    expect(d.error?.message).toContain(`record length ${len}`);
    expect(d.buffered).toBe(0);
    expect(d.push(flow)).toEqual([]);
  });

  it.each([
    ['too short for its type', rec(T.flow, 40, 1, () => {}), /expected 88/],
    [
      'with an unknown address family',
      Buffer.from(flow).fill(7, L.flow.family, L.flow.family + 1),
      /family 7/,
    ],
    [
      'a link record with an unknown event',
      rec(T.link, L.link.size, 1, (b) => b.writeUInt8(9, L.link.event)),
      /event 9/,
    ],
  ])('skips and counts a record %s, and decodes the ones around it', (_what, bad, why) => {
    const skips: string[] = [];
    const out = decodeRecords(Buffer.concat([streamHeader(), flow, bad, flow]), {
      onSkip: (e) => skips.push(e.message),
    });
    expect(out).toEqual([flowRecord, flowRecord]);
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatch(why);
  });

  it.each([
    [0, 'shorter than the header'],
    [0xffff, 'beyond any header'],
  ])('stops at a stream header size of %i (%s)', (size) => {
    const h = streamHeader();
    h.writeUInt16LE(size, L.stream_header.hdr_size);
    expect(() => decodeRecords(Buffer.concat([h, flow]))).toThrow(/header size/);
  });

  it('skips a longer stream header of a later loader, whatever the chunking', () => {
    const h = Buffer.concat([streamHeader(), Buffer.alloc(24, 0xee)]);
    h.writeUInt16LE(h.length, L.stream_header.hdr_size);
    const d = new RecordDecoder();
    const all = Buffer.concat([h, flow]);
    const out: ProbeRecord[] = [];
    for (let i = 0; i < all.length; i += 5) out.push(...d.push(all.subarray(i, i + 5)));
    expect(out).toEqual([flowRecord]);
  });

  it('says so when a stream in memory ends inside a record', () => {
    expect(() => decodeRecords(Buffer.concat([streamHeader(), flow.subarray(0, 50)]))).toThrow(
      /ends inside a record/,
    );
  });

  it('ends an async stream with the corruption, after every record before it', async () => {
    const bad = Buffer.from(flow);
    bad.writeUInt32LE(2 ** 32 - 1, 0);
    async function* chunks() {
      yield Buffer.concat([streamHeader(), flow]);
      yield Buffer.concat([dns, bad]);
      yield flow;
    }
    const out: ProbeRecord[] = [];
    await expect(
      (async () => {
        for await (const r of decodeRecords(chunks())) out.push(r);
      })(),
    ).rejects.toThrow(/record length 4294967295/);
    expect(out.map((r) => r.type)).toEqual(['flow', 'dns']);
  });

  it('decodes an async chunked stream', async () => {
    const all = Buffer.concat([streamHeader(), flow, dns]);
    async function* chunks() {
      for (let i = 0; i < all.length; i += 7) yield all.subarray(i, i + 7);
    }
    const out: ProbeRecord[] = [];
    for await (const r of decodeRecords(chunks())) out.push(r);
    expect(out.map((r) => r.type)).toEqual(['flow', 'dns']);
  });
});
