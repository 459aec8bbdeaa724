// The service notebook 09 puts the patterns into: breaker, resilient read, the HTTP app, its process and load.

export { createBreaker, type BreakerSettings, type BreakerState, type CircuitBreaker } from './breaker';
export {
  createResilientRead,
  type ResilienceSettings,
  type ResilientRead,
  type ServiceOutcome,
  type ServiceRead,
} from './resilient-read';
export { createServiceApp, SERVICE_TTL_SECONDS, type ServiceApp, type ServiceSetup } from './app';
export {
  runLoad,
  serviceValkey,
  servicePaths,
  startLoad,
  startService,
  watchMetrics,
  type LoadBucket,
  type LoadOptions,
  type LoadRun,
  type MetricsScrape,
  type RunningLoad,
  type RunningService,
  type ServiceLogLine,
  type ServiceOptions,
  type ServiceValkey,
} from './control';
export { metricSum, parsePrometheusText, type MetricSample } from './metrics-text';
export {
  fillLikeSample,
  measureEntrySizes,
  planCapacity,
  type CapacityLine,
  type CapacityPlan,
  type EntrySize,
  type EntryTraffic,
  type FillCheck,
} from './capacity';
export { windowFigures, type WindowFigures } from './drill';
