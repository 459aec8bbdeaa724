// What notebooks import: `import { ... } from 'valkey-lab'`. Each name is listed in docs/API.md.
// Set-up internals (starting servers, provisioning, engine classes, bulk loading) are in ./internal.

// Opening the lab, and checks a notebook states
export { openLab, type Lab, type LabCluster, type LabPrivateValkey, type PrivateValkeyOptions } from './lab';
export { check, CheckFailed } from './check';
export { LabError } from './errors';

// Configuration (read-only in notebooks; passwords are masked when shown)
export {
  describeConfig,
  ENGINE_KINDS,
  engineLabel,
  loadConfig,
  maskUrl,
  SCALES,
  type DbTarget,
  type EngineKind,
  type LabConfig,
  type Scale,
  type ValkeyTarget,
} from './config';

// The dataset: its tables and what the database holds
export {
  DATASET_TABLES,
  datasetStatus,
  METADATA_TABLE,
  type DatasetState,
  type DatasetStatus,
  type TableName,
} from './dataset-status';

// The database: the adapter every engine implements, the two dialects side by side, indexes
export {
  type ColumnInfo,
  type Dialect,
  type ExplainOptions,
  type Flavor,
  type QueryResult,
  type Row,
  type SqlEngine,
  type SqlServerInfo,
} from './db/engine';
export { mysqlDialect } from './db/mysql/mysql-dialect';
export { postgresDialect } from './db/postgres/postgres-dialect';
export { createIndex, dropIndex, listIndexes, type IndexChange, type IndexInfo } from './db/indexes';

// EXPLAIN: one normalized plan tree on both engines, and questions to ask of it
export {
  planNodes,
  scansFullTable,
  tableAccesses,
  tableAliases,
  usesIndex,
  type AccessKind,
  type ExplainResult,
  type PlanNode,
} from './db/explain';

// The guide's queries, by guide part, and running them
export {
  airportByIata,
  airportsByCity,
  airportsByCountry,
  airportsByCountryName,
  airportsInCountry,
  countryProfile,
  flightSearch,
  flightSearchTiming,
  GUIDE_QUERIES,
  hubRoutes,
  paramsFor,
  prepareGuideQuery,
  roundTrip,
  runGuideQuery,
  seatAvailability,
  sqlFor,
  sqlTimestamp,
  userLastFlights,
  userLastFlightsTiming,
  type GuideQuery,
  type GuideQueryName,
  type QueryText,
  type QueryValue,
} from './queries';

// Valkey: one server or a cluster, INFO, the lab's key namespace, hash slots, MONITOR, private servers
export {
  connectValkey,
  connectValkeyCluster,
  connectValkeyUrl,
  isCluster,
  labRedisOptions,
  nodeAddress,
  primaries,
  readInfo,
  readInfoByNode,
  valkeyServerInfo,
  valkeyWhere,
  type NodeInfo,
  type Valkey,
  type ValkeyClient,
  type ValkeyClientOptions,
} from './valkey/client';
export {
  cacheServerInfo,
  hitRate,
  parseInfo,
  sumInfo,
  SUMMED_INFO_FIELDS,
  type CacheServerInfo,
  type Info,
  type InfoSection,
  type InfoValue,
} from './valkey/info';
export {
  cacheKey,
  clearLabKeys,
  crossSlotError,
  inspectKey,
  isCrossSlotError,
  listLabKeys,
  nodeForKey,
  sameSlot,
  storedKey,
  type KeyInspection,
} from './valkey/keys';
export { captureCommands, type MonitorCapture, type MonitoredCommand } from './valkey/monitor';
export {
  adminCommand,
  rawCommand,
  startPrivateValkey,
  VALKEY_INSTALL_HINT,
  valkeyServerBinary,
  type PrivateValkey,
  type StartOptions,
} from './valkey/server';
export { type Worker, type WorkerExit } from './valkey/processes';
export { type ClusterNodeProcess, type LocalCluster } from './valkey/cluster-server';
export {
  CLUSTER_SLOTS,
  clusterSlotRanges,
  keysPerPrimary,
  moveSlots,
  type MoveSlotsOptions,
  type PrimaryKeys,
  type SlotMove,
  type SlotRange,
} from './valkey/resharding';
export { killClusterNode, waitForPromotion, type KilledNode, type Promotion } from './valkey/failover';

// Caching patterns
export {
  createCacheAside,
  rowsWithColumns,
  type CacheAside,
  type CacheAsideOptions,
  type CacheOutcome,
  type CacheRead,
  type ShapeCheck,
} from './patterns';

// Measuring: benchmarks with warm-up and percentiles, same-run comparisons, concurrent and pipelined
// workloads, seeded key distributions, INFO over time (data only; `show` words and draws it)
export {
  bench,
  benchPair,
  compare,
  DEFAULT_ITERATIONS,
  DEFAULT_WARMUP,
  failedOrCacheError,
  failuresOverTime,
  failureWindow,
  MAX_KEYS,
  runConcurrent,
  runPipelined,
  sampleInfo,
  seededRandom,
  summarizeSamples,
  uniformKeys,
  zipfKeys,
  zipfShares,
  type BatchContext,
  type BatchRecord,
  type BenchOptions,
  type BenchResult,
  type BuildBatch,
  type ComparedStats,
  type Comparison,
  type ConcurrentOptions,
  type ConcurrentResult,
  type ConcurrentSummary,
  type FailureBucket,
  type FailureTest,
  type FailureWindow,
  type InfoSample,
  type InfoSampler,
  type InfoSeries,
  type KeySampler,
  type LatencyStats,
  type NamedOperation,
  type Operation,
  type PairResult,
  type PipelinedOptions,
  type PipelinedResult,
  type Random,
  type RequestContext,
  type RequestRecord,
  type SampleInfoOptions,
  type UniformKeysOptions,
  type ZipfKeysOptions,
} from './measure';

// Showing: tables, SQL, query results, plans, charts, markdown, and the words for measurements
export {
  benchTable,
  comparisonTable,
  concurrentLatencyChart,
  concurrentPercentileChart,
  concurrentTable,
  describeComparison,
  describeConcurrent,
  describePipelined,
  describeResult,
  failuresOverTimeChart,
  formatMs,
  keysPerPrimaryChart,
  formatSpeedup,
  infoSeriesChart,
  infoSeriesTable,
  pipelineTable,
  pipelineThroughputChart,
  roundMs,
  roundRatio,
  slotRangesChart,
  type BenchRow,
  type TimelineEvent,
  type ComparisonRow,
  type ConcurrentChartOptions,
  type ConcurrentRow,
  type InfoMetric,
  type InfoSampleRow,
  type InfoSeriesChartOptions,
  type PipelineRow,
  type ThroughputPoint,
  chartTitle,
  DEFAULT_MAX_ROWS,
  describeChart,
  describeNode,
  displayRich,
  escapeHtml,
  evictionChart,
  formatCell,
  formatDate,
  formatNumber,
  hitRateChart,
  inKernel,
  LAB_CHART_CONFIG,
  latencyDistributionChart,
  memoryChart,
  percentileChart,
  present,
  renderChart,
  renderPlan,
  renderTable,
  showChart,
  showMarkdown,
  showPlan,
  showSql,
  showTable,
  toDataFrame,
  VEGA_LITE_SCHEMA,
  type Cell,
  type CellOptions,
  type Chart,
  type ChartOptions,
  type ChartSpec,
  type DataFrame,
  type DataFrameLike,
  type EvictionPoint,
  type HitRateOptions,
  type HitRatePoint,
  type LatencyDistributionOptions,
  type LatencySeries,
  type MemorySample,
  type PercentileChartOptions,
  type PercentileSeries,
  type PlanViewOptions,
  type RenderedPlan,
  type RenderedTable,
  type RichKind,
  type TableData,
  type TableOptions,
  type TableRow,
} from './show';
export { showQuery, type ShowQueryOptions } from './show/query';
