/**
 * '@weft/collector/launch': what a launcher needs before the collector runs (its flags, its
 * configuration parser), without loading the collector itself, so that a process that only
 * re-executes Node with the right flags stays small.
 */
export {
  type CollectorConfig,
  collectorHelp,
  type ParseCollectorConfigResult,
  parseCollectorConfig,
} from './config.js';
export { COLLECTOR_V8_FLAGS, missingV8Flags } from './v8Flags.js';
