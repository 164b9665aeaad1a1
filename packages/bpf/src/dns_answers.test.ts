/**
 * The loader's DNS answer parser (dns_answers.c) through `weft-probe --parse-dns`: seeded answers a
 * server could send (CNAME chains, other names' and types' records, names in any case, compressed or
 * not, cut at the probe's 512-byte copy) against a reading of the same bytes by dns-packet, then
 * hostile ones (random bytes, flipped bits, pointer loops, over-long names, records past the end),
 * which must each give one line, at most 8 addresses, and only addresses the message holds.
 * FUZZ_SEED=<n> replays a run. Needs the built loader (pnpm --filter @weft/bpf build), no privileges.
 */
import { spawnSync } from 'node:child_process';
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { formatAddress } from './formatAddress.js';
import { probeBinaryPath } from './probeBinaryPath.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0xd15);
const CASES = 400;
const MSG_MAX = 512; // DNS_MSG_MAX: what the probe copies of an answer
const ADDRS_MAX = 8;

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
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, pick, bytes };
}
type Rng = ReturnType<typeof prng>;

interface Rr {
  name: string;
  type: number;
  cls: number;
  ttl: number;
  data: Buffer | string; // a name for CNAME
}

const TYPE = { A: 1, CNAME: 5, TXT: 16, AAAA: 28, MX: 15 };

/** A response with the given question and answers, names compressed (RFC 1035 4.1.4) when `compress`. */
function encode(
  qname: string,
  qtype: number,
  answers: Rr[],
  compress: boolean,
): { msg: Buffer; ends: number[] } {
  const parts: Buffer[] = [];
  let size = 0;
  const seen = new Map<string, number>();
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  const name = (n: string) => {
    const labels = n.split('.').filter(Boolean);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = seen.get(suffix);
      if (compress && at !== undefined) {
        push(Buffer.from([0xc0 | (at >> 8), at & 0xff]));
        return;
      }
      if (size < 0x3fff) seen.set(suffix, size);
      const l = Buffer.from(labels[i]!, 'latin1');
      push(Buffer.concat([Buffer.from([l.length]), l]));
    }
    push(Buffer.from([0]));
  };
  const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x1234, 0);
  header.writeUInt16BE(0x8180, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  push(header);
  name(qname);
  push(Buffer.concat([u16(qtype), u16(1)]));
  const ends: number[] = [];
  for (const r of answers) {
    name(r.name);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(r.type, 0);
    fixed.writeUInt16BE(r.cls, 2);
    fixed.writeUInt32BE(r.ttl, 4);
    push(fixed);
    const lenAt = parts.length - 1;
    const before = size;
    if (typeof r.data === 'string') name(r.data);
    else push(r.data);
    fixed.writeUInt16BE(size - before, 8);
    parts[lenAt] = fixed;
    ends.push(size);
  }
  return { msg: Buffer.concat(parts), ends };
}

/** What the parser must give: the addresses for the question's name and its CNAME chain, in order. */
function expected(qname: string, answers: Rr[]): { ip: string; ttl: number }[] {
  const chain = [qname.toLowerCase()];
  for (let hops = 0; hops < 8; hops++) {
    const last = chain.at(-1)!;
    const c = answers.find((r) => r.type === TYPE.CNAME && r.cls === 1 && r.name.toLowerCase() === last);
    if (!c) break;
    const target = (c.data as string).toLowerCase();
    if (chain.includes(target)) break;
    chain.push(target);
  }
  const out: { ip: string; ttl: number }[] = [];
  for (const r of answers) {
    if (out.length >= ADDRS_MAX) break;
    if (r.cls !== 1 || !chain.includes(r.name.toLowerCase()) || typeof r.data === 'string') continue;
    if (r.type === TYPE.A && r.data.length === 4) out.push({ ip: formatAddress(2, r.data), ttl: ttl(r.ttl) });
    if (r.type === TYPE.AAAA && r.data.length === 16)
      out.push({ ip: formatAddress(10, r.data), ttl: ttl(r.ttl) });
  }
  return out;
}
const ttl = (t: number) => (t > 0x7fffffff ? 0 : t);

function label(rng: Rng): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
  return Array.from({ length: rng.int(1, rng.next() < 0.05 ? 63 : 12) }, () => rng.pick([...chars])).join('');
}
const randomCase = (rng: Rng, s: string) =>
  [...s].map((c) => (rng.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');

/** An answer a server could send: a CNAME chain from the question, addresses, other records mixed in. */
function answerCase(rng: Rng) {
  const zone = Array.from({ length: rng.int(1, 3) }, () => label(rng)).join('.');
  const qname = `${label(rng)}.${zone}`;
  const chain = [qname];
  for (let n = rng.int(0, rng.next() < 0.1 ? 10 : 3); n > 0; n--) chain.push(`${label(rng)}.${zone}`);
  const answers: Rr[] = [];
  const addr = (owner: string): Rr => {
    const v6 = rng.next() < 0.4;
    return {
      name: randomCase(rng, owner),
      type: v6 ? TYPE.AAAA : TYPE.A,
      cls: rng.next() < 0.05 ? 3 : 1,
      ttl: rng.next() < 0.05 ? rng.int(0x80000000, 0xffffffff) : rng.int(0, 86400),
      data: rng.bytes(v6 ? 16 : 4),
    };
  };
  for (let i = 0; i + 1 < chain.length; i++)
    answers.push({
      name: randomCase(rng, chain[i]!),
      type: TYPE.CNAME,
      cls: 1,
      ttl: 30,
      data: chain[i + 1]!,
    });
  for (let n = rng.int(0, 12); n > 0; n--) answers.push(addr(rng.pick(chain)));
  for (let n = rng.int(0, 3); n > 0; n--) {
    const other = `${label(rng)}.${zone}`;
    answers.push(
      rng.pick([
        () => addr(other),
        (): Rr => {
          const text = rng.bytes(rng.int(0, 40));
          return {
            name: rng.pick(chain),
            type: TYPE.TXT,
            cls: 1,
            ttl: 5,
            data: Buffer.concat([Buffer.from([text.length]), text]),
          };
        },
        (): Rr => ({
          name: rng.pick(chain),
          type: TYPE.A,
          cls: 1,
          ttl: 5,
          data: rng.bytes(rng.pick([3, 5, 16])),
        }),
      ])(),
    );
  }
  // records in any order: a CNAME may come after the addresses it leads to
  if (rng.next() < 0.3) answers.sort(() => rng.next() - 0.5);
  return { qname, qtype: rng.pick([TYPE.A, TYPE.AAAA]), answers, compress: rng.next() < 0.7 };
}

/** The parser's answer for each message, in order (one run of the loader for all of them). */
function parse(msgs: Buffer[]): { addrs: { ip: string; ttl: number }[] }[] {
  const r = spawnSync(probeBinaryPath(), ['--parse-dns'], {
    input: `${msgs.map((m) => m.toString('hex')).join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.error).toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter(Boolean);
  expect(lines).toHaveLength(msgs.length);
  return lines.map((l) => JSON.parse(l));
}

const addrBytes = (ip: string): Buffer => {
  if (!ip.includes(':')) return Buffer.from(ip.split('.').map(Number));
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const words = (s: string | undefined) => (s ? s.split(':').map((w) => Number.parseInt(w, 16)) : []);
  const h = words(head);
  const t = words(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return Buffer.from(all.flatMap((w) => [w >> 8, w & 0xff]));
};

describe('DNS answer parser', () => {
  it(`reads the question's addresses as a DNS library does (seed ${SEED}, ${CASES} answers)`, () => {
    const cases = Array.from({ length: CASES }, (_, i) => {
      const rng = prng(SEED * 7919 + i);
      const c = answerCase(rng);
      const { msg, ends } = encode(c.qname, c.qtype, c.answers, c.compress);
      // the probe's copy ends at 512 bytes: the records wholly inside it are what it can read
      const whole = c.answers.filter((_, j) => ends[j]! <= MSG_MAX);
      return { ...c, msg, whole, where: `FUZZ_SEED=${SEED} case ${i}` };
    });
    const got = parse(cases.map((c) => c.msg));
    let withAddrs = 0;
    let cut = 0;
    let checked = 0;
    for (const [i, c] of cases.entries()) {
      // the bytes mean what the case says: dns-packet reads them, pointers and all, to the same names
      // (it reads an address record by its type, not its length: not the cases with a bad length)
      const badLength = c.answers.some(
        (a) => (a.type === TYPE.A && a.data.length !== 4) || (a.type === TYPE.AAAA && a.data.length !== 16),
      );
      if (!badLength) {
        const decoded = dnsPacket.decode(c.msg);
        // (compression reuses the first spelling of a name: names compare without case)
        const lower = (xs: [string, string][]) => xs.map(([n, d]) => [n.toLowerCase(), d.toLowerCase()]);
        expect(
          lower(decoded.answers?.map((a) => [a.name, a.type === 'CNAME' ? (a.data as string) : '']) ?? []),
          c.where,
        ).toEqual(lower(c.answers.map((a) => [a.name, typeof a.data === 'string' ? a.data : ''])));
        checked++;
      }
      expect(got[i]!.addrs, c.where).toEqual(expected(c.qname, c.whole));
      if (got[i]!.addrs.length > 0) withAddrs++;
      if (c.msg.length > MSG_MAX) cut++;
    }
    // the cases reach what they are meant to: addresses found, answers cut by the copy
    expect(withAddrs).toBeGreaterThan(CASES / 2);
    expect(cut).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(CASES / 2);
  });

  it('follows a compressed CNAME chain as a real server writes it', () => {
    const { msg } = encode(
      'www.Example.test',
      TYPE.A,
      [
        { name: 'www.example.test', type: TYPE.CNAME, cls: 1, ttl: 60, data: 'edge.cdn.example.test' },
        { name: 'EDGE.cdn.example.test', type: TYPE.A, cls: 1, ttl: 20, data: Buffer.from([192, 0, 2, 1]) },
        { name: 'edge.cdn.example.test', type: TYPE.A, cls: 1, ttl: 20, data: Buffer.from([192, 0, 2, 2]) },
        { name: 'other.example.test', type: TYPE.A, cls: 1, ttl: 20, data: Buffer.from([192, 0, 2, 3]) },
      ],
      true,
    );
    expect(parse([msg])[0]!.addrs).toEqual([
      { ip: '192.0.2.1', ttl: 20 },
      { ip: '192.0.2.2', ttl: 20 },
    ]);
  });

  it('survives hostile messages: one line each, at most 8 addresses, only addresses the message holds', () => {
    const msgs: Buffer[] = [];
    const rng = prng(SEED);
    for (let i = 0; i < CASES; i++) {
      const roll = rng.next();
      if (roll < 0.3) {
        const b = rng.bytes(rng.int(0, 600));
        if (b.length >= 6 && rng.next() < 0.7) b.writeUInt16BE(1, 4); // past the question check
        msgs.push(b);
      } else {
        const c = answerCase(prng(SEED * 31 + i));
        const { msg } = encode(c.qname, c.qtype, c.answers, c.compress);
        const m = Buffer.from(msg);
        for (let n = rng.int(1, 8); n > 0; n--) {
          const at = rng.int(0, m.length - 1);
          m[at] = roll < 0.6 ? (m[at] as number) ^ (1 << rng.int(0, 7)) : rng.pick([0xc0, 0xff, 0x3f, 0]);
        }
        msgs.push(rng.next() < 0.2 ? m.subarray(0, rng.int(0, m.length)) : m);
      }
    }
    const q = (tail: number[]) => Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...tail]);
    const aRecord = [0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 1];
    msgs.push(
      q([0xc0, 0x0c, 0, 1, 0, 1]), // the question's name points at itself
      q([1, 0x61, 0xc0, 0x0e, 0, 1, 0, 1]), // a label, then a pointer back to that label: a loop
      q([1, 0x61, 0, 0, 1, 0, 1, 0xc0, 0x13, ...aRecord]), // the owner's name points at itself
      q([1, 0x61, 0, 0, 1, 0, 1, 0xc0, 0xff, ...aRecord]), // a pointer past the end
      q([1, 0x61, 0, 0, 1, 0, 1, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 30, 0xff, 0xff, 10]), // data past the end
      q([1, 0x61, 0, 0, 1, 0, 1, 0x40, 0x0c, ...aRecord]), // a label type no one uses
      // 63-byte labels chained by pointers: a name longer than 255 bytes
      Buffer.concat([
        q([63, ...Buffer.alloc(63, 0x61), 0xc0, 0x0c, 0, 1, 0, 1]),
        Buffer.from([0xc0, 0x0c, ...aRecord.slice(2)]),
      ]),
    );
    const got = parse(msgs);
    for (const [i, m] of msgs.entries()) {
      const where = `FUZZ_SEED=${SEED} hostile ${i}: ${m.toString('hex')}`;
      expect(got[i]!.addrs.length, where).toBeLessThanOrEqual(ADDRS_MAX);
      for (const a of got[i]!.addrs) {
        expect(m.subarray(0, MSG_MAX).includes(addrBytes(a.ip)), `${where} ${a.ip}`).toBe(true);
        expect(a.ttl, where).toBeLessThanOrEqual(0x7fffffff);
      }
    }
    expect(got.slice(-7).map((g) => g.addrs)).toEqual([[], [], [], [], [], [], []]);
  });
});
