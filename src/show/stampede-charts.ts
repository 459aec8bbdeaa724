// Stampede chart: database calls and latency (p50, p99) per strategy, side by side.

import { formatMs } from './describe';
import type { ChartSpec } from './chart';
import { chartFrame, requireDistinct, requireSome, type ChartOptions } from './chart-specs';

/** One strategy's figures: a `StampedeSummary` is one. */
export interface StampedePoint {
  strategy: string;
  dbCalls: number;
  p50: number;
  p99: number;
}

/**
 * Two panels sharing the strategies as rows: database calls as bars on a linear axis (so 1 and 200
 * compare honestly, with the figure printed), and latency as a line from p50 (filled dot) to p99
 * (open dot) on a log axis, since a cache hit and a wait for the database differ a thousandfold.
 */
export function stampedeChart(points: readonly StampedePoint[], options: ChartOptions = {}): ChartSpec {
  requireSome(points, 'stampede chart', 'strategies');
  requireDistinct(
    points.map((p) => p.strategy),
    'stampede chart',
  );
  const names = points.map((p) => p.strategy);
  const { width, height, ...frame } = chartFrame(options, {
    title: 'Cache stampede: database calls and latency per strategy',
    subtitle: 'the same requests around one expiry of a hot key · latency: filled dot p50, open dot p99',
    width: 300,
    height: Math.max(80, points.length * 36),
  });
  const values = points.map((p) => ({
    ...p,
    calls: `${p.dbCalls}`,
    latency: `p50 ${formatMs(p.p50)} · p99 ${formatMs(p.p99)}`,
  }));
  // On a log axis every value must be above zero: a sub-microsecond median is drawn at 1 µs.
  const floorMs = 0.001;
  const y = { field: 'strategy', type: 'nominal', sort: names, axis: { title: null, labelFontSize: 12 } };
  const smallest = Math.max(floorMs, Math.min(...points.map((p) => p.p50)));
  const largest = Math.max(...points.map((p) => p.p99));
  const domain = [
    10 ** Math.floor(Math.log10(smallest)),
    10 ** Math.ceil(Math.log10(Math.max(largest, smallest * 10))),
  ];
  const x = {
    type: 'quantitative',
    scale: { type: 'log', domain },
    axis: { title: 'latency (ms, log scale)', format: '~g' },
  };
  return {
    ...frame,
    data: { values },
    hconcat: [
      {
        width: Math.round((width as number) * 0.8),
        height,
        encoding: { y },
        layer: [
          {
            mark: { type: 'bar', color: '#e15759', height: { band: 0.6 } },
            encoding: {
              x: { field: 'dbCalls', type: 'quantitative', axis: { title: 'database calls', format: ',d' } },
            },
          },
          {
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: '#333' },
            encoding: { x: { field: 'dbCalls', type: 'quantitative' }, text: { field: 'calls' } },
          },
        ],
      },
      {
        width,
        height,
        encoding: { y: { ...y, axis: null } },
        layer: [
          {
            mark: { type: 'rule', color: '#4e79a7', strokeWidth: 2 },
            encoding: { x: { ...x, field: 'p50' }, x2: { field: 'p99' } },
          },
          {
            mark: { type: 'point', filled: true, size: 70, color: '#4e79a7' },
            encoding: { x: { ...x, field: 'p50' } },
          },
          {
            mark: { type: 'point', filled: false, size: 70, strokeWidth: 2, color: '#4e79a7' },
            encoding: { x: { ...x, field: 'p99' } },
          },
          {
            mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -6, fontSize: 10, color: '#333' },
            encoding: { x: { ...x, field: 'p50' }, text: { field: 'latency' } },
          },
        ],
      },
    ],
  };
}
