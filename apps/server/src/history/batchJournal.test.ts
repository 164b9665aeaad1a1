import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchJournal } from './batchJournal.js';
import { type JournalRecord, RecordKind, readSegment } from './journalFormat.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function journal(opts: Partial<ConstructorParameters<typeof BatchJournal>[0]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-journal-'));
  dirs.push(dir);
  const clock = { now: 600_000 };
  const errors: string[] = [];
  const j = new BatchJournal({
    dir,
    retentionMs: 3_600_000,
    segmentMs: 60_000,
    now: () => clock.now,
    log: { info() {}, error: (_o, msg) => errors.push(msg) },
    ...opts,
  });
  return { j, dir, clock, errors };
}

function records(path: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  expect(
    readSegment(readFileSync(path), (r) => {
      out.push(r);
      return undefined;
    }),
  ).toBeNull();
  return out;
}

const ep = (i: number) => ({ ip: `10.0.0.${i}` }) as unknown as Endpoint;

describe('BatchJournal', () => {
  it('writes a segment a period (here a minute), each beginning with the observed nodes and each stream’s table so far', async () => {
    const { j, dir, clock } = journal();
    const stream = {};
    const table = [ep(1), ep(2)];
    j.observed(['n1'], clock.now);
    j.batch(stream, Buffer.from('{"a":0}'), 0, table, 'n1', clock.now);
    table.push(ep(3));
    clock.now += 1_000;
    j.batch(stream, Buffer.from('{"a":1}'), 2, table, 'n1', clock.now);
    // Nothing on disk before a flush.
    await j.flush();
    clock.now += 60_000;
    table.push(ep(4));
    j.batch(stream, Buffer.from('{"a":2}'), 3, table, 'n1', clock.now);
    await j.close();
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    const summary = (p: string) =>
      records(join(dir, p)).map((r) => [r.kind, r.stream, r.node, r.body.toString()]);
    expect(summary(files[0]!)).toEqual([
      [RecordKind.observed, 0, '', '["n1"]'],
      [RecordKind.batch, 1, 'n1', '{"a":0}'],
      [RecordKind.batch, 1, 'n1', '{"a":1}'],
    ]);
    expect(summary(files[1]!)).toEqual([
      [RecordKind.observed, 0, '', '["n1"]'],
      [RecordKind.table, 1, 'n1', JSON.stringify([ep(1), ep(2), ep(3)])],
      [RecordKind.batch, 1, 'n1', '{"a":2}'],
    ]);
    expect(j.bytesOnDisk).toBe(files.reduce((s, f) => s + readFileSync(join(dir, f)).length, 0));
    // Closed: later batches are not written (nor counted as failures).
    j.batch(stream, Buffer.from('{}'), 0, [], 'n1', clock.now);
    expect(j.unwrittenBatches).toBe(1);
  });

  it('finds the segments already there, and deletes those past retention as new ones begin', async () => {
    const { j, dir, clock } = journal({ retentionMs: 5 * 60_000 });
    for (let m = 0; m < 8; m++) {
      j.batch({}, Buffer.from(`{"m":${m}}`), 0, [], 'n1', clock.now);
      await j.flush();
      clock.now += 60_000;
    }
    await j.close();
    // At the last write (minute 7 of the run), minutes 0 and 1 ended over 5 minutes before.
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(6);
    expect(records(join(dir, left[0]!))[0]!.body.toString()).toBe('{"m":2}');
    const again = new BatchJournal({
      dir,
      retentionMs: 5 * 60_000,
      now: () => clock.now,
      log: { info() {}, error() {} },
    });
    expect(again.segmentFiles().map((f) => f.path)).toEqual(left.map((f) => join(dir, f)));
    // Hours later everything but the newest is past retention.
    again.deleteExpired(clock.now + 3_600_000);
    expect(readdirSync(dir)).toEqual([left[5]]);
  });

  it('on a full disk keeps going without it, says so, and writes again in a new segment later', async () => {
    let full = true;
    const { j, dir, clock, errors } = journal({
      retryMs: 30_000,
      open: (path) => (full ? openSync('/dev/full', 'w') : openSync(path, 'wx')),
    });
    j.batch({}, Buffer.from('{"lost":1}'), 0, [], 'n1', clock.now);
    j.batch({}, Buffer.from('{"lost":2}'), 0, [], 'n1', clock.now);
    await j.flush();
    expect(j.state).toBe('diskFull');
    expect(j.lastError).toMatch(/^ENOSPC/);
    expect(j.unwrittenBatches).toBe(2);
    expect(j.writeErrors).toBe(1);
    expect(errors).toEqual([
      'history: the disk is full: the server keeps running with its history in memory only',
    ]);
    clock.now += 10_000;
    j.batch({}, Buffer.from('{"lost":3}'), 0, [], 'n1', clock.now);
    expect(j.unwrittenBatches).toBe(3);
    full = false;
    clock.now += 30_000;
    j.batch({}, Buffer.from('{"kept":1}'), 0, [], 'n1', clock.now);
    await j.close();
    expect(j.state).toBe('disk');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(records(join(dir, files[0]!)).map((r) => r.body.toString())).toEqual(['{"kept":1}']);
    expect(j.bytesOnDisk).toBe(readFileSync(join(dir, files[0]!)).length);
  });

  it('starts without a directory it cannot make, in memory only, and says why', () => {
    const { dir } = journal();
    writeFileSync(join(dir, 'a-file'), '');
    const errors: string[] = [];
    const j = new BatchJournal({
      dir: join(dir, 'a-file', 'history'),
      retentionMs: 3_600_000,
      now: () => 0,
      log: { info() {}, error: (_o, msg) => errors.push(msg) },
    });
    expect(j.state).toBe('error');
    expect(j.lastError).toMatch(/^ENOTDIR/);
    expect(j.segmentFiles()).toEqual([]);
    expect(errors).toHaveLength(1);
    j.batch({}, Buffer.from('{}'), 0, [], 'n1', 1_000);
    expect(j.unwrittenBatches).toBe(1);
  });
});
