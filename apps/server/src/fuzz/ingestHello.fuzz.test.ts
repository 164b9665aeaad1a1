import { packBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { type Finding, findingsReport, signature } from './fuzzRun.js';
import { FuzzSocket } from './fuzzSocket.js';
import { HOSTILE_STRINGS, mutateOne, PROTO_NAMES, RAW_NUMBERS, rawNumber, toText } from './hostileValues.js';
import { IngestTarget, replyProblems } from './ingestTarget.js';
import { fuzzSeed, Prng } from './prng.js';
import { validBatches, validHello } from './validFrames.js';

/**
 * Hostile hellos over a real ingest WebSocket, one connection each: every field of a valid hello given
 * each wrong type, every inherited name and format breaker as node, boot and version, every protocol
 * number. Each is answered with a welcome (and then its batches are stored) or a close saying why, and
 * the server keeps serving. WEFT_FUZZ_SEED=<n> replays or explores.
 */
const SEED = fuzzSeed(12_002);
const HELLO_RANDOM = 120;

describe('ingest hello (fuzz)', () => {
  it('answers every hello, valid or not, with a welcome or a close that says why', {
    timeout: 120_000,
  }, async () => {
    const rng = new Prng(SEED);
    const base = validHello('hello-node', 'hello-boot');
    const cases: { label: string; value: unknown }[] = [];
    for (const name of [...PROTO_NAMES, ...HOSTILE_STRINGS])
      for (const field of ['node', 'boot', 'collectorVersion'] as const)
        cases.push({
          label: `hello.${field} = ${JSON.stringify(name).slice(0, 60)}`,
          value: { ...base, [field]: name },
        });
    for (const name of PROTO_NAMES)
      cases.push({ label: `hello.hooks = [${name}]`, value: { ...base, hooks: [name] } });
    for (const field of Object.keys(base))
      for (const v of [null, 'x', 1, {}, [], rawNumber('NaN'), rawNumber('1e999')])
        cases.push({ label: `hello.${field} = ${toText(v)}`, value: { ...base, [field]: v } });
    for (const p of [0, 1, 2, 4, -1, 1e308, 2 ** 53, '3', ...RAW_NUMBERS.map(rawNumber)])
      cases.push({ label: `hello.protocol = ${toText(p)}`, value: { ...base, protocol: p } });
    cases.push({
      label: 'hello with 100,000 hooks',
      value: { ...base, hooks: Array.from({ length: 100_000 }, (_, i) => `h${i}`) },
    });
    for (let i = 0; i < HELLO_RANDOM; i++) {
      const { value, mutation } = mutateOne(rng, base);
      cases.push({
        label: `hello ${mutation.op} ${mutation.path.join('.')} ${toText(mutation.value ?? null).slice(0, 60)}`,
        value,
      });
    }

    const findings = new Map<string, Finding>();
    const note = (problem: string, input: string) => {
      const f = findings.get(signature(problem));
      if (f) f.occurrences++;
      else findings.set(signature(problem), { problem, input, occurrences: 1 });
    };
    let target = await IngestTarget.start();
    let window: string[] = [];
    let round = 0;
    for (const [i, c] of cases.entries()) {
      window.push(c.label);
      const s = await FuzzSocket.open(target.ingestUrl);
      s.send(toText(c.value));
      const e = await s.next();
      const problems: string[] = [];
      if (e.kind === 'message' && (e.json as { type?: string })?.type === 'welcome') {
        const w = e.json as { protocol?: unknown };
        if (w.protocol !== (c.value as { protocol?: unknown }).protocol)
          problems.push(`welcome in protocol ${toText(w.protocol)}`);
        // Accepted: its batches must be taken too.
        s.send(JSON.stringify(packBatch(validBatches(Date.now(), i)[0]!)));
        const r = await s.next();
        if (r.kind !== 'message' || (r.json as { type?: string })?.type !== 'ack')
          problems.push(`batch after an accepted hello got ${JSON.stringify(r).slice(0, 200)}`);
      } else problems.push(...replyProblems(e));
      await s.close();
      for (const p of problems) note(p, c.label);
      if (problems.length > 0 || window.length >= 10 || i === cases.length - 1) {
        const swept = await target.sweep(round++);
        for (const p of swept) note(p, `one of: ${window.join(' | ')}`);
        if (swept.length > 0) {
          await target.close();
          target = await IngestTarget.start();
        }
        window = [];
      }
    }
    await target.close();
    const list = [...findings.values()];
    console.log(`ingest hellos: ${cases.length} hellos, seed ${SEED}, ${list.length} finding(s)`);
    expect(list, findingsReport('ingest hellos', SEED, list)).toEqual([]);
  });
});
