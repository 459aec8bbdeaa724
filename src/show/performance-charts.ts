// Performance charts: bytes per record, codecs side by side, a memory alert as the server fills.

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
    { key: 'bytes', title: 'value bytes', format: '~s', label: ',.0f' },
    { key: 'encodeMs', title: 'encode (ms)', format: '~g', label: '.3f' },
    { key: 'decodeMs', title: 'decode (ms)', format: '~g', label: '.3f' },
    { key: 'hitP50Ms', title: 'whole hit p50 (ms)', format: '~g', label: '.3f' },
  ] as const;
  const frame = chartFrame(options, {
    title: 'Codecs compared',
    subtitle: `the same cached values stored with each codec: ${codecs.join(', ')}; each bar labelled with its figure`,
    width: 170,
    height: 0,
  });
  const { width, height: _unused, ...outer } = frame;
  const values = rows.map((r) => ({ ...r }));
  return {
    ...outer,
    data: { values },
    hconcat: panels.map((panel) => {
      // Room to the right of the longest bar for its label.
      const largest = Math.max(...rows.map((r) => r[panel.key]));
      return {
        width,
        height: { step: 16 },
        encoding: {
          y: { field: 'value', type: 'nominal', axis: panel.key === 'bytes' ? { title: null, labelLimit: 240 } : null },
          yOffset: { field: 'codec', type: 'nominal', sort: codecs },
          x: {
            field: panel.key,
            type: 'quantitative',
            scale: { domain: [0, largest * 1.45], nice: false },
            axis: { title: panel.title, format: panel.format, tickCount: 3 },
          },
          color: { field: 'codec', type: 'nominal', title: null, scale: { domain: codecs }, sort: codecs },
        },
        layer: [
          { mark: { type: 'bar' } },
          {
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 9, color: '#333' },
            encoding: { text: { field: panel.key, type: 'quantitative', format: panel.label } },
          },
        ],
      };
    }),
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
