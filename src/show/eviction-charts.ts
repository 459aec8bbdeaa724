// Eviction charts: the measured hit ratio per policy beside what theory predicts, and the hit ratio along a run.

import type { ChartSpec } from './chart';
import { chartFrame, requireRatio, requireSome, type ChartOptions } from './chart-specs';

/**
 * One colour per eviction policy, the same in every chart of a notebook; a theory line takes the colour of the
 * policy it predicts (LRU blue, random orange, the LFU bound green).
 */
export const POLICY_COLOURS: Readonly<Record<string, string>> = {
  'allkeys-lru': '#4e79a7',
  'volatile-lru': '#76b7b2',
  'allkeys-lfu': '#59a14f',
  'allkeys-random': '#f28e2b',
  'volatile-ttl': '#b07aa1',
  noeviction: '#9c755f',
};

const THEORY_COLOURS: Readonly<Record<string, string>> = {
  'static top-C (LFU bound)': POLICY_COLOURS['allkeys-lfu']!,
  "LRU (Che's approximation)": POLICY_COLOURS['allkeys-lru']!,
  'random replacement': POLICY_COLOURS['allkeys-random']!,
};

const colourOf = (name: string, table: Readonly<Record<string, string>>) => table[name] ?? '#555';

/** A measured run: its policy, the memory it had for data (MB above the empty server) and its hit ratio. */
export interface MeasuredEviction {
  policy: string;
  roomMb: number;
  hitRatio: number;
}

/** A prediction at one memory size. */
export interface PredictedEviction {
  theory: string;
  roomMb: number;
  hitRatio: number;
}

/**
 * Hit ratio against memory: each policy's measurements as points joined by a line, each theory as a dashed line in
 * the colour of the policy it predicts. The x axis has a tick at every memory size measured, so every point sits on
 * a labelled tick.
 */
export function evictionTheoryChart(
  measured: readonly MeasuredEviction[],
  predicted: readonly PredictedEviction[],
  options: ChartOptions = {},
): ChartSpec {
  requireSome(measured, 'eviction chart', 'runs');
  for (const p of [...measured, ...predicted]) requireRatio(p.hitRatio, 'eviction chart', 'hitRatio');
  const policies = [...new Set(measured.map((m) => m.policy))];
  const theories = [...new Set(predicted.map((p) => p.theory))];
  const sizes = [...new Set(measured.map((m) => m.roomMb))].sort((a, b) => a - b);
  const lowest = Math.min(...[...measured, ...predicted].map((p) => p.hitRatio));
  const x = {
    field: 'roomMb',
    type: 'quantitative',
    scale: { domain: [0, sizes.at(-1)! * 1.1], nice: false },
    axis: { title: 'memory for data (MB above the empty server)', values: sizes, format: '.2f' },
  };
  const y = {
    field: 'hitRatio',
    type: 'quantitative',
    scale: { domain: [Math.max(0, Math.floor(lowest * 20) / 20 - 0.02), 1], nice: false },
    axis: { title: 'hit ratio', format: '.0%' },
  };
  const domain = [...policies, ...theories];
  const range = [
    ...policies.map((p) => colourOf(p, POLICY_COLOURS)),
    ...theories.map((t) => colourOf(t, THEORY_COLOURS)),
  ];
  const colour = {
    type: 'nominal',
    scale: { domain, range },
    legend: {
      title: 'solid: measured · dashed: theory',
      orient: 'right',
      direction: 'vertical',
      symbolType: 'stroke',
      labelLimit: 400,
      titleLimit: 400,
    },
  };
  return {
    ...chartFrame(options, {
      title: 'Hit ratio by eviction policy, beside theory',
      subtitle: 'the same requests replayed at each memory size; dashed: what theory predicts for the keys that fit',
      width: 520,
      height: 300,
    }),
    layer: [
      {
        data: { values: predicted.map((p) => ({ ...p, series: p.theory })) },
        mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { x, y, color: { ...colour, field: 'series' }, detail: { field: 'theory' } },
      },
      {
        data: { values: measured.map((m) => ({ ...m, series: m.policy })) },
        mark: { type: 'line', point: { size: 50, filled: true }, strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: { ...colour, field: 'series' },
          tooltip: [{ field: 'policy' }, { field: 'roomMb' }, { field: 'hitRatio', format: '.1%' }],
        },
      },
    ],
  };
}

/** The hit ratio of one stretch of a run, for one policy. */
export interface EvictionWindowPoint {
  policy: string;
  /** Requests counted so far, at the end of the stretch. */
  request: number;
  hitRatio: number;
}

/** The hit ratio along a run, one line per policy, with dotted rules where popularity moved on. */
export function hitRatioAlongRunChart(
  points: readonly EvictionWindowPoint[],
  options: ChartOptions & { shifts?: readonly number[] } = {},
): ChartSpec {
  requireSome(points, 'hit-ratio-along-a-run chart', 'points');
  for (const p of points) requireRatio(p.hitRatio, 'hit-ratio-along-a-run chart', 'hitRatio');
  const policies = [...new Set(points.map((p) => p.policy))];
  const rules = (options.shifts ?? []).map((request) => ({ request }));
  return {
    ...chartFrame(options, {
      title: 'Hit ratio while popularity moves',
      subtitle: 'each point: the hit ratio of the requests since the previous one; dotted: the hot keys move on',
      width: 520,
      height: 260,
    }),
    layer: [
      ...(rules.length > 0
        ? [
            {
              data: { values: rules },
              mark: { type: 'rule', strokeDash: [2, 3], color: '#888' },
              encoding: { x: { field: 'request', type: 'quantitative' } },
            },
          ]
        : []),
      {
        data: { values: points },
        mark: { type: 'line', point: { size: 24, filled: true }, strokeWidth: 2 },
        encoding: {
          x: { field: 'request', type: 'quantitative', axis: { title: 'requests', format: '~s' } },
          y: {
            field: 'hitRatio',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: { title: 'hit ratio', format: '.0%' },
          },
          color: {
            field: 'policy',
            type: 'nominal',
            title: 'maxmemory-policy',
            scale: { domain: policies, range: policies.map((p) => colourOf(p, POLICY_COLOURS)) },
            legend: { orient: 'right', direction: 'vertical' },
          },
        },
      },
    ],
  };
}
