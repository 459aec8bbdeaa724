// What every chart builder shares: title and size options, the spec's frame, and input checks.

import { LabError } from '../errors';
import { LAB_CHART_CONFIG, VEGA_LITE_SCHEMA, type ChartSpec } from './chart';

/** Options every chart builder takes; each builder has its own default title and subtitle. */
export interface ChartOptions {
  title?: string;
  /** A second title line: what was measured, how. Pass '' to leave it out. */
  subtitle?: string;
  /** Plot size in pixels (axes, legend and titles come on top). */
  width?: number;
  height?: number;
}

export interface ChartDefaults {
  title: string;
  subtitle: string;
  width: number;
  height: number;
}

/** The outer part of a spec: schema, titles, size and the lab's look. */
export function chartFrame(options: ChartOptions, defaults: ChartDefaults): ChartSpec {
  const subtitle = options.subtitle ?? defaults.subtitle;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? defaults.title, ...(subtitle ? { subtitle } : {}) },
    width: options.width ?? defaults.width,
    height: options.height ?? defaults.height,
    config: structuredClone(LAB_CHART_CONFIG) as unknown as Record<string, unknown>,
  };
}

/** Throws a LabError when there is nothing to draw, naming the chart. */
export function requireSome<T>(items: readonly T[], chart: string, what: string): void {
  if (items.length === 0) {
    throw new LabError({
      what: `Nothing to chart: the ${chart} got no ${what}`,
      fix: `Pass at least one ${what.replace(/s$/, '')}.`,
    });
  }
}

/** Throws unless `ratio` is a fraction: a percent (95) where a ratio (0.95) belongs is an easy slip. */
export function requireRatio(ratio: number, chart: string, field: string): void {
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new LabError({
      what: `The ${chart} got ${field}=${ratio}, which is not between 0 and 1`,
      fix: `Pass a ratio (0.95 for 95%), e.g. hits / (hits + misses).`,
    });
  }
}

/** Throws when two series share a name: their colours and legend entries would merge. */
export function requireDistinct(names: readonly string[], chart: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new LabError({
        what: `The ${chart} got two series named "${name}"`,
        fix: 'Give each series its own name.',
      });
    }
    seen.add(name);
  }
}
