import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import {
  encodeRecord,
  FORMAT_VERSION,
  HEADER_BYTES,
  type JournalRecord,
  RecordKind,
  readSegment,
  recordHead,
  segmentHeader,
} from './journalFormat.js';

function segment(): { buf: Buffer; ends: number[] } {
  const records = [
    encodeRecord(RecordKind.observed, 1000, 0, '', Buffer.from('["n1"]')),
    encodeRecord(RecordKind.table, 1001, 7, 'nöde-1', Buffer.from('[{"ip":"10.0.0.1"}]')),
    encodeRecord(RecordKind.batch, 1002.5, 7, 'nöde-1', Buffer.from('{"type":"batch"}')),
  ];
  const ends: number[] = [];
  let o = HEADER_BYTES;
  for (const r of records) {
    o += r.length;
    ends.push(o);
  }
  return { buf: Buffer.concat([segmentHeader(), ...records]), ends };
}

function read(buf: Buffer) {
  const seen: JournalRecord[] = [];
  const problem = readSegment(buf, (r) => {
    seen.push({ ...r, body: Buffer.from(r.body) });
    return undefined;
  });
  return { seen, problem };
}

describe('journal segment format', () => {
  it('reads back every record as written', () => {
    const { seen, problem } = read(segment().buf);
    expect(problem).toBeNull();
    expect(seen.map((r) => [r.kind, r.at, r.stream, r.node, r.body.toString()])).toEqual([
      [RecordKind.observed, 1000, 0, '', '["n1"]'],
      [RecordKind.table, 1001, 7, 'nöde-1', '[{"ip":"10.0.0.1"}]'],
      [RecordKind.batch, 1002.5, 7, 'nöde-1', '{"type":"batch"}'],
    ]);
  });

  it('stops at a record whose bytes changed (bad CRC), keeping those before it', () => {
    const { buf, ends } = segment();
    buf[ends[1]! + 20] = buf[ends[1]! + 20]! ^ 0x40;
    const { seen, problem } = read(buf);
    expect(seen).toHaveLength(2);
    expect(problem).toEqual({ offset: ends[1], reason: 'bad CRC' });
  });

  it('stops at a cut-short tail (a write the process did not finish)', () => {
    const { buf, ends } = segment();
    const { seen, problem } = read(buf.subarray(0, ends[2]! - 3));
    expect(seen).toHaveLength(2);
    expect(problem).toEqual({ offset: ends[1], reason: 'record cut short' });
    expect(read(buf.subarray(0, ends[1]! + 5)).problem).toEqual({
      offset: ends[1],
      reason: 'record frame cut short',
    });
  });

  it('stops at garbage after the records', () => {
    const { buf, ends } = segment();
    const { seen, problem } = read(
      Buffer.concat([buf, Buffer.from('\xff\xff\xff\xffgarbage garbage', 'latin1')]),
    );
    expect(seen).toHaveLength(3);
    expect(problem).toEqual({ offset: ends[2], reason: `record length ${0xffffffff} is not a record's` });
  });

  it('skips a whole file of another format version, of another format, or shorter than a header', () => {
    const { buf } = segment();
    const other = Buffer.concat([segmentHeader(FORMAT_VERSION + 1), buf.subarray(HEADER_BYTES)]);
    expect(read(other)).toEqual({
      seen: [],
      problem: {
        offset: 0,
        reason: `format version ${FORMAT_VERSION + 1}, this server reads ${FORMAT_VERSION}`,
      },
    });
    expect(read(Buffer.from('{"not":"a segment"}')).problem).toEqual({
      offset: 0,
      reason: 'not a weft journal segment',
    });
    expect(read(buf.subarray(0, 5)).problem).toEqual({ offset: 0, reason: 'header cut short (5 bytes)' });
  });

  it('stops where the reader finds a record unusable', () => {
    const { buf, ends } = segment();
    let n = 0;
    const problem = readSegment(buf, () => (++n === 2 ? 'no good' : undefined));
    expect(problem).toEqual({ offset: ends[0], reason: 'no good' });
  });

  it('writes a record in two pieces (head, then the body as it is) with the CRC of the whole payload', () => {
    const body = Buffer.from('{"type":"batch","seq":3}');
    const head = recordHead(RecordKind.batch, 1003, 9, 'n2', body);
    const whole = Buffer.concat([head, body]);
    expect(whole.readUInt32LE(0)).toBe(whole.length - 8);
    expect(whole.readUInt32LE(4)).toBe(crc32(whole, 8));
    expect(encodeRecord(RecordKind.batch, 1003, 9, 'n2', body).equals(whole)).toBe(true);
    const seen: JournalRecord[] = [];
    expect(readSegment(Buffer.concat([segmentHeader(), whole]), (r) => void seen.push(r))).toBeNull();
    expect(seen.map((r) => [r.kind, r.at, r.stream, r.node, r.body.toString()])).toEqual([
      [RecordKind.batch, 1003, 9, 'n2', body.toString()],
    ]);
  });
});
