import type { Endpoint } from '@weft/protocol';
import { crc32 } from './crc32.js';

/**
 * The store snapshot's file format (storeSnapshots.ts has the design). A 16-byte header, then two
 * sections, each framed with its length and CRC-32:
 *
 *   header:  "WEFTSNAP" (8 bytes) | format version u32 LE | 0 u32
 *   section: payload length f64 LE | CRC-32 of the payload u32 LE | 0 u32 | payload
 *   1: JSON: where in the journal the snapshot stands, and the store image's meta (storeImage.ts)
 *      (padded with spaces to a multiple of 8 bytes, so the numbers after it are aligned)
 *   2: the image's numbers, Float64 LE
 */
/** `<store time ms, 15 digits>.wsn`; `.tmp` after it while being written. */
export const SNAPSHOT_NAME = /^(\d{15})\.wsn$/;
const SNAPSHOT_TMP = /^\d{15}\.wsn\.tmp$/;

export function snapshotName(at: number): string {
  return `${String(Math.round(at)).padStart(15, '0')}.wsn`;
}

/** A snapshot's file, or one left half-written by a process that stopped. */
export function isSnapshotName(name: string): boolean {
  return SNAPSHOT_NAME.test(name) || SNAPSHOT_TMP.test(name);
}

export const SNAPSHOT_MAGIC = Buffer.from('WEFTSNAP', 'latin1');
export const SNAPSHOT_VERSION = 1;
const HEADER_BYTES = 16;
const FRAME_BYTES = 16;

/** Where the journal stood when the snapshot was taken: everything before is in the snapshot. */
export interface JournalPosition {
  /** The segment's file name (not its path: a data directory may move). */
  segment: string;
  /** The segment's start (its name's first part): later segments are wholly after the snapshot. */
  start: number;
  /** Bytes of the segment written or queued when the snapshot was taken. */
  offset: number;
  /** Each stream's endpoint table there (stream id, table), for the segment's batches after it. */
  tables: [number, Endpoint[]][];
}

export interface SnapshotHead<M> {
  journal: JournalPosition;
  meta: M;
}

function frame(length: number, crc: number): Buffer {
  const f = Buffer.alloc(FRAME_BYTES);
  f.writeDoubleLE(length, 0);
  f.writeUInt32LE(crc >>> 0, 8);
  return f;
}

/** The bytes of `numbers` as they lie in memory (little-endian on every engine Node runs on). */
export function numberBytes(numbers: Float64Array): Buffer {
  return Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength);
}

/**
 * A snapshot's file as chunks to write in order, given its head (a SnapshotHead) as JSON and the CRC
 * of its numbers (both made apart, in slices: stringifySliced, crc32Sliced), so nothing of the
 * numbers is copied.
 */
export function encodeSnapshot(
  headJson: string,
  numbers: Float64Array,
  numbersCrc: number,
  version = SNAPSHOT_VERSION,
): Buffer[] {
  const header = Buffer.alloc(HEADER_BYTES);
  SNAPSHOT_MAGIC.copy(header, 0);
  header.writeUInt32LE(version, 8);
  let json = headJson;
  const bytes = Buffer.byteLength(json);
  json += ' '.repeat((8 - (bytes % 8)) % 8);
  const jsonBuf = Buffer.from(json, 'utf8');
  const data = numberBytes(numbers);
  return [header, frame(jsonBuf.length, crc32(jsonBuf)), jsonBuf, frame(data.length, numbersCrc), data];
}

/** The CRC-32 of `buf`, `slice` bytes a task, so a large snapshot never holds the event loop long. */
export async function crc32Sliced(buf: Buffer, slice = 4 * 1024 * 1024): Promise<number> {
  let crc = 0;
  for (let o = 0; o < buf.length; o += slice) {
    crc = crc32(buf, o, Math.min(buf.length, o + slice), crc);
    if (o + slice < buf.length) await new Promise((r) => setImmediate(r));
  }
  return crc;
}

export type Decoded<M> =
  | { ok: true; head: SnapshotHead<M>; numbers: Float64Array }
  | { ok: false; offset: number; reason: string };

/** Reads a snapshot's bytes: its head and numbers, or where and why it is not a usable snapshot. */
export function decodeSnapshot<M>(buf: Buffer): Decoded<M> {
  const bad = (offset: number, reason: string): Decoded<M> => ({ ok: false, offset, reason });
  if (buf.length < HEADER_BYTES) return bad(0, `header cut short (${buf.length} bytes)`);
  if (!buf.subarray(0, 8).equals(SNAPSHOT_MAGIC)) return bad(0, 'not a weft store snapshot');
  const version = buf.readUInt32LE(8);
  if (version !== SNAPSHOT_VERSION)
    return bad(0, `format version ${version}, this server reads ${SNAPSHOT_VERSION}`);
  const sections: Buffer[] = [];
  let o = HEADER_BYTES;
  for (let k = 0; k < 2; k++) {
    if (buf.length - o < FRAME_BYTES) return bad(o, 'section frame cut short');
    const len = buf.readDoubleLE(o);
    if (!Number.isSafeInteger(len) || len < 0 || (k === 1 && len % 8 !== 0))
      return bad(o, `section length ${len} is not a section's`);
    const start = o + FRAME_BYTES;
    if (start + len > buf.length) return bad(o, 'section cut short');
    if (crc32(buf, start, start + len) !== buf.readUInt32LE(o + 8)) return bad(o, 'bad CRC');
    sections.push(buf.subarray(start, start + len));
    o = start + len;
  }
  if (o !== buf.length) return bad(o, `${buf.length - o} bytes after the last section`);
  let head: SnapshotHead<M>;
  try {
    head = JSON.parse(sections[0]!.toString('utf8')) as SnapshotHead<M>;
  } catch (e) {
    return bad(HEADER_BYTES, `head not JSON (${(e as Error).message.slice(0, 80)})`);
  }
  const j = head?.journal;
  if (
    typeof j?.segment !== 'string' ||
    typeof j.start !== 'number' ||
    typeof j.offset !== 'number' ||
    !Array.isArray(j.tables) ||
    typeof head.meta !== 'object' ||
    head.meta === null
  )
    return bad(HEADER_BYTES, 'head lacks the journal position or the meta');
  const data = sections[1]!;
  // Aligned (readFileSync's buffer is its own): a view; else one copy.
  const numbers =
    data.byteOffset % 8 === 0
      ? new Float64Array(data.buffer, data.byteOffset, data.length / 8)
      : new Float64Array(new Uint8Array(data).buffer);
  return { ok: true, head, numbers };
}
