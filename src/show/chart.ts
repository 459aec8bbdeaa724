// Charts: a vega-lite spec (plain JSON) rendered to SVG in Node, shown inline in the notebook.

import { LabError, errorMessage } from '../errors';
import type { Config, TopLevelSpec } from 'vega-lite';
import { present } from './display';

/**
 * A vega-lite spec as plain JSON (https://vega.github.io/vega-lite/docs/spec.html). The lab keeps
 * its own loose type so notebooks need no vega-lite types; vega-lite itself checks the spec.
 */
export interface ChartSpec {
  $schema?: string;
  title?: string | { text: string | string[]; subtitle?: string | string[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** A rendered chart: the spec (savable, printable) and the SVG that was shown. */
export interface Chart {
  spec: ChartSpec;
  svg: string;
}

/** The Vega-Lite schema every chart spec names (`$schema`). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The lab's look, chosen to read well as a static SVG in JupyterLab, the classic Notebook and an
 * offline HTML handout (light or dark page: the chart carries its own white background).
 */
export const LAB_CHART_CONFIG = {
  background: 'white',
  padding: 12,
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#333', gridColor: '#e6e6e6' },
  // Without a canvas, vega estimates text widths generously and would cut legend labels short at its default
  // 160 px (about 17 characters): a legend that says "near hit (memor…" tells nothing.
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    orient: 'top',
    symbolType: 'square',
    labelLimit: 400,
  },
  range: { category: { scheme: 'tableau10' } },
} as const;

type VegaModules = [typeof import('vega'), typeof import('vega-lite')];
let modules: Promise<VegaModules> | undefined;

/**
 * vega and vega-lite are ESM-only with top-level await, so this CommonJS library reaches them through
 * a real dynamic import (kept as is by the build), loaded once, on the first chart.
 */
function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).catch((cause: unknown) => {
    modules = undefined;
    throw new LabError({
      what: `Cannot load vega / vega-lite (${errorMessage(cause)})`,
      fix: 'Run npm install in the project folder.',
      cause,
    });
  });
  return modules;
}

/** Compiles a vega-lite spec to Vega and renders it to an SVG string, headless (no canvas, no browser). */
export async function renderChart(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  let view: InstanceType<typeof vega.View> | undefined;
  try {
    // vega tags the data rows it is given; a copy keeps the caller's spec plain JSON.
    const compiled = vegaLite.compile(withSubtitleLines(structuredClone(spec)) as unknown as TopLevelSpec, {
      config: LAB_CHART_CONFIG as Config,
    });
    view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
    return await view.toSVG();
  } catch (cause) {
    throw new LabError({
      what: `Cannot render the chart "${chartTitle(spec)}": ${errorMessage(cause)}`,
      fix: 'Check the spec against https://vega.github.io/vega-lite/docs/ (print it to see it).',
      cause,
    });
  } finally {
    view?.finalize();
  }
}

/** A subtitle longer than this is set on several lines. */
const SUBTITLE_LINE_CHARS = 90;

/**
 * vega sets a title on one line and widens the chart to hold it, so a long subtitle (the server, its
 * address, the runs) made charts twice as wide as their plot and shrank every label with them on a page.
 * Set on several lines, split after a `;` or before a ` · `, the chart is as wide as its plot needs.
 */
export function subtitleLines(subtitle: string): string | string[] {
  if (subtitle.length <= SUBTITLE_LINE_CHARS) return subtitle;
  const lines: string[] = [];
  for (const part of subtitle.split(/(?<=;) | (?=· )/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + part.length <= SUBTITLE_LINE_CHARS)
      lines[lines.length - 1] = `${last} ${part}`;
    else lines.push(part);
  }
  return lines.length > 1 ? lines : subtitle;
}

function withSubtitleLines(spec: ChartSpec): ChartSpec {
  if (typeof spec.title === 'object' && typeof spec.title.subtitle === 'string') {
    spec.title.subtitle = subtitleLines(spec.title.subtitle);
  }
  return spec;
}

/**
 * Renders the spec and shows the SVG in the notebook; returns the spec and the SVG.
 * Outside a notebook it prints one line naming the chart.
 */
export async function showChart(spec: ChartSpec): Promise<Chart> {
  const svg = await renderChart(spec);
  const chart: Chart = { spec, svg };
  const summary = describeChart(chart);
  // A cell ending in `await showChart(...)` prints its value: one line, not the SVG's markup.
  Object.defineProperty(chart, Symbol.for('nodejs.util.inspect.custom'), { value: () => summary, enumerable: false });
  present('svg', svg, summary);
  return chart;
}

/** `chart "Latency distribution" (SVG 640×360, 42 kB)`. */
export function describeChart(chart: Chart): string {
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(chart.svg);
  const dimensions = size ? ` ${Math.round(Number(size[1]))}×${Math.round(Number(size[2]))}` : '';
  const kb = Math.max(1, Math.round(chart.svg.length / 1024));
  return `chart "${chartTitle(chart.spec)}" (SVG${dimensions}, ${kb} kB)`;
}

/** The chart's title as one line, for messages. */
export function chartTitle(spec: ChartSpec): string {
  const title = typeof spec.title === 'string' || Array.isArray(spec.title) ? spec.title : spec.title?.text;
  if (title === undefined) return 'untitled';
  return Array.isArray(title) ? title.join(' ') : title;
}
