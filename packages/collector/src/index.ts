export { IntervalAggregator, type IntervalResult, type Resolver } from './aggregator.js';
export { COLLECTOR_VERSION } from './collectorVersion.js';
export {
  type CollectorConfig,
  collectorHelp,
  DEFAULT_SERVER_URL,
  type IdentityMode,
  type MetricsLevel,
  type ParseCollectorConfigResult,
  parseCollectorConfig,
} from './config.js';
export type { ClusterConfig } from './identity/clusterConfig.js';
export type { IdentitySource } from './identity/identitySource.js';
export { IdentityTable, type NodeInfo, type PodInfo, type ServiceInfo } from './identity/identityTable.js';
export { applyInventory, parseInventory, startInventorySource } from './identity/inventorySource.js';
export { type CollectorDeps, type RunningCollector, startCollector } from './main.js';
export { type CollectorMetrics, createCollectorMetrics } from './metrics/collectorMetrics.js';
export { type LabelPolicy, makeLabelPolicy } from './metrics/labelPolicy.js';
export { MetricsRecorder } from './metrics/metricsRecorder.js';
export type { ProbeSpawner, ProbeSpawnOptions } from './probe/spawnWeftProbe.js';
export { type ProbeProcessLike, type RecordSource, superviseProbe } from './probe/superviseProbe.js';
export { IngestClient, type IngestClientOptions, type IngestClientStats } from './stream/ingestClient.js';
export { COLLECTOR_V8_FLAGS, missingV8Flags } from './v8Flags.js';
