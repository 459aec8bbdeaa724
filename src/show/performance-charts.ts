// Performance charts: bytes per record, throughput against batch size, codecs side by side, a server over time.

import { LabError } from '../errors';
import type { ChartSpec } from './chart';
import { chartFrame, requireDistinct, requireSome, type ChartOptions } from './chart-specs';
import { formatNumber } from './format';

/** What one representation costs per record (an experiments `RepresentationUsage` is one). */
export interface RecordCost {
  representation: string;
  bytesPerRecord: number;
  encodings?: readonly string[];
}

export interface BytesPerRecordOptions extends ChartOptions {
  /** What one record is, for the axis: `airport`, `seat`... Default `record`. */
  unit?: string;
}

/** Bytes per record for each representation, as horizontal bars labelled with the figure and the encoding. */
export function bytesPerRecordChart(costs: readonly RecordCost[], options: BytesPerRecordOptions = {}): ChartSpec {
  requireSome(costs, 'bytes-per-record chart', 'representations');
  requireDistinct(
    costs.map((c) => c.representation),
    'bytes-per-record chart',
  );
  const values = costs.map((c) => ({
    representation: c.representation,
    bytes: c.bytesPerRecord,
    label: `${formatNumber(Math.round(c.bytesPerRecord * 10) / 10)} B${c.encodings?.length ? ` · ${c.encodings.join(', ')}` : ''}`,
  }));
  return {
    ...chartFrame(options, {
      title: 'Memory per record',
      subtitle: 'MEMORY USAGE of the keys ÷ records stored; label: OBJECT ENCODING',
      width: 440,
      height: Math.max(60, costs.length * 34),
    }),
    data: { values },
    encoding: {
      y: { field: 'representation', type: 'nominal', sort: null, axis: { title: null, labelLimit: 320 } },
      x: {
        field: 'bytes',
        type: 'quantitative',
        axis: { title: `bytes per ${options.unit ?? 'record'}`, format: ',.0f' },
      },
    },
    layer: [
      { mark: { type: 'bar', color: '#4e79a7', height: { band: 0.7 } } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: '#333' },
        encoding: { text: { field: 'label' } },
      },
    ],
  };
}

/** Throughput at one batch size (an experiments `PipelinePoint` is one). */
export interface BatchThroughputPoint {
  batchSize: number;
  opsPerSecond: number;
  /** Which line the point belongs to, e.g. 'node (iovalkey)' or 'valkey-benchmark'. */
  source: string;
}

/**
 * Commands per second against commands per round trip: lines with points on a log batch axis (batch
 * sizes span 1 to hundreds), one line per source.
 */
export function throughputChart(points: readonly BatchThroughputPoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(points, 'throughput chart', 'points');
  for (const p of points) {
    if (!(p.batchSize >= 1) || !(p.opsPerSecond >= 0)) {
      throw new LabError({
        what: `The throughput chart got batch size ${p.batchSize} at ${p.opsPerSecond} ops/s`,
        fix: 'Pass batch sizes ≥ 1 and non-negative throughputs.',
      });
    }
  }
  const sources = [...new Set(points.map((p) => p.source))];
  const values = [...points]
    .sort((a, b) => a.batchSize - b.batchSize)
    .map((p) => ({ ...p, label: `${formatNumber(Math.round(p.opsPerSecond / 1000))}k` }));
  const color = { field: 'source', type: 'nominal', title: null, scale: { domain: sources }, sort: sources };
  return {
    ...chartFrame(options, {
      title: 'Throughput against pipeline batch size',
      subtitle: 'GET commands per second on one connection; batch size on a log scale',
      width: 480,
      height: 260,
    }),
    data: { values },
    encoding: {
      x: {
        field: 'batchSize',
        type: 'quantitative',
        scale: { type: 'log' },
        axis: { title: 'commands per round trip (log scale)', format: '~g' },
      },
      y: { field: 'opsPerSecond', type: 'quantitative', axis: { title: 'commands per second', format: '~s' } },
      color,
    },
    layer: [
      { mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 } },
      { mark: { type: 'text', dy: -9, fontSize: 10 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

/** One codec's figures (bytes in Valkey, CPU per value, whole hit path). */
export interface CodecFigures {
  codec: string;
  /** What was cached, e.g. 'airports in Germany'. */
  value: string;
  bytes: number;
  encodeMs: number;
  decodeMs: number;
  hitP50Ms: number;
}

/**
 * Codecs side by side, one panel per figure (bytes stored, encode, decode, whole hit p50), one bar per
 * codec and cached value: linear axes, each panel its own scale.
 */
export function codecChart(rows: readonly CodecFigures[], options: ChartOptions = {}): ChartSpec {
  requireSome(rows, 'codec chart', 'rows');
  const codecs = [...new Set(rows.map((r) => r.codec))];
  const panels = [
    { key: 'bytes', title: 'value bytes', format: '~s' },
    { key: 'encodeMs', title: 'encode (ms)', format: '~g' },
    { key: 'decodeMs', title: 'decode (ms)', format: '~g' },
    { key: 'hitP50Ms', title: 'whole hit p50 (ms)', format: '~g' },
  ] as const;
  const frame = chartFrame(options, {
    title: 'Codecs compared',
    subtitle: `the same cached values stored with each codec: ${codecs.join(', ')}`,
    width: 170,
    height: 0,
  });
  const { width, height: _unused, ...outer } = frame;
  const values = rows.map((r) => ({ ...r }));
  return {
    ...outer,
    data: { values },
    hconcat: panels.map((panel) => ({
      width,
      height: { step: 16 },
      encoding: {
        y: { field: 'value', type: 'nominal', axis: panel.key === 'bytes' ? { title: null, labelLimit: 240 } : null },
        yOffset: { field: 'codec', type: 'nominal', sort: codecs },
        x: { field: panel.key, type: 'quantitative', axis: { title: panel.title, format: panel.format, tickCount: 4 } },
        color: { field: 'codec', type: 'nominal', title: null, scale: { domain: codecs }, sort: codecs },
      },
      mark: { type: 'bar' },
    })),
  };
}

/** A server at one moment (an experiments `ServerSample` is one). */
export interface ServerPoint {
  at: number;
  pingMs: number;
  opsPerSecond: number;
  usedMemoryBytes: number;
  hits: number;
  misses: number;
  expiredKeys: number;
  evictedKeys: number;
  connectedClients: number;
  intervalHitRatio?: number;
}

const DASHBOARD_PANELS = [
  { panel: 'ops/s (instantaneous_ops_per_sec)', value: (p: ServerPoint) => p.opsPerSecond },
  { panel: 'used memory (MB)', value: (p: ServerPoint) => p.usedMemoryBytes / (1024 * 1024) },
  {
    panel: 'hit % since previous sample',
    value: (p: ServerPoint) => (p.intervalHitRatio === undefined ? undefined : p.intervalHitRatio * 100),
  },
  { panel: 'keys expired (cumulative)', value: (p: ServerPoint) => p.expiredKeys },
  { panel: 'keys evicted (cumulative)', value: (p: ServerPoint) => p.evictedKeys },
  { panel: 'connected clients', value: (p: ServerPoint) => p.connectedClients },
] as const;

/** The INFO dashboard: one small line chart per figure, over the seconds of a watched run. */
export function serverDashboardChart(samples: readonly ServerPoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(samples, 'server dashboard', 'samples');
  const values = DASHBOARD_PANELS.flatMap(({ panel, value }) =>
    samples.flatMap((s) => {
      const v = value(s);
      return v === undefined ? [] : [{ at: s.at, panel, value: v }];
    }),
  );
  const frame = chartFrame(options, {
    title: 'Server dashboard (INFO, sampled)',
    subtitle: 'each panel its own scale; x: seconds since the watch started',
    width: 250,
    height: 110,
  });
  const { width, height, ...outer } = frame;
  return {
    ...outer,
    data: { values },
    facet: { field: 'panel', type: 'nominal', sort: DASHBOARD_PANELS.map((p) => p.panel), title: null },
    columns: 2,
    spec: {
      width,
      height,
      mark: { type: 'line', point: { size: 14 }, strokeWidth: 1.5, color: '#4e79a7' },
      encoding: {
        x: { field: 'at', type: 'quantitative', axis: { title: 's', format: '~r' } },
        y: { field: 'value', type: 'quantitative', axis: { title: null, format: '~s' } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Latency over time: each sample's PING round trip while the workload ran, with its median dashed. */
export function latencyOverTimeChart(samples: readonly ServerPoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(samples, 'latency over time chart', 'samples');
  const sorted = samples.map((s) => s.pingMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    ...chartFrame(options, {
      title: 'Latency over time',
      subtitle: 'round trip of a PING sent between INFO reads, while the workload ran; dashed: median',
      width: 520,
      height: 220,
    }),
    layer: [
      {
        data: { values: samples.map((s) => ({ at: s.at, ms: s.pingMs })) },
        mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5, color: '#4e79a7' },
        encoding: {
          x: { field: 'at', type: 'quantitative', axis: { title: 'seconds since start', format: '~r' } },
          y: { field: 'ms', type: 'quantitative', axis: { title: 'PING round trip (ms)', format: '~g' } },
        },
      },
      {
        data: { values: [{ median }] },
        mark: { type: 'rule', strokeDash: [5, 3], color: '#b42318' },
        encoding: { y: { field: 'median', type: 'quantitative' } },
      },
    ],
  };
}

/** One reading of a memory alert (an experiments `AlertStep` is one). */
export interface AlertPoint {
  keys: number;
  ratio: number;
  status: string;
  threshold: number;
}

/** Memory used as a share of maxmemory while a server fills, each reading coloured by the alert's answer. */
export function alertChart(points: readonly AlertPoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(points, 'alert chart', 'points');
  const threshold = points[0]!.threshold;
  const statuses = [...new Set(points.map((p) => p.status))];
  return {
    ...chartFrame(options, {
      title: 'Memory alert while the server fills',
      subtitle: `used_memory ÷ maxmemory after each batch of keys; dashed: the ${Math.round(threshold * 100)}% threshold`,
      width: 480,
      height: 240,
    }),
    layer: [
      {
        data: { values: points.map((p) => ({ keys: p.keys, ratio: p.ratio, status: p.status })) },
        mark: { type: 'line', point: { size: 36, filled: true }, strokeWidth: 1, color: '#999' },
        encoding: {
          x: { field: 'keys', type: 'quantitative', axis: { title: 'keys written', format: ',d' } },
          y: {
            field: 'ratio',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: { title: 'share of maxmemory', format: '.0%' },
          },
        },
      },
      {
        data: { values: points.map((p) => ({ keys: p.keys, ratio: p.ratio, status: p.status })) },
        mark: { type: 'point', size: 50, filled: true },
        encoding: {
          x: { field: 'keys', type: 'quantitative' },
          y: { field: 'ratio', type: 'quantitative' },
          color: {
            field: 'status',
            type: 'nominal',
            title: 'alert says',
            scale: { domain: statuses, range: statuses.map((s) => (s === 'ALERT' ? '#b42318' : '#4e79a7')) },
          },
        },
      },
      {
        data: { values: [{ threshold }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: '#b42318' },
        encoding: { y: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  };
}
