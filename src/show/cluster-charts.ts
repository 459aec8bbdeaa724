// Cluster charts: keys per primary, who serves which slots, and failed requests over time during a reshard or failover.

import { LabError } from '../errors';
import type { FailureBucket } from '../measure/failures';
import type { PrimaryKeys, SlotRange } from '../valkey/resharding';
import type { ChartSpec } from './chart';
import { chartFrame, requireSome, type ChartOptions } from './chart-specs';
import { formatNumber } from './format';

/** Bars from zero: how many of the lab's keys each primary holds, labelled with its share of the slots. */
export function keysPerPrimaryChart(rows: readonly PrimaryKeys[], options: ChartOptions = {}): ChartSpec {
  requireSome(rows, 'keys-per-primary chart', 'primaries');
  const total = rows.reduce((n, r) => n + r.keys, 0);
  const values = rows.map((r) => ({
    node: r.node,
    keys: r.keys,
    label: `${formatNumber(r.keys)} keys · ${formatNumber(r.slots)} slots`,
  }));
  return {
    ...chartFrame(options, {
      title: 'Where the keys live',
      subtitle: `${formatNumber(total)} keys over ${rows.length} primaries; each key goes to the primary serving its slot`,
      width: 420,
      height: 24 * rows.length + 20,
    }),
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        // The same colour per node as slotRangesChart: both order the nodes by address.
        encoding: {
          color: {
            field: 'node',
            type: 'nominal',
            scale: { domain: [...rows.map((r) => r.node)].sort() },
            legend: null,
          },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'label' } } },
    ],
    encoding: {
      y: { field: 'node', type: 'nominal', sort: rows.map((r) => r.node), axis: { title: null } },
      x: { field: 'keys', type: 'quantitative', scale: { zero: true }, axis: { title: 'keys' } },
    },
  };
}

/** The 16,384 slots as one strip per primary: each range it serves drawn at its position. */
export function slotRangesChart(ranges: readonly SlotRange[], options: ChartOptions = {}): ChartSpec {
  requireSome(ranges, 'slot ranges chart', 'slot ranges');
  for (const r of ranges) {
    if (!(r.start >= 0 && r.end >= r.start && r.end < 16_384)) {
      throw new LabError({
        what: `The slot ranges chart got slots ${r.start}…${r.end} for ${r.node}`,
        fix: 'Pass ranges from clusterSlotRanges(client): start ≤ end within 0…16383.',
      });
    }
  }
  const nodes = [...new Set(ranges.map((r) => r.node))].sort();
  const values = ranges.map((r) => ({ node: r.node, start: r.start, end: r.end + 1, range: `${r.start}–${r.end}` }));
  return {
    ...chartFrame(options, {
      title: 'Which primary serves which slots',
      subtitle: `${ranges.length} ranges; a key's slot is CRC16(key or its {hash tag}) mod 16384`,
      width: 520,
      height: 26 * nodes.length + 10,
    }),
    data: { values },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
    encoding: {
      y: { field: 'node', type: 'nominal', sort: nodes, axis: { title: null } },
      x: { field: 'start', type: 'quantitative', scale: { domain: [0, 16_384] }, axis: { title: 'hash slot' } },
      x2: { field: 'end' },
      color: { field: 'node', type: 'nominal', sort: nodes, legend: null },
      tooltip: [{ field: 'node' }, { field: 'range' }],
    },
  };
}

/** A moment to mark on a time chart, e.g. "slot move began" or "primary killed" (ms after the run began). */
export interface TimelineEvent {
  atMs: number;
  label: string;
}

/**
 * Requests per time slice (grey) and the failed ones among them (red), with events as labelled rules:
 * a reshard or a failover seen from the clients' side.
 */
export function failuresOverTimeChart(
  buckets: readonly FailureBucket[],
  options: ChartOptions & { events?: readonly TimelineEvent[] } = {},
): ChartSpec {
  requireSome(buckets, 'failures-over-time chart', 'time slices');
  const width = buckets.length > 1 ? buckets[1]!.atMs - buckets[0]!.atMs : 250;
  const failed = buckets.reduce((n, b) => n + b.failed, 0);
  const requests = buckets.reduce((n, b) => n + b.requests, 0);
  // Each slice is one column: failed from 0 up, the rest on top of it (drawn as rectangles with both ends given,
  // since a bar with a time range would be read as a horizontal bar).
  const values = buckets.flatMap((b) => [
    { seconds: b.atMs / 1000, end: (b.atMs + width) / 1000, from: 0, to: b.failed, result: 'failed' },
    { seconds: b.atMs / 1000, end: (b.atMs + width) / 1000, from: b.failed, to: b.requests, result: 'ok' },
  ]);
  // Labels of events close in time go on alternate lines, so they do not print over each other.
  const events = (options.events ?? []).map((e, i) => ({ seconds: e.atMs / 1000, label: e.label, line: (i % 2) * 14 }));
  const seconds = {
    field: 'seconds',
    type: 'quantitative',
    axis: { title: 'seconds since the run began', format: '~r' },
  };
  const bars = {
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: seconds,
      x2: { field: 'end' },
      y: { field: 'to', type: 'quantitative', axis: { title: `requests per ${width} ms` } },
      y2: { field: 'from' },
      color: {
        field: 'result',
        type: 'nominal',
        title: null,
        scale: { domain: ['ok', 'failed'], range: ['#bab0ac', '#e15759'] },
      },
    },
  };
  const layers: Array<Record<string, unknown>> = [bars];
  if (events.length > 0) {
    layers.push(
      {
        data: { values: events },
        mark: { type: 'rule', color: '#333', strokeDash: [4, 3] },
        encoding: { x: { field: 'seconds', type: 'quantitative' } },
      },
      {
        data: { values: events },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: '#333' },
        encoding: {
          x: { field: 'seconds', type: 'quantitative' },
          y: { field: 'line', type: 'quantitative', scale: null },
          text: { field: 'label' },
        },
      },
    );
  }
  return {
    ...chartFrame(options, {
      title: 'Requests and failures over time',
      subtitle: `${formatNumber(requests)} requests, ${formatNumber(failed)} failed`,
      width: 560,
      height: 220,
    }),
    layer: layers,
  };
}
