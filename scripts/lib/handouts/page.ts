// The frame every handout page shares: a self-contained HTML document (no script, nothing fetched) whose
// stylesheet is made for reading on screen and for printing, and the way pages say dates and engines.

import { ENGINE_KINDS, engineLabel as labelOf, type EngineKind } from '../../../src/config';
import { escapeHtml } from '../../../src/show/format';

export const COURSE_TITLE = 'Cache Me, If You Can — Valkey Edition';

export const engineLabel = (engine: string): string =>
  (ENGINE_KINDS as readonly string[]).includes(engine) ? labelOf(engine as EngineKind) : engine;

const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** `Monday, 1 December 2025 at 09:30 UTC`: a moment as a person reads it (text that is no date stays as it is). */
export function readableDate(when: string | Date): string {
  const date = typeof when === 'string' ? new Date(when) : when;
  if (Number.isNaN(date.getTime())) return String(when);
  return `${DAY.format(date)} at ${TIME.format(date)} UTC`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --code: #f4f5f7;
  --bad: #b3261e; --good: #1e7a3c; --accent: #2f5d9e; --task: #f2f6fc; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; color: var(--ink);
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.page { border-bottom: 2px solid var(--ink); margin-bottom: 20px; padding-bottom: 10px; }
header.page .course { color: var(--muted); font-size: 13px; letter-spacing: .02em; text-transform: uppercase; }
header.page .course strong { color: var(--accent); }
header.page h1 { margin: 4px 0; font-size: 28px; }
.meta { color: var(--muted); font-size: 13px; }
.edition-note { margin: 8px 0 0; max-width: 46rem; font-size: 14px; }
a { color: var(--accent); }
h1, h2, h3 { line-height: 1.25; }
h2 { margin-top: 32px; border-bottom: 1px solid var(--line); padding-bottom: 2px; }
/* Text keeps a measure that reads well; tables and charts may use the full width. */
.prose > :not(.table-box), .task > :not(.table-box), .edition-note { max-width: 46rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13.5px; }
:not(pre) > code { background: var(--code); padding: 1px 4px; border-radius: 3px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.prose pre, .task pre { background: var(--code); padding: 8px 10px; margin: 8px 0; }
blockquote { margin: 12px 0; padding: 4px 14px; border-left: 4px solid var(--line); color: #333a48; }
.cell { margin: 10px 0 14px; }
.source { background: var(--code); border-left: 3px solid var(--line); padding: 8px 10px; }
details.code > summary { cursor: pointer; color: var(--muted); font-size: 13px; width: max-content; }
details.code > summary .lines { font-size: 12px; }
details.code[open] > summary { margin-bottom: 4px; }
.outputs { padding: 4px 0 0; }
.output { margin: 6px 0; }
/* Wide tables scroll inside their own box instead of running off the page. */
.output-html, .output-markdown, .table-box { max-width: 100%; overflow-x: auto; }
/* On screen a row stays on one line, as in the notebook; the box scrolls instead. */
.output-html th, .output-html td { white-space: nowrap; }
.output-error { color: var(--bad); background: #fdecea; border-left: 3px solid var(--bad); padding: 6px 10px; }
.output-stream.checks { color: var(--good); font-size: 13px; }
.output-chart { margin: 10px 0; }
.output-chart svg { display: block; max-width: 100%; height: auto; }
figure { margin: 8px 0; }
table { border-collapse: collapse; font-size: 14px; margin: 6px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; vertical-align: top; }
th { text-align: left; }
caption { text-align: left; }
.exercise { margin: 22px 0; padding: 4px 18px 14px; border: 2px solid var(--accent); border-radius: 6px; background: var(--task); }
.exercise .label { margin: 12px 0 4px; font-size: 13px; font-weight: bold; color: var(--accent); text-transform: uppercase; letter-spacing: .03em; }
.exercise .source { background: #fff; }
.exercise .missing, .missing { color: var(--bad); font-style: italic; }
.exercise .after { font-size: 13px; color: var(--muted); margin: 8px 0 0; max-width: 46rem; }
/* Room to work on paper: ruled lines, a few more than a good answer takes. */
.workspace { background: #fff; border: 1px solid var(--line); padding: 0 10px; }
.workspace .line { height: 1.9em; border-bottom: 1px solid #c9d3e3; }
.workspace .line:last-child { border-bottom: none; }
.workspace .label { margin: 0; line-height: 1.9; border-bottom: 1px solid #c9d3e3; }
.label code { text-transform: none; font-weight: normal; }
.banner { padding: 12px 16px; margin: 0 0 20px; font-weight: bold; border-radius: 4px; }
.banner.failed { background: var(--bad); color: #fff; font-size: 18px; }
.banner.failed pre { font-weight: normal; font-size: 13px; margin-top: 6px; }
.status { font-weight: bold; }
.status.passed { color: var(--good); }
.status.failed { color: var(--bad); }
.notebook { margin: 28px 0; }
.notebook h2 { margin-bottom: 4px; }
.notebook .teaches { margin: 4px 0 8px; font-size: 17px; }
.figures { width: 100%; table-layout: fixed; }
.figures tr > :first-child { width: 24%; color: #333a48; }
.figures td { overflow-wrap: anywhere; }
article.handout + article.handout { break-before: page; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 13mm 16mm; }
/* Charts too wide for a portrait page get a landscape page of their own, so their labels stay legible. */
@page wide { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  nav { display: none; }
  /* Folded code is left off paper; the instructor's open code is printed. */
  details.code:not([open]) { display: none; }
  details.code > summary { display: none; }
  .source { border-left-color: #999; }
  code, pre { font-size: 8.5pt; }
  .output-html, .output-markdown, .table-box { overflow: visible; }
  /* Wide tables shrink and wrap to the page instead of being cut at its edge. */
  .output-html table, .output-markdown table, .table-box table { font-size: 9pt; }
  .output-html.wide table { width: 100%; font-size: 7.5pt; }
  .output-html th, .output-html td, .table-box th, .table-box td { padding: 1px 4px !important; white-space: normal; overflow-wrap: break-word; }
  .output-chart.wide { page: wide; }
  .output-chart svg { max-height: 170mm; width: auto; }
  figure, .banner, tr, .workspace, .stub, .solution, pre { break-inside: avoid; }
  h1, h2, h3, .label { break-after: avoid; }
  .exercise { break-inside: auto; background: none; }
  .banner.failed { border: 3px solid var(--bad); background: none; color: var(--bad); }
}`;

export function page(title: string, body: string): string {
  // The policy tells the browser to load nothing but what is inline, should anything slip through.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
