// The handouts' index: per notebook, what it teaches in one line, how each engine's run went, links to
// both editions, and the figures each run measured, whole and side by side.

import { escapeHtml } from '../../../src/show/format';
import type { HandoutEntry, RunSummary } from './index';
import { COURSE_TITLE, engineLabel, page, readableDate } from './page';
import { EDITIONS, EDITION_NAMES, type Edition } from './render';
import { markdownTokens } from './safe-html';

/**
 * What each notebook covers, in one line, from the README's table of notebooks (`| \`02-name\` | … |`):
 * the one place those lines are written. Keyed by notebook name without `.ipynb`.
 */
export function oneLinersFromReadme(readme: string): Map<string, string> {
  const lines = new Map<string, string>();
  const tokens = markdownTokens(readme);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'tr_open') continue;
    const cells: string[] = [];
    for (let j = i + 1; j < tokens.length && tokens[j]!.type !== 'tr_close'; j++) {
      if (tokens[j]!.type === 'inline') cells.push(tokens[j]!.content);
    }
    const name = cells[0]?.match(/^`(\d\d-[\w-]+)`$/)?.[1];
    if (name && cells[1]) lines.set(name, cells[1]);
  }
  return lines;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function runCell(e: HandoutEntry | undefined): string {
  if (!e) return '<span class="meta">not run</span>';
  const status = e.run.ok
    ? '<span class="status passed">passed</span>'
    : `<span class="status failed">FAILED${e.run.failedCell ? ` at cell ${e.run.failedCell}` : ''}</span>`;
  return (
    `${status} <span class="meta">${e.run.executed}/${e.run.cells} code cells, ${e.run.seconds.toFixed(1)} s, ` +
    `${plural(e.charts, 'chart')}</span>`
  );
}

function linksCell(e: HandoutEntry | undefined): string {
  if (!e) return '<span class="meta">—</span>';
  if (!e.files) return '<span class="meta">no handout: the run left no executed notebook</span>';
  const files = e.files;
  return EDITIONS.map((ed) => `<a href="${escapeHtml(encodeURI(files[ed]))}">${EDITION_NAMES[ed]}</a>`).join(' · ');
}

/** Figures of every engine's run side by side, row by measurement name, in the order first measured. */
function figureRows(runs: Array<HandoutEntry | undefined>): string {
  const names: string[] = [];
  const values = runs.map((e) => new Map((e?.measured ?? []).map(([name, value]) => [name ?? '', value ?? ''])));
  for (const e of runs) for (const [name] of e?.measured ?? []) if (!names.includes(name!)) names.push(name!);
  if (names.length === 0) {
    return `<tr><td colspan="${runs.length + 1}" class="meta">no closing table in this run</td></tr>`;
  }
  return names
    .map((name) => {
      const cells = values.map((v) => `<td>${escapeHtml(v.get(name) ?? '')}</td>`).join('');
      return `<tr><td>${escapeHtml(name)}</td>${cells}</tr>`;
    })
    .join('\n');
}

function notebookSection(name: string, runs: Array<HandoutEntry | undefined>, engines: string[]): string {
  const first = runs.find((e) => e !== undefined)!;
  const exercises = Math.max(...runs.map((e) => e?.exercises ?? 0));
  const about = [first.guidePart, name, exercises > 0 ? plural(exercises, 'exercise') : null].filter(Boolean);
  const head = engines.map((engine) => `<th>${escapeHtml(engineLabel(engine))}</th>`).join('');
  return (
    `<section class="notebook"><h2>${escapeHtml(first.title)}</h2>` +
    `<p class="teaches">${first.teaches}</p><div class="meta">${escapeHtml(about.join(' · '))}</div>` +
    `<table class="figures"><thead><tr><th></th>${head}</tr></thead><tbody>\n` +
    `<tr><td>run</td>${runs.map((e) => `<td>${runCell(e)}</td>`).join('')}</tr>\n` +
    `<tr><td>handouts</td>${runs.map((e) => `<td>${linksCell(e)}</td>`).join('')}</tr>\n` +
    `<tr class="sub"><th colspan="${engines.length + 1}">What this run measured</th></tr>\n` +
    `${figureRows(runs)}\n</tbody></table></section>`
  );
}

export interface IndexOptions {
  now: Date;
  /** Whole editions printed as PDF, relative to the index, when they were asked for. */
  pdfs: Array<{ edition: Edition; engine: string; file: string }>;
}

export function renderIndex(entries: HandoutEntry[], summary: RunSummary, options: IndexOptions): string {
  const failed = entries.filter((e) => !e.run.ok);
  const engines = [...new Set(entries.map((e) => e.run.engine))];
  const notebooks = [...new Set(entries.map((e) => e.run.notebook))];
  const servers = engines.map((engine) => {
    const known = Object.assign({}, ...entries.filter((e) => e.run.engine === engine).map((e) => e.servers));
    return (
      `<tr><td>${escapeHtml(engineLabel(engine))}</td><td>${escapeHtml(known.database ?? 'not reported')}</td>` +
      `<td>${escapeHtml(known.cache ?? 'not reported')}</td></tr>`
    );
  });
  const sections = notebooks.map((nb) =>
    notebookSection(
      nb.replace(/\.ipynb$/, ''),
      engines.map((engine) => entries.find((e) => e.run.notebook === nb && e.run.engine === engine)),
      engines,
    ),
  );
  const pdfs =
    options.pdfs.length > 0
      ? `<p>Whole editions to print: ${options.pdfs
          .map(
            (p) =>
              `<a href="${escapeHtml(encodeURI(p.file))}">${EDITION_NAMES[p.edition]}, ${escapeHtml(engineLabel(p.engine))} (PDF)</a>`,
          )
          .join(' · ')}</p>\n`
      : '';
  const body =
    `<header class="page"><div class="course">Handouts</div><h1>${escapeHtml(COURSE_TITLE)}</h1>` +
    `<div class="meta">Notebooks run ${escapeHtml(readableDate(summary.finishedAt))} · ` +
    `${entries.length - failed.length} of ${entries.length} runs passed · handouts made ${escapeHtml(readableDate(options.now))}</div>` +
    `<p class="edition-note">Each notebook comes in two editions. The <strong>${EDITION_NAMES.learner}</strong> is for the ` +
    `class: the lesson and its results, code folded away, and each exercise with room to work on paper. The ` +
    `<strong>${EDITION_NAMES.instructor}</strong> has everything, with the reference solutions and how they were graded.</p></header>\n` +
    (failed.length > 0
      ? `<div class="banner failed" role="alert">FAILED — ${failed.length} of ${entries.length} runs failed: ` +
        `${escapeHtml(failed.map((e) => `${e.run.notebook} on ${engineLabel(e.run.engine)}`).join(', '))}. ` +
        `Their handouts are marked FAILED; do not hand them out as results.</div>\n`
      : '') +
    pdfs +
    `<h2>Servers</h2>\n<table><thead><tr><th>engine</th><th>database</th><th>cache</th></tr></thead><tbody>\n` +
    `${servers.join('\n')}\n</tbody></table>\n` +
    `${sections.join('\n')}\n` +
    `<footer>Every figure here was read from the executed notebooks, not typed. Charts are drawn inline; these pages load nothing from anywhere.</footer>`;
  return page(`${failed.length > 0 ? 'FAILED: ' : ''}${COURSE_TITLE}: handouts`, body);
}
