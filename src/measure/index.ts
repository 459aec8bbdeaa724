// Measuring: benchmarks with warm-up and HDR percentiles, same-run comparisons, concurrent and pipelined
// workloads, seeded key distributions and INFO time series. Data only: `show/` words and draws it.

export { bench, DEFAULT_ITERATIONS, DEFAULT_WARMUP, type BenchOptions, type Operation } from './bench';
export {
  benchPair,
  benchInterleaved,
  compare,
  type ComparedStats,
  type Comparison,
  type NamedOperation,
  type PairResult,
} from './compare';
export { percentileRun, summarizeSamples, type BenchResult, type LatencyStats } from './summary';
export { seededRandom, type Random } from './random';
export {
  MAX_KEYS,
  uniformKeys,
  zipfKeys,
  zipfShares,
  type KeySampler,
  type UniformKeysOptions,
  type ZipfKeysOptions,
} from './keys';
export {
  runConcurrent,
  type ConcurrentOptions,
  type ConcurrentResult,
  type ConcurrentSummary,
  type RequestContext,
  type RequestRecord,
} from './concurrent';
export {
  runPipelined,
  type BatchContext,
  type BatchRecord,
  type BuildBatch,
  type PipelinedOptions,
  type PipelinedResult,
} from './pipeline';
export { sampleInfo, type InfoSample, type InfoSampler, type InfoSeries, type SampleInfoOptions } from './sampler';
export {
  failedOrCacheError,
  failuresOverTime,
  failureWindow,
  type FailureBucket,
  type FailureTest,
  type FailureWindow,
} from './failures';
