import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the zlib/PNG one) of journal records: zlib's (Node 20.15+, and the engines field
 * asks 20.19), `crcSoFar` that of the bytes before (a record written in two pieces); about 1 GB/s against 130 MB/s for a one-table JavaScript loop, which was a sixth of a
 * replay's reading and the largest share of what each batch costs the ingest path in the journal.
 */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, crcSoFar = 0): number {
  return zlibCrc32(start === 0 && end === buf.length ? buf : buf.subarray(start, end), crcSoFar);
}
