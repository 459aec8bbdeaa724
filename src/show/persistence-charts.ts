// The crash drills as a chart: per persistence setting, the share of acknowledged writes a restart found again.

import type { CrashDrill } from '../experiments/persistence';
import type { ChartSpec } from './chart';
import { chartFrame, requireSome, type ChartOptions } from './chart-specs';
import { formatNumber } from './format';

/**
 * One bar per drill, from 0 to 100%: the acknowledged writes the restarted server still had, labelled with the
 * counts (kept of acknowledged) and the writes per second each setting allowed. Shares, not counts: a setting that
 * flushes every write to disk acknowledges far fewer writes in the same time, and its bar would vanish beside the others.
 */
export function crashDrillChart(drills: readonly CrashDrill[], options: ChartOptions = {}): ChartSpec {
  requireSome(drills, 'crash drill chart', 'drills');
  const values = drills.map((d) => ({
    setting: d.name,
    kept: d.acknowledged === 0 ? 0 : d.kept / d.acknowledged,
    label: `${formatNumber(d.kept)} of ${formatNumber(d.acknowledged)} kept · ${formatNumber(Math.round(d.writesPerSecond))} writes/s`,
  }));
  return {
    ...chartFrame(options, {
      title: 'Acknowledged writes kept through a crash',
      subtitle: 'private server SIGKILLed during a stream of XADDs, restarted from its own files',
      width: 420,
      height: 34 * drills.length + 10,
    }),
    data: { values },
    encoding: {
      y: { field: 'setting', type: 'nominal', sort: drills.map((d) => d.name), axis: { title: null } },
      x: {
        field: 'kept',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { title: 'share of acknowledged writes kept', format: '.0%' },
      },
    },
    layer: [
      { mark: { type: 'bar', color: '#f28e2b' } },
      { mark: { type: 'text', align: 'left' }, encoding: { text: { field: 'label' }, x: { value: 6 } } },
    ],
  };
}
