import { describe, expect, it } from 'vitest';
import { findingsReport, runFrames } from './fuzzRun.js';
import { FuzzSocket } from './fuzzSocket.js';
import { IngestFrames } from './ingestFrames.js';
import { IngestTarget } from './ingestTarget.js';
import { fuzzSeed, Prng } from './prng.js';
import { validHello } from './validFrames.js';

/**
 * Hostile collectors over a real ingest WebSocket: whatever one sends, the server answers it (a reject
 * naming the problem, or a close saying why), keeps answering health and every read with finite
 * numbers, and goes on storing a normal collector's batches. The seed is fixed so CI runs the same cases;
 * WEFT_FUZZ_SEED=<n> replays or explores.
 */
const SEED = fuzzSeed(12_001);
const RANDOM_FRAMES = 300;

describe('ingest frames (fuzz)', () => {
  it('answers every frame of the corpus and of random ones, and keeps serving', {
    timeout: 120_000,
  }, async () => {
    const rng = new Prng(SEED);
    const gen = new IngestFrames(rng);
    function* frames() {
      yield* gen.corpus();
      for (let i = 0; i < RANDOM_FRAMES; i++) yield gen.random();
    }
    const { findings, sent } = await runFrames(frames(), {
      start: () => IngestTarget.start(),
      sweepEvery: 20,
    });
    console.log(`ingest frames: ${sent} frames, seed ${SEED}, ${findings.length} finding(s)`);
    expect(findings, findingsReport('ingest frames', SEED, findings)).toEqual([]);
  });

  it('closes a connection past WEFT_MAX_BAD_MESSAGES, saying why, and keeps the others', async () => {
    const target = await IngestTarget.start({ WEFT_MAX_BAD_MESSAGES: '3' });
    const s = await FuzzSocket.open(target.ingestUrl);
    s.send(JSON.stringify(validHello('bad-node', 'bad-boot')));
    expect((await s.next()).kind).toBe('message');
    const events = [];
    for (let i = 0; i < 3; i++) {
      s.send('{');
      events.push(await s.next());
    }
    expect(events.map((e) => e.kind)).toEqual(['message', 'message', 'message']);
    const close = await s.next();
    expect(close).toMatchObject({ kind: 'close', code: 4400 });
    expect(await target.sweep(0)).toEqual([]);
    await target.close();
  });
});
