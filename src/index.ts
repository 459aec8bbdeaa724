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
  activeSessions,
  airportTrafficRanking,
  bookedSeatsOfFlight,
  bookingStore,
  countryProfile,
  flightSearch,
  dayWindow,
  flightCapacity,
  flightMovements,
  flightSearchByRange,
  flightSearchTiming,
  GUIDE_QUERIES,
  ensurePart4Tables,
  dropPart4Tables,
  applyWrittenBehind,
  openTransactionSession,
  writeBehindTally,
  hubRoutes,
  loadAirportRecord,
  renameAirport,
  routeSummary,
  airportRecord,
  LAB_BOOKING_ID_BASE,
  labBookingId,
  nextDates,
  PART3_QUERIES,
  popularRoutes,
  removeLabBookings,
  paramsFor,
  prepareGuideQuery,
  roundTrip,
  runGuideQuery,
  seatAvailability,
  sqlFor,
  sqlTimestamp,
  userLastFlights,
  userLastFlightsTiming,
  userTravelRows,
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
  migrateSlots,
  moveSlots,
  type MoveSlotsOptions,
  type PrimaryKeys,
  type SlotMigration,
  type SlotMove,
  type SlotRange,
} from './valkey/resharding';
export { killClusterNode, waitForPromotion, type KilledNode, type Promotion } from './valkey/failover';

// Newer Valkey (8.1, 9.0) where the server has it, the older way where it has not: decided in one place
export {
  detectFeatures,
  featureTable,
  VALKEY_FEATURES,
  valkeyAtLeast,
  type FeaturePath,
  type ValkeyFeature,
  type ValkeyFeatures,
} from './valkey/features';
export {
  COMPARE_AND_DELETE_LUA,
  COMPARE_AND_SET_LUA,
  deleteIfEqual,
  setIfEqual,
  type ConditionalOutcome,
} from './valkey/conditional';
export {
  expireFields,
  fieldTtls,
  readAllFields,
  readFields,
  readFieldsAndRefresh,
  setFieldsWithTtl,
  type FieldExpiryResult,
} from './valkey/field-expiry';
export { readCommandLog, type CommandLogEntry, type CommandLogRead, type CommandLogType } from './valkey/commandlog';

// Caching patterns
export {
  CODECS,
  createCacheAside,
  gzipJsonCodec,
  jsonCodec,
  msgpackCodec,
  msgpackRecordsCodec,
  type CacheAsideSetup,
  type Codec,
  rowsWithColumns,
  type CacheAside,
  type CacheAsideOptions,
  type CacheOutcome,
  type CacheRead,
  type ShapeCheck,
} from './patterns';

// Invalidation with cache tags, and warming (Part 3, Steps 17 and 19)
export {
  compareWarming,
  createCacheTags,
  createRefreshWorker,
  enqueueRefresh,
  REFRESH_QUEUE,
  tagKey,
  warmOneByOne,
  warmPipelined,
  type CacheTags,
  type DrainResult,
  type RefreshedKey,
  type RefreshWorkerOptions,
  type TagInvalidation,
  type WarmEntry,
  type WarmingComparison,
  type WarmResult,
} from './patterns';

// Part 4: write-through, durable write-behind, hierarchical invalidation, a near cache, hit rate
export {
  aboveKey,
  createHierarchy,
  createNearCache,
  createWriteBehind,
  createWriteBehindWorker,
  createWriteThrough,
  ensureConsumerGroup,
  INVALIDATE_CHANNEL,
  invalidationDelays,
  measureHitRate,
  readDeadLetters,
  runWriteBehindDrill,
  streamBacklog,
  VERSION_FIELD,
  type ApplyResult,
  type DrillRun,
  type DrillSummary,
  type DrillTimelinePoint,
  type Hierarchy,
  type HierarchyInvalidation,
  type HitRateSample,
  type HitRateWindow,
  type Invalidation,
  type LevelRead,
  type NearCache,
  type NearCacheOptions,
  type NearRead,
  type RemovedEntry,
  type StreamEntry,
  type Versioned,
  type WorkerCounts,
  type WorkerEvent,
  type WriteBehind,
  type WriteBehindEnqueued,
  type WriteBehindOptions,
  type WriteBehindWorker,
  type WriteBehindWorkerOptions,
  type WriteThrough,
  type WriteThroughOptions,
  type WriteThroughOutcome,
  type WriteThroughRead,
  type WriteThroughReadOutcome,
  type WriteThroughWrite,
} from './patterns';

// Cache stampede: four ways to meet many requests for one expired key
export {
  acquireLock,
  backoffMs,
  createCoalescedRead,
  createEarlyRefreshRead,
  createLockedRead,
  createUnprotectedRead,
  detectLockRelease,
  releaseLock,
  RELEASE_LOCK_LUA,
  runStampedeDrill,
  shouldRefreshEarly,
  STAMPEDE_OUTCOMES,
  summarizeStampede,
  type CoalescedStrategy,
  type EarlyRefreshEntry,
  type EarlyRefreshOptions,
  type LockedReadOptions,
  type LockedStrategy,
  type LockRelease,
  type StampedeDrillOptions,
  type StampedeOutcome,
  type StampedeRead,
  type StampedeReadOptions,
  type StampedeRun,
  type StampedeStrategy,
  type StampedeStrategyName,
  type StampedeSummary,
  type StrategyOptions,
} from './patterns';

// Data structures the guide teaches: sessions in hashes, leaderboards in sorted sets
export {
  createSessionStore,
  newSessionId,
  SECRET_FIELD,
  type SessionFields,
  type SessionRead,
  type SessionStore,
  type SessionStoreOptions,
} from './structures/sessions';
export {
  createLeaderboard,
  feedAirportTraffic,
  rankingDifferences,
  rankingFromRows,
  type Leaderboard,
  type RankedEntry,
} from './structures/leaderboard';

// Seats (a HASH of counters and a bitmap, booked race-free) and a user's travel profile
export {
  createSeatInventory,
  seatBit,
  seatKeys,
  seatLabel,
  type SeatAvailability,
  type SeatCacheStep,
  type SeatChange,
  type SeatCounters,
  type SeatInventory,
  type SeatInventoryOptions,
  type SeatKeys,
  type SeatLayout,
  type SeatOutcome,
  type SeatReadOutcome,
  type SeatStore,
} from './structures/seats';
export {
  greatCircleMiles,
  profileSummary,
  readProfile,
  routeCounts,
  STATUS_TIERS,
  storeProfile,
  type CachedProfile,
  type ProfileRead,
  type ProfileSummary,
  type TravelRow,
} from './structures/user-profile';

// Experiments: the user-facing queries from the database and from the cache (Part 3); on servers the lab
// starts, eviction, memory per representation, monitoring, pipelining, profiling and the guide's
// troubleshooting checks (Parts 5 and 6)
export {
  AIRPORT_FIELDS,
  airportMemoryByRepresentation,
  baselineMemory,
  BUSY_LOOP_LUA,
  cacheWorkload,
  checkDatabase,
  checkHitRatio,
  checkIndexes,
  checkLongQueries,
  checkMemoryAlert,
  checkSlowCommands,
  checkValkey,
  checkValkeyMemory,
  compareEvictionPolicies,
  EVICTION_POLICIES,
  fillWatchingAlert,
  GUIDE_MEMORY_ALERT_LUA,
  hasCommandlog,
  latencyHistory,
  latencyLatest,
  listpackSwitch,
  measureKeys,
  MEMORY_ALERT_LUA,
  parseBenchmarkOutput,
  profileQuery,
  readCommandlog,
  readSlowlog,
  runEvictionWorkload,
  runSlowScript,
  runValkeyBenchmark,
  seatMemoryByRepresentation,
  speedupRows,
  benchUserFacingQueries,
  throughputByBatchSize,
  watchServer,
  type AirportRecord,
  type AlertStatus,
  type AlertStep,
  type BenchmarkLine,
  type EncodingStep,
  type EvictionPolicy,
  type EvictionRun,
  type EvictionWorkload,
  type Finding,
  type LatencyEvent,
  type ListpackSwitch,
  type MemoryAlert,
  type PipelinePoint,
  type QueryProfile,
  type RepresentationUsage,
  type ServerWatch,
  type SlowEntry,
  type UserFacingBenchOptions,
  type UserFacingComparison,
} from './experiments';

// Measuring: benchmarks with warm-up and percentiles, same-run comparisons, concurrent and pipelined
// workloads, seeded key distributions, INFO over time (data only; `show` words and draws it)
export {
  bench,
  benchPair,
  benchInterleaved,
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
  percentileRun,
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
  alertChart,
  benchTable,
  bytesPerRecordChart,
  codecChart,
  comparisonTable,
  latencyOverTimeChart,
  drillTimelineChart,
  stampedeChart,
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
  type AlertPoint,
  type CodecFigures,
  type PipelineRow,
  type RecordCost,
  type BytesPerRecordOptions,
  type StampedePoint,
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
  ordinal,
  hitRateChart,
  inKernel,
  LAB_CHART_CONFIG,
  latencyDistributionChart,
  memoryChart,
  percentileChart,
  groupedPercentileChart,
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
  type PercentileGroup,
  type PlanViewOptions,
  type RenderedPlan,
  type RenderedTable,
  type RichKind,
  type TableData,
  type TableOptions,
  type TableRow,
} from './show';
export { showQuery, type ShowQueryOptions } from './show/query';
export { terminalCommands, type TerminalCommand } from './show/terminal';
export { showSource, sourceOf } from './show/source';

// Exercises: the stub's `todo()`, and the graders that check a learner's code on the real servers (docs/COURSE.md)
export {
  ExerciseFailed,
  ExerciseNotDone,
  exerciseMode,
  grade,
  Grade,
  todo,
  type Exercise,
  type Grading,
  type ExerciseMode,
  type GradeFailure,
  type GradeStatus,
} from './exercises/grade';
export {
  gradeCityQuery,
  gradeCountryIndex,
  type AirportsInCity,
  type BoundQuery,
  type IndexChoice,
} from './exercises/database-fundamentals';
export {
  gradeReadThrough,
  gradeSafeReadThrough,
  type ReadThrough,
  type SafeReadThrough,
} from './exercises/cache-aside';
export { gradeEarlyRefresh, gradeLock, type LearnersEarlyRefresh, type LearnersLock } from './exercises/real-world';
// What notebooks 05–08's exercises and experiments use beside their graders
export { lockToken, type EarlyRefreshCondition } from './patterns';
export { stampedeTable } from './show/stampede-table';
export {
  AIRPORT_BUDGET_BYTES,
  airportNames,
  EVICTION_EXERCISE,
  gradeAirportBudget,
  gradeEvictionChoice,
  type AirportName,
  type AirportStore,
  type EvictionChoice,
} from './exercises/performance';
export {
  cheLruHitRatio,
  evictionTheory,
  randomReplacementHitRatio,
  staticTopHitRatio,
  type HitRatioPrediction,
} from './experiments/eviction-theory';
export {
  studiedRunsTable,
  studyEviction,
  studyRun,
  type EvictionStudy,
  type StudiedRun,
  type StudyWorkload,
} from './experiments/eviction-study';
export { compareCodecs, codecTable, type CodecRow } from './experiments/codec-comparison';
export { GUIDE_TIMING_LOOP, summarizeTimingLoop, timeGuideLoop, type TimingLoopRun } from './experiments/eval-loop';
export { compareServerState, serverState, type ServerState } from './experiments/server-state';
export {
  evictionTheoryChart,
  hitRatioAlongRunChart,
  POLICY_COLOURS,
  type EvictionWindowPoint,
  type MeasuredEviction,
  type PredictedEviction,
} from './show/eviction-charts';
export {
  ALERT_EXERCISE_THRESHOLD,
  gradeMemoryAlert,
  gradeWindowHitRatio,
  type HitRatioDuring,
} from './exercises/monitoring';
export { gradeHashTags, gradeReadMany, type ReadMany, type SeatKeyNames } from './exercises/scaling-out';
export { crc16, hashTagOf, keySlot } from './valkey/slots';
export { stallBuckets, stallChart, type StallBucket } from './show/stall-charts';
export { pipelinedSetThroughput, tagPerPrimary } from './experiments/cluster-throughput';
export type { ValkeyCluster } from './valkey/client';

// Notebooks 03 and 04 as a course: their graders (docs/COURSE.md), and the plan helper their text reads
export { indexesUsed } from './db/explain';
export { tableReadRow, type TableReadRow } from './show/plan';
export { againstClaimedRange } from './experiments/user-facing-bench';
export { raceTwoWriters, type WriteThroughCall } from './experiments/write-through-race';
export { volatilityReport, type VolatilityClass, type VolatilityReport } from './experiments/ttl-classes';
export {
  gradeDayRange,
  gradeSearchKey,
  gradeSeatScript,
  type BookSeatScript,
  type BoundCondition,
  type DepartureOnDay,
  type FlightSearchParams,
  type SearchCacheEntry,
} from './exercises/user-facing-queries';
export { gradeWriteBehindHandler, gradeWriteThrough, type WriteThroughFn } from './exercises/advanced-patterns';
export type {
  HandleEntry,
  HandlerDatabase,
  HandlerEntry,
  HandlerStream,
  HandlerTransaction,
} from './exercises/write-behind-handler';

// Into production (notebook 09): the service, its cache's failures, its metrics, capacity, and the exercise
export * from './service';
export {
  histogramChart,
  loadStepsChart,
  loadTimelineChart,
  metricRateChart,
  type LoadStep,
  type RunEvent,
} from './show/service-charts';
export { gradeOutageBudget, OUTAGE_BUDGET } from './exercises/into-production';
