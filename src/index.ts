// What notebooks import: `import { ... } from 'valkey-lab'`, grouped by what a learner does with it. Only names a
// notebook or an exercise uses belong here (test/api.test.ts holds that); docs/API.md is generated from this file
// and the doc comments of what it exports (`npm run api`). Set-up internals are in ./internal.

// ## Connect
// Open the lab (the database and the Valkey it is configured for), other clients and private servers, what the
// dataset holds, and what Valkey holds: keys, INFO, the commands it sees, and where keys live on a cluster.
export { openLab } from './lab';
export { LabError } from './errors';
export { describeConfig, loadConfig } from './config';
export { DATASET_TABLES, datasetStatus, METADATA_TABLE } from './dataset-status';
export {
  connectValkey,
  connectValkeyUrl,
  nodeAddress,
  readInfo,
  valkeyServerInfo,
  type Valkey,
  type ValkeyCluster,
} from './valkey/client';
export { rawCommand, startPrivateValkey } from './valkey/server';
export {
  cacheKey,
  clearLabKeys,
  inspectKey,
  isCrossSlotError,
  listLabKeys,
  nodeForKey,
  sameSlot,
  storedKey,
} from './valkey/keys';
export { captureCommands } from './valkey/monitor';
export { keySlot } from './valkey/slots';
export { clusterSlotRanges, keysPerPrimary, moveSlots } from './valkey/resharding';
export { killClusterNode, waitForPromotion } from './valkey/failover';
export {
  aclLog,
  aclUserLine,
  connectAsUser,
  isNoPerm,
  probeAcl,
  serviceAclProbes,
  serviceAclRule,
  setAclUser,
} from './valkey/acl';
export { connectValkeyTls, startTlsValkey, tlsSession } from './valkey/tls';

// ## Query and explain
// The guide's queries on either engine, the two dialects side by side, indexes, and the normalized plan EXPLAIN
// returns with the questions a notebook asks of it.
export {
  airportByIata,
  airportsByCity,
  airportsByCountry,
  airportsByCountryName,
  airportsInCountry,
  airportTrafficRanking,
  applyWrittenBehind,
  bookingStore,
  countryProfile,
  dayWindow,
  dropPart4Tables,
  ensurePart4Tables,
  flightCapacity,
  flightMovements,
  flightSearch,
  flightSearchByRange,
  hubRoutes,
  LAB_BOOKING_ID_BASE,
  loadAirportRecord,
  nextDates,
  openTransactionSession,
  popularRoutes,
  prepareGuideQuery,
  removeLabBookings,
  renameAirport,
  roundTrip,
  routeSummary,
  runGuideQuery,
  seatAvailability,
  sqlTimestamp,
  userLastFlights,
  userTravelRows,
  writeBehindTally,
} from './queries';
export { mysqlDialect } from './db/mysql/mysql-dialect';
export { postgresDialect } from './db/postgres/postgres-dialect';
export { createIndex, dropIndex, listIndexes } from './db/indexes';
export { indexesUsed, scansFullTable, tableAccesses, usesIndex } from './db/explain';
export { tableReadRow } from './show/plan';

// ## Cache patterns
// Cache-aside, tags and warming, write-through and write-behind, hierarchies, a near cache, and the four answers
// to a stampede; each returns what happened as data.
export {
  acquireLock,
  compareWarming,
  createCacheAside,
  createCacheTags,
  createCoalescedRead,
  createEarlyRefreshRead,
  createHierarchy,
  createLockedRead,
  createNearCache,
  createRefreshWorker,
  createUnprotectedRead,
  createWriteBehind,
  createWriteBehindWorker,
  createWriteThrough,
  enqueueRefresh,
  invalidationDelays,
  lockToken,
  measureHitRate,
  REFRESH_QUEUE,
  releaseLock,
  rowsWithColumns,
  runStampedeDrill,
  runWriteBehindDrill,
  streamBacklog,
  summarizeStampede,
  VERSION_FIELD,
  type Versioned,
} from './patterns';
export { deleteIfEqual } from './valkey/conditional';
export { decodeVersionedEntry, entryWriteThrough, pileUp } from './patterns/versioned-entry';
export { raceTwoWriters } from './experiments/write-through-race';
export { serviceValkey, servicePaths, startService, type ResilienceSettings } from './service';
export { volatilityReport } from './experiments/ttl-classes';

// ## Structures
// What the guide keeps in Valkey's data types: sessions in hashes, leaderboards in sorted sets, seats in a bitmap
// and counters, a traveller's profile.
export { createSessionStore } from './structures/sessions';
export { createLeaderboard, feedAirportTraffic, rankingDifferences, rankingFromRows } from './structures/leaderboard';
export { createSeatInventory, seatLabel } from './structures/seats';
export { profileSummary, routeCounts, storeProfile } from './structures/user-profile';
export { fieldTtls, readAllFields, readFieldsAndRefresh, setFieldsWithTtl } from './valkey/field-expiry';
export { createSeatHolds } from './structures/seat-holds';

// ## Measure
// Benchmarks with warm-up and percentiles, same-run comparisons, concurrent workloads and key distributions; and
// the experiments that run on servers the lab starts: eviction, memory, monitoring, pipelining, profiling, and the
// guide's troubleshooting checks. Data only: `Show` draws it.
export {
  bench,
  benchInterleaved,
  benchPair,
  compare,
  failureWindow,
  percentileRun,
  runConcurrent,
  summarizeSamples,
  zipfKeys,
  zipfShares,
} from './measure';
export {
  airportMemoryByRepresentation,
  benchUserFacingQueries,
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
  fillWatchingAlert,
  GUIDE_MEMORY_ALERT_LUA,
  latencyHistory,
  latencyLatest,
  listpackSwitch,
  MEMORY_ALERT_LUA,
  profileQuery,
  readCommandlog,
  readSlowlog,
  runEvictionWorkload,
  runSlowScript,
  runValkeyBenchmark,
  seatMemoryByRepresentation,
  speedupRows,
  throughputByBatchSize,
  watchServer,
} from './experiments';
export { readCommandLog } from './valkey/commandlog';
export { againstClaimedRange } from './experiments/user-facing-bench';
export { cheLruHitRatio, randomReplacementHitRatio, staticTopHitRatio } from './experiments/eviction-theory';
export { studiedRunsTable, studyEviction, studyRun } from './experiments/eviction-study';
export { codecTable, compareCodecs } from './experiments/codec-comparison';
export { GUIDE_TIMING_LOOP, summarizeTimingLoop, timeGuideLoop } from './experiments/eval-loop';
export { compareServerState, serverState } from './experiments/server-state';
export { pipelinedSetThroughput, tagPerPrimary } from './experiments/cluster-throughput';
export { backupAndRestore, crashDrills, PERSISTENCE_SETTINGS } from './experiments/persistence';
export { featureSides } from './experiments/newer-valkey';
export { memoryByRelease, memoryByReleaseTable } from './experiments/memory-by-release';
export { reshardSides, reshardUnderLoad } from './experiments/reshard-ways';
export {
  fillLikeSample,
  measureEntrySizes,
  metricSum,
  planCapacity,
  runLoad,
  startLoad,
  watchMetrics,
  windowFigures,
  type MetricSample,
} from './service';

// ## Show
// Tables, SQL, query results, plans, charts, source code and markdown in the notebook, the words for numbers, and
// `check`: a claim this run proves, or the cell fails.
export { check } from './check';
export {
  alertChart,
  benchTable,
  bytesPerRecordChart,
  codecChart,
  comparisonTable,
  drillTimelineChart,
  formatDate,
  formatMs,
  formatNumber,
  formatSpeedup,
  groupedPercentileChart,
  hitRateChart,
  infoSeriesChart,
  keysPerPrimaryChart,
  latencyDistributionChart,
  latencyOverTimeChart,
  ordinal,
  percentileChart,
  pipelineThroughputChart,
  showChart,
  showMarkdown,
  showPlan,
  showSql,
  showTable,
  slotRangesChart,
  stampedeChart,
  toDataFrame,
  VEGA_LITE_SCHEMA,
} from './show';
export { showQuery } from './show/query';
export { terminalCommands } from './show/terminal';
export { showSource } from './show/source';
export { stampedeTable } from './show/stampede-table';
export { evictionTheoryChart, hitRatioAlongRunChart } from './show/eviction-charts';
export { stallBuckets, stallChart } from './show/stall-charts';
export { crashDrillChart } from './show/persistence-charts';
export {
  histogramChart,
  loadStepsChart,
  loadTimelineChart,
  metricRateChart,
  type LoadStep,
} from './show/service-charts';

// ## Exercises
// The stub's `todo()`, the graders that check a learner's code on the real servers (docs/COURSE.md), and the shapes
// of what each exercise asks the learner to write.
export {
  grade,
  todo,
  type Exercise,
  type ExerciseMode,
  type GradeFailure,
  type GradeStatus,
  type Grading,
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
export { gradeEarlyRefresh, gradeLock, type LearnersEarlyRefresh, type LearnersLock } from './exercises/real-world';
export {
  EVICTION_EXERCISE,
  gradeAirportBudget,
  gradeEvictionChoice,
  type AirportName,
  type AirportStore,
  type EvictionChoice,
} from './exercises/performance';
export {
  ALERT_EXERCISE_THRESHOLD,
  gradeMemoryAlert,
  gradeWindowHitRatio,
  type HitRatioDuring,
} from './exercises/monitoring';
export { gradeHashTags, gradeReadMany, type ReadMany, type SeatKeyNames } from './exercises/scaling-out';
export { gradeAclRule, gradeLossBudget, type AclRuleFor, type QueuePersistence } from './exercises/hardening';
export { gradeOutageBudget, OUTAGE_BUDGET } from './exercises/into-production';
