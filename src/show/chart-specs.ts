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

/**
 * One colour per server, the same in every chart: the database, Valkey (a cache hit), the application's own
 * memory (a near cache). A chart's series are matched to them by name.
 */
export const SERVER_COLORS = { database: '#4e79a7', valkey: '#f28e2b', memory: '#59a14f' } as const;

/** Tableau 10 in its order, for series that are not one server (minus the colours a chart's servers took). */
const OTHER_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];

function serverOf(name: string): keyof typeof SERVER_COLORS | undefined {
  if (/\bnear\b|\bmemory\b/i.test(name)) return 'memory';
  if (/valkey|redis|\bcache\b/i.test(name)) return 'valkey';
  if (/database|mariadb|mysql|postgres/i.test(name)) return 'database';
  return undefined;
}

/**
 * A colour scale for series `names`: a series that is one server (its name says database, MariaDB, PostgreSQL;
 * cache, Valkey; near, memory) gets that server's colour, so the database is the same blue in every chart; the
 * others take the remaining colours in order. Two series of one server in one chart (two database queries)
 * cannot share a colour, so then neither takes the server's.
 */
export function seriesColorScale(names: readonly string[]): { domain: string[]; range: string[] } {
  const servers = names.map(serverOf);
  const single = (server: ReturnType<typeof serverOf>) =>
    server !== undefined && servers.filter((s) => s === server).length === 1;
  const taken = new Set<string>(servers.filter(single).map((server) => SERVER_COLORS[server!]));
  const free = OTHER_COLORS.filter((color) => !taken.has(color));
  const range = servers.map((server) => (single(server) ? SERVER_COLORS[server!] : (free.shift() ?? '#bab0ac')));
  return { domain: [...names], range };
}
