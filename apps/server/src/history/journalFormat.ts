import { crc32 } from './crc32.js';

/**
 * The journal's file format (see batchJournal.ts for the design). A segment is a 16-byte header, then
 * records:
 *
 *   header:  "WEFTJRNL" (8 bytes) | format version u32 LE | 0 u32
 *   record:  payload length u32 LE | CRC-32 of the payload u32 LE | payload
 *   payload: kind u8 | at f64 LE (the server's clock when stored) | stream u32 LE | node length u16 LE
 *            | node (UTF-8) | body
 *
 * Bodies are JSON: a batch (or resent) record's is the collector's frame as it arrived (packed against
 * the stream's endpoint table), a table record's the stream's endpoint table so far, an observed record's the nodes
 * with a connected collector.
 */
export const SEGMENT_MAGIC = Buffer.from('WEFTJRNL', 'latin1');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 16;
const FRAME_BYTES = 8;
const FIXED_PAYLOAD_BYTES = 1 + 8 + 4 + 2;
/** Past this a length field is garbage (frames are at most a few MiB, tables tens of MiB). */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

/** `resent`: a batch the store had already (a duplicate seq) whose endpoints the table still takes. */
export const RecordKind = { batch: 1, table: 2, observed: 3, resent: 4 } as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];
const KINDS = new Set<number>(Object.values(RecordKind));

export interface JournalRecord {
  kind: RecordKind;
  at: number;
  stream: number;
  node: string;
  body: Buffer;
}

export function segmentHeader(version = FORMAT_VERSION): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  SEGMENT_MAGIC.copy(h, 0);
  h.writeUInt32LE(version, 8);
  return h;
}

/** One framed record in one buffer (its head, then `body` copied after it). */
export function encodeRecord(
  kind: RecordKind,
  at: number,
  stream: number,
  node: string,
  body: Buffer,
): Buffer {
  return Buffer.concat([recordHead(kind, at, stream, node, body), body]);
}

/**
 * A record's head (frame and fixed payload, CRC over the whole payload): the writer appends it and then
 * `body` itself, so a collector's frame goes to disk without a copy on the ingest path.
 */
export function recordHead(kind: RecordKind, at: number, stream: number, node: string, body: Buffer): Buffer {
  const nodeLen = Buffer.byteLength(node);
  const payloadLen = FIXED_PAYLOAD_BYTES + nodeLen + body.length;
  const out = Buffer.allocUnsafe(FRAME_BYTES + FIXED_PAYLOAD_BYTES + nodeLen);
  out.writeUInt32LE(payloadLen, 0);
  let o = FRAME_BYTES;
  out.writeUInt8(kind, o);
  out.writeDoubleLE(at, o + 1);
  out.writeUInt32LE(stream, o + 9);
  out.writeUInt16LE(nodeLen, o + 13);
  o += FIXED_PAYLOAD_BYTES;
  out.write(node, o, 'utf8');
  out.writeUInt32LE(crc32(body, 0, body.length, crc32(out, FRAME_BYTES)), 4);
  return out;
}

/** Where reading a segment stopped short, and why (null: it was read to its end). */
export interface SegmentProblem {
  offset: number;
  reason: string;
}

/**
 * Visits the records of a segment's bytes in order. Stops at the first record that is cut short, fails
 * its CRC or is not a record (everything after it is skipped: a length field that is wrong cannot be
 * trusted to find the next one), and says where and why; a header that is not this format's skips
 * the whole file. `visit` returns why a record it was given is unusable, which stops the reading there too.
 * `from`: where a record begins (a snapshot's position), to read from there on.
 */
export function readSegment(
  buf: Buffer,
  visit: (r: JournalRecord, offset: number) => string | undefined,
  from = HEADER_BYTES,
): SegmentProblem | null {
  if (buf.length < HEADER_BYTES) return { offset: 0, reason: `header cut short (${buf.length} bytes)` };
  if (!buf.subarray(0, 8).equals(SEGMENT_MAGIC)) return { offset: 0, reason: 'not a weft journal segment' };
  const version = buf.readUInt32LE(8);
  if (version !== FORMAT_VERSION)
    return { offset: 0, reason: `format version ${version}, this server reads ${FORMAT_VERSION}` };
  let o = Math.max(HEADER_BYTES, from);
  while (o < buf.length) {
    if (buf.length - o < FRAME_BYTES) return { offset: o, reason: 'record frame cut short' };
    const len = buf.readUInt32LE(o);
    if (len < FIXED_PAYLOAD_BYTES || len > MAX_PAYLOAD_BYTES)
      return { offset: o, reason: `record length ${len} is not a record's` };
    const start = o + FRAME_BYTES;
    const end = start + len;
    if (end > buf.length) return { offset: o, reason: 'record cut short' };
    if (crc32(buf, start, end) !== buf.readUInt32LE(o + 4)) return { offset: o, reason: 'bad CRC' };
    const kind = buf.readUInt8(start);
    const nodeLen = buf.readUInt16LE(start + 13);
    if (!KINDS.has(kind) || FIXED_PAYLOAD_BYTES + nodeLen > len)
      return { offset: o, reason: `record of unknown kind ${kind}` };
    const nodeStart = start + FIXED_PAYLOAD_BYTES;
    const unusable = visit(
      {
        kind: kind as RecordKind,
        at: buf.readDoubleLE(start + 1),
        stream: buf.readUInt32LE(start + 9),
        node: buf.toString('utf8', nodeStart, nodeStart + nodeLen),
        body: buf.subarray(nodeStart + nodeLen, end),
      },
      o,
    );
    if (unusable !== undefined) return { offset: o, reason: unusable };
    o = end;
  }
  return null;
}
