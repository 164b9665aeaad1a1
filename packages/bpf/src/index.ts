export { BoundedLineQueue } from './BoundedLineQueue.js';
export { checkProbe, type ProbeCheck } from './checkProbe.js';
export { AF_INET, AF_INET6, formatAddress } from './formatAddress.js';
export { probeBinaryPath } from './probeBinaryPath.js';
export {
  decodeRecord,
  decodeRecords,
  MAX_RECORD_BYTES,
  ProbeStreamError,
  RECORD_LAYOUT,
  RECORD_MAGIC,
  RECORD_VERSION,
  RecordDecoder,
  type RecordDecoderOptions,
} from './records.js';
export { type ProbeExit, type ProbeOptions, type ProbeProcess, probeArgs, spawnProbe } from './spawnProbe.js';
