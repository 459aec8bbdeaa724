// Showing results: tables, charts and plan views that display in the notebook and read as text elsewhere.

export { displayRich, inKernel, present, showMarkdown, type RichKind } from './display';
export { escapeHtml, formatCell, formatDate, formatNumber, ordinal, type Cell, type CellOptions } from './format';
export {
  DEFAULT_MAX_ROWS,
  renderTable,
  showTable,
  toDataFrame,
  type DataFrame,
  type DataFrameLike,
  type RenderedTable,
  type TableData,
  type TableOptions,
  type TableRow,
} from './table';
export {
  chartTitle,
  describeChart,
  LAB_CHART_CONFIG,
  renderChart,
  showChart,
  VEGA_LITE_SCHEMA,
  type Chart,
  type ChartSpec,
} from './chart';
export type { ChartOptions } from './chart-specs';
export {
  latencyDistributionChart,
  percentileChart,
  groupedPercentileChart,
  type PercentileGroup,
  type LatencyDistributionOptions,
  type LatencySeries,
  type PercentileChartOptions,
  type PercentileSeries,
} from './latency-charts';
export {
  evictionChart,
  hitRateChart,
  memoryChart,
  type EvictionPoint,
  type HitRateOptions,
  type HitRatePoint,
  type MemorySample,
} from './cache-charts';
export { describeComparison, describeResult, formatMs, formatSpeedup, roundMs, roundRatio } from './describe';
export { benchTable, comparisonTable, type BenchRow, type ComparisonRow } from './bench-tables';
export {
  concurrentTable,
  describeConcurrent,
  describePipelined,
  infoSeriesTable,
  pipelineTable,
  type ConcurrentRow,
  type InfoSampleRow,
  type PipelineRow,
} from './workload-tables';
export {
  concurrentLatencyChart,
  concurrentPercentileChart,
  infoSeriesChart,
  latencyOverTimeChart,
  pipelineThroughputChart,
  type ConcurrentChartOptions,
  type InfoMetric,
  type InfoSeriesChartOptions,
  type ThroughputPoint,
} from './workload-charts';
export { stampedeChart, type StampedePoint } from './stampede-charts';
export { showSql } from './sql';
export { describeNode, renderPlan, showPlan, type PlanViewOptions, type RenderedPlan } from './plan';
export { drillTimelineChart } from './advanced-charts';
export {
  alertChart,
  bytesPerRecordChart,
  codecChart,
  type AlertPoint,
  type CodecFigures,
  type RecordCost,
  type BytesPerRecordOptions,
} from './performance-charts';
export { failuresOverTimeChart, keysPerPrimaryChart, slotRangesChart, type TimelineEvent } from './cluster-charts';
