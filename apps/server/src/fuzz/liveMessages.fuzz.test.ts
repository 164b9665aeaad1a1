import { FILTER_PARAMS, LiveServerMessage } from '@weft/protocol';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { MAX_LIVE_MESSAGE_BYTES } from '../live/liveHub.js';
import { nullsText, strayNulls } from './apiInvariants.js';
import { type Finding, findingsReport, signature } from './fuzzRun.js';
import { FuzzSocket, type SocketEvent } from './fuzzSocket.js';
import { hostileString, hostileValue, PROTO_NAMES, toText } from './hostileValues.js';
import { IngestFrames } from './ingestFrames.js';
import { IngestTarget } from './ingestTarget.js';
import { fuzzSeed, Prng } from './prng.js';
import { randomQuery } from './queryStrings.js';

/**
 * Hostile browsers on /api/v1/live: random frames, subscribes with random filters, garbage in the
 * socket's own query string. Each message gets an answer that is a valid live message (an error saying
 * what was wrong, naming each ignored parameter; an update after every subscribe), updates carry no
 * stray null, and the server keeps answering health. WEFT_FUZZ_SEED=<n> replays or explores.
 */
const SEED = fuzzSeed(12_004);
const MESSAGES = 800;
const check = Compile(LiveServerMessage);
const FILTER = FILTER_PARAMS as readonly string[];

interface LiveCase {
  label: string;
  url: string;
  data: string | Buffer;
  /** A subscribe the server must take (it answers with an update, after an error if some of it was ignored). */
  subscribe: string | null;
  /** Bytes of `data`: past the live frame limit the socket layer closes with 1009 before reading it. */
  size: number;
}

function liveCase(rng: Prng): LiveCase {
  // A fragment is the client's own: the WebSocket library refuses one.
  const url = rng.chance(0.2) ? `?${randomQuery(rng, FILTER).replaceAll('#', '%23')}` : '';
  const r = rng.next();
  const sub = (filter: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'subscribe',
    filter,
    ...extra,
  });
  let msg: unknown;
  let raw: string | Buffer | undefined;
  if (r < 0.45) msg = sub(randomQuery(rng, FILTER));
  else if (r < 0.55) msg = sub(randomQuery(rng, FILTER), { [rng.pick(PROTO_NAMES)]: hostileValue(rng) });
  else if (r < 0.65) msg = sub(hostileValue(rng));
  else if (r < 0.7) msg = sub(`level=pod&q=${'x'.repeat(5000)}`);
  else if (r < 0.75) raw = JSON.stringify(sub('x'.repeat(17_000)));
  else if (r < 0.85) msg = hostileValue(rng, 3);
  else if (r < 0.92) raw = hostileString(rng);
  else raw = rng.bytes(rng.int(200));
  const data = raw ?? toText(msg);
  // Judged from the text sent, as the server reads it (a raw NaN makes it no JSON at all).
  let m: { type?: unknown; filter?: unknown } | undefined;
  try {
    m = JSON.parse(data.toString());
  } catch {
    m = undefined;
  }
  const size = Buffer.byteLength(data);
  const subscribe =
    m &&
    typeof m === 'object' &&
    !Array.isArray(m) &&
    m.type === 'subscribe' &&
    typeof m.filter === 'string' &&
    m.filter.length <= 4096 &&
    size <= MAX_LIVE_MESSAGE_BYTES
      ? m.filter
      : null;
  const label = `${url ? `live${url.slice(0, 80)} ` : ''}${Buffer.isBuffer(data) ? `<${data.length} bytes>` : data.slice(0, 200)}`;
  return { label, url, data, subscribe, size };
}

/** What is wrong with one reply: not a live message, a stray null, an error that names nothing. */
function messageProblems(e: SocketEvent, c: LiveCase): string[] {
  if (e.kind === 'silent') return ['no reply within 5 s'];
  if (e.kind === 'close')
    return e.code === 1009 && c.size > MAX_LIVE_MESSAGE_BYTES
      ? []
      : [`closed with ${e.code} ${JSON.stringify(e.reason)}`];
  if (!check.Check(e.json)) {
    // A NaN or Infinity in an update reaches the browser as null: named by where it is.
    const nulls = e.json && typeof e.json === 'object' ? strayNulls(e.json) : [];
    if (nulls.length > 0) return [`${(e.json as { type?: string }).type} has null at ${nullsText(nulls)}`];
    return [`reply is not a live message: ${e.text.slice(0, 120)}`];
  }
  const m = e.json as LiveServerMessage;
  if (m.type === 'update' || m.type === 'delta') {
    const nulls = strayNulls(m);
    return nulls.length > 0 ? [`${m.type} has null at ${nullsText(nulls)}`] : [];
  }
  if (m.message === '') return ['error without a message'];
  if (c.subscribe !== null) {
    if (m.issues.length === 0) return [`error for a valid subscribe: ${m.message}`];
    const sent = new Set(new URLSearchParams(c.subscribe).keys());
    // A parameter sent, or one of the filter's that the sent ones clash with (from after to).
    const unnamed = m.issues.filter((i) => !sent.has(i.param) && !FILTER.includes(i.param));
    if (unnamed.length > 0)
      return [`error names a parameter not sent: ${JSON.stringify(unnamed[0]).slice(0, 120)}`];
  }
  return [];
}

describe('live messages (fuzz)', () => {
  it('answers every message with a live message, and keeps serving', { timeout: 120_000 }, async () => {
    const rng = new Prng(SEED);
    // The harness sends as fast as the server answers: past the message allowance the newest message
    // waits for the next live round (liveHub.test.ts checks that), which this test runs only now and then.
    const target = await IngestTarget.start({ WEFT_LIVE_MESSAGE_BURST: '100000' });
    // Something to draw: valid batches, random hostile ones, and the ingest corpus's known-bad ones
    // (an inherited name as a drop reason, a byte count near the largest double).
    const frames = new IngestFrames(new Prng(SEED + 1));
    for (let i = 0; i < 20; i++)
      await target.send(
        i % 2 === 0 ? { label: 'valid', data: JSON.stringify(frames.base()) } : frames.random(),
      );
    const reason = frames.base(0);
    for (const d of reason.drops) d.reason = 'constructor';
    const huge = frames.base(0);
    huge.flows.bytes = huge.flows.bytes.map(() => 1e308);
    for (const b of [reason, huge]) await target.send({ label: 'known bad', data: JSON.stringify(b) });
    const liveUrl = `${target.url.replace('http', 'ws')}/api/v1/live`;
    const findings = new Map<string, Finding>();
    const note = (p: string, input: string) => {
      const f = findings.get(signature(p));
      if (f) f.occurrences++;
      else findings.set(signature(p), { problem: p, input, occurrences: 1 });
    };
    let socket = await FuzzSocket.open(liveUrl);
    let socketUrl = '';
    // Whether the socket holds a subscription, so the live round sends it an update.
    let subscribed = false;
    for (let i = 0; i < MESSAGES; i++) {
      const c = liveCase(rng);
      if (c.url !== socketUrl || socket.closed) {
        await socket.close();
        socket = await FuzzSocket.open(`${liveUrl}${c.url}`);
        socketUrl = c.url;
        subscribed = false;
      }
      socket.send(c.data);
      const first = await socket.next();
      for (const p of messageProblems(first, c)) note(p, c.label);
      const wasError = first.kind === 'message' && (first.json as { type?: string }).type === 'error';
      if (c.subscribe !== null) subscribed = true;
      if (c.subscribe !== null && wasError) {
        const second = await socket.next();
        if (second.kind !== 'message' || (second.json as { type?: string }).type !== 'update')
          note('a subscribe with ignored parameters got no update', c.label);
        else for (const p of messageProblems(second, c)) note(p, c.label);
      } else if (c.subscribe === null && !wasError && first.kind === 'message')
        note('a message that is not a subscribe was not answered with an error', c.label);
      if (i % 20 === 19) {
        // The live round, as the server's timer runs it: every subscriber's update must be valid.
        try {
          target.app.weft.live.tick();
        } catch (err) {
          note(`live.tick threw ${(err as Error).message}`, c.label);
        }
        const e = subscribed ? await socket.next() : null;
        if (e === null) {
        } else if (e.kind !== 'message') note(`no update from the live round: ${JSON.stringify(e)}`, c.label);
        else for (const p of messageProblems(e, { ...c, subscribe: null })) note(p, `tick after ${c.label}`);
        const health = await fetch(`${target.url}/healthz`).then(
          (r) => r.status,
          (err: Error) => err.message,
        );
        if (health !== 200) note(`/healthz: ${health}`, c.label);
      }
    }
    await socket.close();
    for (const url of ['/healthz', '/readyz']) {
      const res = await fetch(`${target.url}${url}`);
      if (res.status !== 200) note(`${url} answered ${res.status}`, 'after all the live messages');
    }
    await target.close();
    const list = [...findings.values()];
    console.log(`live messages: ${MESSAGES} messages, seed ${SEED}, ${list.length} finding(s)`);
    expect(list, findingsReport('live messages', SEED, list)).toEqual([]);
  });
});
