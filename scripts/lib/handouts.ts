// Instructor handouts: executed notebooks as self-contained HTML pages (inline SVG, no script, nothing
// fetched), one per notebook and engine, and an index with what each run measured.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENGINE_KINDS, engineLabel as labelOf, type EngineKind, type LabConfig } from '../../src/config';
import { LabError } from '../../src/errors';
import { escapeHtml } from '../../src/show/format';
import { renderInline, renderMarkdown } from './markdown';

export const COURSE_TITLE = 'Cache Me, If You Can — Valkey Edition';

/** One run as the headless runner records it in summary.json. */
export interface RunRecord {
  notebook: string;
  engine: string;
  ok: boolean;
  cells: number;
  executed: number;
  seconds: number;
  failedCell: number | null;
  error: string | null;
  /** The executed copy, relative to the summary's folder. */
  output: string;
}

export interface RunSummary {
  finishedAt: string;
  runs: RunRecord[];
}

interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

interface Cell {
  cell_type: 'markdown' | 'code' | 'raw';
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: Cell[];
  metadata?: Record<string, unknown>;
}

/** What one handout says about its run, for the index. */
export interface HandoutEntry {
  run: RunRecord;
  /** The handout's file, relative to the handouts folder; null when no executed copy existed. */
  file: string | null;
  title: string;
  /** The notebook's opening paragraph, as HTML. */
  covers: string;
  /** The closing "What this run measured" table(s), as HTML; empty when the run did not get there. */
  measured: string;
  /** `database` and `cache` rows of the closing table (server and version), when it has them. */
  servers: Record<string, string>;
  charts: number;
}

export interface HandoutOptions {
  /** The folder holding summary.json and the executed copies (build/notebooks). */
  from: string;
  /** Where the handouts go (build/handouts). */
  to: string;
  /** Passwords that must never appear in a handout: each is masked wherever it occurs. */
  secrets: readonly string[];
  /** The date printed on the handouts (default: now). */
  now?: Date;
}

export interface HandoutResult {
  index: string;
  entries: HandoutEntry[];
}

const text = (source: string | string[] | undefined): string =>
  Array.isArray(source) ? source.join('') : (source ?? '');

// ---- Safety: what a handout may contain ------------------------------------------------------------

/**
 * Output HTML and SVG come from the lab's own helpers, but a handout must open anywhere without
 * running or fetching anything: drop scripts, embedded documents, stylesheets by reference, event
 * handlers, and every reference that is not to the page itself or inline data.
 */
export function sanitizeMarkup(markup: string): string {
  return markup
    .replace(/<\?xml[^>]*\?>/gi, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<(script|iframe|object|embed|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(script|iframe|object|embed|link|meta|base|frame|frameset)\b[^>]*>/gi, '')
    .replace(/\s(on[a-z]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(
      /\s((?:xlink:)?href|src|srcset|action|formaction|poster|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi,
      (whole, _name: string, value: string) => {
        const target = value.replace(/^["']|["']$/g, '').trim();
        return target.startsWith('#') ? whole : '';
      },
    )
    .replace(/url\(\s*(["']?)(?!#)[^)]*\1\s*\)/gi, 'none')
    .replace(/@import[^;]*;?/gi, '');
}

const URL_WITH_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi;

/**
 * Masks every password in `secrets`, raw or HTML-escaped, and the user part of any URL that names one
 * (`mysql://user:pw@host` becomes `mysql://***@host`), so no handout carries a way to log in.
 */
export function maskSecrets(content: string, secrets: readonly string[]): string {
  let out = content.replace(URL_WITH_CREDENTIALS, '$1***@');
  for (const secret of secrets) {
    for (const form of new Set([secret, escapeHtml(secret), encodeURIComponent(secret)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/** Every password the configuration holds: the lab user's, the administrators', and Valkey's. */
export function labSecrets(config: LabConfig): string[] {
  const valkeyPassword = (() => {
    try {
      return config.valkey.url ? decodeURIComponent(new URL(config.valkey.url).password) : '';
    } catch {
      return '';
    }
  })();
  return [config.mysql, config.postgres, config.mysqlAdmin, config.postgresAdmin]
    .map((t) => t.password ?? '')
    .concat(valkeyPassword)
    .filter((p) => p.length > 0);
}

/** Refuses (LabError) a password too short to mask without mangling the page around it. */
function checkSecrets(secrets: readonly string[]): string[] {
  const usable = [...new Set(secrets.filter((s) => s.length > 0))];
  const short = usable.find((s) => s.length < 4);
  if (short !== undefined) {
    throw new LabError({
      what: 'A lab password is shorter than 4 characters, too short to mask reliably in handouts',
      fix: 'Use a longer password (set-up generates one when LAB_DB_PASSWORD is empty).',
    });
  }
  return usable;
}

// ---- Reading a notebook -----------------------------------------------------------------------------

/** The notebook's title (its first heading) and its opening paragraph, from the first markdown cell. */
export function notebookIntro(nb: Notebook, fallbackTitle: string): { title: string; covers: string } {
  const first = nb.cells.find((c) => c.cell_type === 'markdown');
  const md = text(first?.source);
  const heading = md.match(/^#{1,6}\s+(.+)$/m);
  const paragraph = md
    .replace(/^#{1,6}\s+.+$/m, '')
    .trim()
    .split(/\n\s*\n/)[0];
  return {
    title: heading ? heading[1]!.trim() : fallbackTitle,
    covers: paragraph ? renderInline(paragraph.replace(/\s*\n\s*/g, ' ')) : '',
  };
}

/** The HTML tables shown under the closing "What this run measured" (or "saw") heading. */
export function closingTables(nb: Notebook): string[] {
  const start = nb.cells.findLastIndex(
    (c) => c.cell_type === 'markdown' && /^#{1,6}\s+What this run\b/im.test(text(c.source)),
  );
  if (start < 0) return [];
  return nb.cells
    .slice(start + 1)
    .flatMap((c) => c.outputs ?? [])
    .map((o) => text(o.data?.['text/html']))
    .filter((html) => /<table\b/i.test(html));
}

/** The cell texts of an HTML table's body rows. */
export function tableRows(html: string): string[][] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/i)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/gi)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/gi)].map((cell) =>
      decodeEntities(cell[1]!.replace(/<[^>]+>/g, '')),
    ),
  );
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** True for output that reports a failure: an error, or text the kernel wrote to stderr. */
export function isErrorOutput(output: Output): boolean {
  return output.output_type === 'error' || (output.output_type === 'stream' && output.name === 'stderr');
}

// ---- Rendering ----------------------------------------------------------------------------------------

function renderOutput(output: Output): string {
  if (isErrorOutput(output)) {
    const message =
      output.output_type === 'error'
        ? [`${output.ename ?? 'Error'}: ${output.evalue ?? ''}`, ...(output.traceback ?? [])].join('\n')
        : text(output.text);
    // Tracebacks carry terminal colour codes; a page has no use for them.
    return `<pre class="output output-error">${escapeHtml(message.replace(/\u001b\[[0-9;]*m/g, ''))}</pre>`;
  }
  if (output.output_type === 'stream')
    return `<pre class="output output-stream">${escapeHtml(text(output.text))}</pre>`;
  const data = output.data ?? {};
  if (data['image/svg+xml']) {
    return `<figure class="output output-chart">${sanitizeMarkup(text(data['image/svg+xml']))}</figure>`;
  }
  if (data['text/html']) return `<div class="output output-html">${sanitizeMarkup(text(data['text/html']))}</div>`;
  if (data['text/markdown']) {
    return `<div class="output output-markdown">${renderMarkdown(text(data['text/markdown']))}</div>`;
  }
  if (data['text/plain']) return `<pre class="output output-text">${escapeHtml(text(data['text/plain']))}</pre>`;
  return ''; // a MIME type a printed page cannot show (widgets, vega specs...): left out
}

function renderCell(cell: Cell): string {
  if (cell.cell_type === 'markdown') return `<section class="prose">${renderMarkdown(text(cell.source))}</section>`;
  if (cell.cell_type !== 'code') return '';
  const prompt = cell.execution_count ?? ' ';
  const outputs = (cell.outputs ?? []).map(renderOutput).join('\n');
  return (
    `<section class="cell"><pre class="source" data-prompt="[${prompt}]"><code>${escapeHtml(text(cell.source))}</code></pre>` +
    `${outputs ? `\n<div class="outputs">${outputs}</div>` : ''}</section>`
  );
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --code: #f5f6f8; --bad: #b3261e; --good: #1e7a3c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 24px 28px 48px; color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.page { border-bottom: 2px solid var(--ink); margin-bottom: 20px; padding-bottom: 8px; }
header.page .course { color: var(--muted); font-size: 13px; letter-spacing: .02em; text-transform: uppercase; }
header.page h1 { margin: 4px 0; font-size: 26px; }
.meta { color: var(--muted); font-size: 13px; }
h1, h2, h3 { line-height: 1.25; }
h2 { margin-top: 28px; border-bottom: 1px solid var(--line); padding-bottom: 2px; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
:not(pre) > code { background: var(--code); padding: 1px 4px; border-radius: 3px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; }
.cell { margin: 12px 0; }
.source { background: var(--code); border-left: 3px solid var(--line); padding: 8px 10px; }
.outputs { padding: 6px 0 0 13px; }
.output { margin: 6px 0; overflow-x: auto; }
.output-error { color: var(--bad); background: #fdecea; border-left: 3px solid var(--bad); padding: 6px 10px; }
.output-chart svg { max-width: 100%; height: auto; }
figure { margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; vertical-align: top; }
th { text-align: left; }
.banner { padding: 12px 16px; margin: 0 0 20px; font-weight: bold; border-radius: 4px; }
.banner.failed { background: var(--bad); color: #fff; font-size: 18px; }
.banner.failed pre { font-weight: normal; font-size: 13px; margin-top: 6px; }
.status { font-weight: bold; }
.status.passed { color: var(--good); }
.status.failed { color: var(--bad); }
.runs { width: 100%; }
.runs td { padding: 8px; }
.runs .measured table { margin: 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .source { border-left-color: #999; }
  .cell, figure, table, .banner, tr { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  .banner.failed { border: 3px solid var(--bad); background: none; color: var(--bad); }
  @page { margin: 16mm 14mm; }
}`;

function page(title: string, body: string): string {
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

const engineLabel = (engine: string) =>
  (ENGINE_KINDS as readonly string[]).includes(engine) ? labelOf(engine as EngineKind) : engine;
const day = (d: Date) =>
  d
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, ' UTC');

function failedBanner(run: RunRecord): string {
  const where = run.failedCell ? ` at code cell ${run.failedCell}` : '';
  return (
    `<div class="banner failed" role="alert">FAILED — this run did not complete${escapeHtml(where)}; ` +
    `its figures are incomplete and must not be handed out as results.` +
    `${run.error ? `<pre>${escapeHtml(run.error)}</pre>` : ''}</div>`
  );
}

/** One executed notebook as a handout page. */
export function renderHandout(nb: Notebook, run: RunRecord, when: { ranAt: string; now: Date }): string {
  // The notebook's own first cell carries its title (h1), so the page header adds only the context.
  const { title } = notebookIntro(nb, run.notebook);
  const status = run.ok ? 'passed' : 'FAILED';
  const header =
    `<header class="page"><div class="course">${escapeHtml(COURSE_TITLE)}</div>` +
    `<div class="meta">Engine: ${escapeHtml(engineLabel(run.engine))} · run ${escapeHtml(status)} ` +
    `(${run.executed}/${run.cells} code cells, ${run.seconds.toFixed(1)} s) · executed ${escapeHtml(when.ranAt)} · ` +
    `handout made ${escapeHtml(day(when.now))}</div></header>`;
  const cells = nb.cells.map(renderCell).filter(Boolean).join('\n');
  const footer = `<footer>${escapeHtml(COURSE_TITLE)} · ${escapeHtml(run.notebook)} on ${escapeHtml(engineLabel(run.engine))}. Every figure on this page was measured in the run it shows.</footer>`;
  return page(
    `${run.ok ? '' : 'FAILED: '}${title} (${engineLabel(run.engine)})`,
    `${header}\n${run.ok ? '' : failedBanner(run)}\n${cells}\n${footer}`,
  );
}

function renderIndex(entries: HandoutEntry[], summary: RunSummary, now: Date): string {
  const failed = entries.filter((e) => !e.run.ok);
  const servers = new Map<string, Record<string, string>>();
  for (const e of entries) {
    const known = servers.get(e.run.engine) ?? {};
    servers.set(e.run.engine, { ...e.servers, ...known });
  }
  const serverRows = [...servers]
    .map(
      ([engine, s]) =>
        `<tr><td>${escapeHtml(engineLabel(engine))}</td><td>${escapeHtml(s.database ?? 'not reported')}</td><td>${escapeHtml(s.cache ?? 'not reported')}</td></tr>`,
    )
    .join('\n');
  const runRows = entries
    .map((e) => {
      const name = escapeHtml(e.title);
      const link = e.file ? `<a href="${escapeHtml(encodeURI(e.file))}">${name}</a>` : name;
      const status = e.run.ok
        ? '<span class="status passed">passed</span>'
        : `<span class="status failed">FAILED${e.run.failedCell ? ` at cell ${e.run.failedCell}` : ''}</span>`;
      return (
        `<tr><td>${link}<div class="meta">${escapeHtml(e.run.notebook)}</div><p>${e.covers}</p></td>` +
        `<td>${escapeHtml(engineLabel(e.run.engine))}<br>${status}<div class="meta">${e.charts} chart${e.charts === 1 ? '' : 's'}, ${e.run.seconds.toFixed(1)} s</div></td>` +
        `<td class="measured">${e.measured || '<span class="meta">no closing table in this run</span>'}</td></tr>`
      );
    })
    .join('\n');
  const body =
    `<header class="page"><div class="course">Handouts</div><h1>${escapeHtml(COURSE_TITLE)}</h1>` +
    `<div class="meta">Notebooks executed ${escapeHtml(summary.finishedAt)} · handouts made ${escapeHtml(day(now))} · ` +
    `${entries.length - failed.length} of ${entries.length} runs passed</div></header>\n` +
    (failed.length > 0
      ? `<div class="banner failed" role="alert">FAILED — ${failed.length} of ${entries.length} runs failed: ` +
        `${escapeHtml(failed.map((e) => `${e.run.notebook} on ${engineLabel(e.run.engine)}`).join(', '))}. ` +
        `Their handouts are marked FAILED; do not hand them out as results.</div>\n`
      : '') +
    `<h2>Servers</h2>\n<table><thead><tr><th>engine</th><th>database</th><th>cache</th></tr></thead><tbody>\n${serverRows}\n</tbody></table>\n` +
    `<h2>Notebooks and what each run measured</h2>\n` +
    `<table class="runs"><thead><tr><th>notebook</th><th>engine</th><th>what this run measured</th></tr></thead><tbody>\n${runRows}\n</tbody></table>\n` +
    `<footer>Every figure here was read from the executed notebooks, not typed. Charts are drawn inline; these pages load nothing from anywhere.</footer>`;
  return page(`${failed.length > 0 ? 'FAILED: ' : ''}${COURSE_TITLE}: handouts`, body);
}

/** Where handouts go for a runner output folder: build/handouts beside build/notebooks, else inside it. */
export function handoutsDirFor(root: string, notebooksDir: string): string {
  return path.resolve(notebooksDir) === path.resolve(root, 'build', 'notebooks')
    ? path.join(root, 'build', 'handouts')
    : path.join(notebooksDir, 'handouts');
}

/**
 * Handouts of an earlier run must not sit beside the new ones looking current, so the folder is emptied
 * first — only when it holds handouts (an index.html) or nothing: any other folder is refused.
 */
function clearOldHandouts(dir: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new LabError({
      what: 'Refusing to write handouts into a folder that holds other files',
      where: dir,
      fix: 'Pick an empty folder, or the one earlier handouts were written to.',
    });
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes a handout per run recorded in `<from>/summary.json` and an index.html. A run that failed gets
 * a handout marked FAILED in its title and a banner; a run with no executed copy gets none, only its
 * FAILED line in the index.
 */
export function writeHandouts(options: HandoutOptions): HandoutResult {
  const secrets = checkSecrets(options.secrets);
  const summaryFile = path.join(options.from, 'summary.json');
  if (!existsSync(summaryFile)) {
    throw new LabError({
      what: 'No notebook runs to make handouts from',
      where: summaryFile,
      fix: 'Run `npm run notebooks` first.',
    });
  }
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
  clearOldHandouts(options.to);
  const now = options.now ?? new Date();
  const write = (file: string, html: string) => {
    const masked = maskSecrets(html, secrets);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, masked);
  };

  const entries: HandoutEntry[] = summary.runs.map((run) => {
    const source = path.join(options.from, run.output);
    if (!existsSync(source)) {
      const failed = { ...run, ok: false, error: run.error ?? 'no executed copy was written' };
      return { run: failed, file: null, title: run.notebook, covers: '', measured: '', servers: {}, charts: 0 };
    }
    const nb = JSON.parse(readFileSync(source, 'utf8')) as Notebook;
    // A run whose copy shows an error is not a pass, whatever the summary says.
    const hasError = nb.cells.some((c) => (c.outputs ?? []).some(isErrorOutput));
    const checked = run.ok && hasError ? { ...run, ok: false, error: 'a cell wrote error output' } : run;
    const file = path.join(run.engine, run.notebook.replace(/\.ipynb$/, '.html'));
    write(path.join(options.to, file), renderHandout(nb, checked, { ranAt: summary.finishedAt, now }));
    const { title, covers } = notebookIntro(nb, run.notebook);
    const tables = closingTables(nb);
    const servers: Record<string, string> = {};
    for (const [key, value] of tables.flatMap(tableRows)) {
      if ((key === 'database' || key === 'cache') && value) servers[key] = value;
    }
    const charts = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/svg+xml']).length;
    return { run: checked, file, title, covers, measured: tables.map(sanitizeMarkup).join('\n'), servers, charts };
  });

  const index = path.join(options.to, 'index.html');
  write(index, renderIndex(entries, summary, now));
  return { index, entries };
}
