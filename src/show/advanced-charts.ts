// Charts for Part 4: the write-behind crash drill's timeline.

import type { DrillSummary } from '../patterns/write-behind-drill';
import type { ChartSpec } from './chart';
import { chartFrame, requireSome, type ChartOptions } from './chart-specs';

/**
 * Writes applied over time during a crash drill, one colour per worker process (a diamond where each started),
 * with a rule at every
 * SIGKILL (dashed where the kill came between a commit and its acknowledgement).
 */
export function drillTimelineChart(summary: DrillSummary, options: ChartOptions = {}): ChartSpec {
  const applied = summary.timeline
    .filter((p) => p.kind === 'applied')
    .map((p) => ({ s: p.ms / 1000, applied: p.applied ?? 0, worker: `worker ${p.instance}` }));
  requireSome(applied, 'drill timeline', 'applied writes');
  const kills = summary.timeline
    .filter((p) => p.kind === 'kill' || p.kind === 'kill-after-commit')
    .map((p) => ({ s: p.ms / 1000, kind: p.kind === 'kill' ? 'SIGKILL' : 'SIGKILL after commit, before XACK' }));
  // Every worker process started is in the legend, and its start is marked: one that only took back entries
  // applied before (recognised as duplicates) has no applied point of its own.
  let appliedSoFar = 0;
  const starts = summary.timeline.flatMap((p) => {
    if (p.kind === 'applied') appliedSoFar = p.applied ?? appliedSoFar;
    return p.kind === 'start' ? [{ s: p.ms / 1000, applied: appliedSoFar, worker: `worker ${p.instance}` }] : [];
  });
  const workers = [...new Set([...starts, ...applied].map((p) => p.worker))];
  const color = {
    field: 'worker',
    type: 'nominal',
    title: 'process (◇ where it started)',
    legend: { titleLimit: 400 },
    scale: { domain: workers },
    sort: workers,
  };
  return {
    ...chartFrame(options, {
      title: 'Write-behind crash drill',
      subtitle: `${summary.writes} writes, worker killed every ${summary.killEvery} applied (${summary.engine})`,
      width: 520,
      height: 240,
    }),
    layer: [
      {
        data: { values: applied },
        mark: { type: 'point', filled: true, size: 12 },
        encoding: {
          x: { field: 's', type: 'quantitative', axis: { title: 'seconds since the drill started' } },
          y: { field: 'applied', type: 'quantitative', axis: { title: 'writes applied' } },
          color,
        },
      },
      {
        data: { values: starts },
        mark: { type: 'point', shape: 'diamond', filled: false, size: 70, strokeWidth: 1.5 },
        encoding: { x: { field: 's', type: 'quantitative' }, y: { field: 'applied', type: 'quantitative' }, color },
      },
      ...(kills.length > 0
        ? [
            {
              data: { values: kills },
              mark: { type: 'rule', color: '#b42318' },
              encoding: {
                x: { field: 's', type: 'quantitative' },
                strokeDash: {
                  field: 'kind',
                  type: 'nominal',
                  title: 'kill',
                  scale: {
                    domain: ['SIGKILL', 'SIGKILL after commit, before XACK'],
                    range: [
                      [1, 0],
                      [5, 3],
                    ],
                  },
                },
              },
            },
          ]
        : []),
    ],
  };
}
