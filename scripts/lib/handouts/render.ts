// One executed notebook as a handout page, in either edition: the learner's (lesson, outputs, code folded
// away, each exercise as its task, the stub and room to work) or the instructor's (everything, with the
// reference solutions and what the graders said on this run).

import { escapeHtml } from '../../../src/show/format';
import type { RunRecord } from './index';
import {
  exerciseRole,
  isErrorOutput,
  joinedStreams,
  notebookIntro,
  text,
  type Cell,
  type Notebook,
  type Output,
} from './notebook';
import { COURSE_TITLE, engineLabel, readableDate } from './page';
import { renderMarkdown, safeHtml } from './safe-html';

export type Edition = 'learner' | 'instructor';
export const EDITIONS: readonly Edition[] = ['learner', 'instructor'];

export const EDITION_NAMES: Record<Edition, string> = {
  learner: "Learner's edition",
  instructor: "Instructor's edition",
};

const EDITION_NOTES: Record<Edition, string> = {
  learner:
    'The lesson and what this run showed. Code is folded away: open it with “Code”. Each exercise gives ' +
    'its task, the cell you start from, and room to work.',
  instructor: 'Everything the run did: all code, the reference solutions, and what the graders said on this run.',
};

/** A lesson cell, or an exercise: its task (the markdown cell before), the learner's cell, its graders. */
type Block = { kind: 'cell'; cell: Cell } | Exercise;

interface Exercise {
  kind: 'exercise';
  id: string;
  task: Cell | null;
  cell: Cell;
  graders: Cell[];
}

/** The cells in reading order, each exercise's three cells gathered into one block. */
export function blocksOf(nb: Notebook): Block[] {
  const withExercise = new Set(nb.cells.map(exerciseRole).flatMap((p) => (p?.role === 'exercise' ? [p.id] : [])));
  const blocks: Block[] = [];
  for (const cell of nb.cells) {
    const part = exerciseRole(cell);
    if (part?.role === 'grader' && withExercise.has(part.id)) continue; // shown with its exercise
    if (part?.role !== 'exercise') {
      blocks.push({ kind: 'cell', cell });
      continue;
    }
    const before = blocks.at(-1);
    const task = before?.kind === 'cell' && before.cell.cell_type === 'markdown' ? before.cell : null;
    if (task) blocks.pop();
    const graders = nb.cells.filter((c) => {
      const p = exerciseRole(c);
      return p?.role === 'grader' && p.id === part.id;
    });
    blocks.push({ kind: 'exercise', id: part.id, task, cell, graders });
  }
  return blocks;
}

// ---- Outputs and cells -------------------------------------------------------------------------------------

function renderOutput(output: Output): string {
  if (isErrorOutput(output)) {
    const message =
      output.output_type === 'error'
        ? [`${output.ename ?? 'Error'}: ${output.evalue ?? ''}`, ...(output.traceback ?? [])].join('\n')
        : text(output.text);
    // Tracebacks carry terminal colour codes; a page has no use for them.
    return `<pre class="output output-error">${escapeHtml(message.replace(/\u001b\[[0-9;]*m/g, ''))}</pre>`;
  }
  if (output.output_type === 'stream') {
    const lines = text(output.text).trimEnd();
    // The ✓ lines of check() and of the graders read as a list of what held, set in a quieter type.
    const checks = lines.split('\n').every((l) => /^[✓✗○]/.test(l));
    return `<pre class="output output-stream${checks ? ' checks' : ''}">${escapeHtml(lines)}</pre>`;
  }
  const data = output.data ?? {};
  if (data['image/svg+xml']) {
    const svg = safeHtml(text(data['image/svg+xml']));
    const width = Number(svg.match(/<svg\b[^>]*?\swidth="(\d+(?:\.\d+)?)"/)?.[1] ?? 0);
    // Wider than a portrait page holds at a readable size: printed on a landscape page of its own.
    return `<figure class="output output-chart${width > WIDE_CHART_PX ? ' wide' : ''}">${svg}</figure>`;
  }
  if (data['text/html']) {
    const html = safeHtml(text(data['text/html']));
    // Many columns: printed in a smaller type, so that the table fits the page's width.
    const columns = html.match(/<tr\b[^>]*>([\s\S]*?)<\/tr>/)?.[1]!.match(/<t[hd]\b/g)?.length ?? 0;
    return `<div class="output output-html${columns > WIDE_TABLE_COLUMNS ? ' wide' : ''}">${html}</div>`;
  }
  if (data['text/markdown']) {
    return `<div class="output output-markdown">${renderMarkdown(text(data['text/markdown']))}</div>`;
  }
  if (data['text/plain']) return `<pre class="output output-text">${escapeHtml(text(data['text/plain']))}</pre>`;
  return ''; // a MIME type a printed page cannot show (widgets, vega specs...): left out
}

/** A chart wider than this (CSS px) would print below 7 pt on A4 portrait, so it gets a landscape page. */
const WIDE_CHART_PX = 820;
/** A table with more columns than this is printed in a smaller type. */
const WIDE_TABLE_COLUMNS = 6;

/** The line a cell ending in `await showChart(…)` prints: the chart's name and size, drawn above it already. */
const CHART_LINE = /^chart ".*" \(SVG [\d×]+, \d+ kB\)$/;

function outputsOf(cell: Cell): string {
  const outputs = cell.outputs ?? [];
  const drawn = outputs.some((o) => o.data?.['image/svg+xml']);
  const shown = joinedStreams(outputs).flatMap((o) => {
    if (!drawn || o.output_type !== 'stream' || o.name !== 'stdout') return [o];
    const lines = text(o.text)
      .split('\n')
      .filter((line) => !CHART_LINE.test(line));
    return lines.join('').trim() === '' ? [] : [{ ...o, text: lines.join('\n') }];
  });
  const html = shown.map(renderOutput).filter(Boolean).join('\n');
  return html ? `<div class="outputs">${html}</div>` : '';
}

const lineCount = (source: string) => source.trimEnd().split('\n').length;

function code(source: string, className = 'source'): string {
  return `<pre class="${className}"><code>${escapeHtml(source.trimEnd())}</code></pre>`;
}

/** Code folded into a `<details>` (opens on click, no script); open from the start for the instructor. */
function foldedCode(source: string, edition: Edition): string {
  if (source.trim() === '') return '';
  const lines = lineCount(source);
  return (
    `<details class="code"${edition === 'instructor' ? ' open' : ''}>` +
    `<summary>Code <span class="lines">${lines} line${lines === 1 ? '' : 's'}</span></summary>${code(source)}</details>`
  );
}

function renderCell(cell: Cell, edition: Edition): string {
  if (cell.cell_type === 'markdown') return `<section class="prose">${renderMarkdown(text(cell.source))}</section>`;
  if (cell.cell_type !== 'code') return '';
  // A grader without its exercise cell: the instructor sees what it said, the learner nothing of it.
  if (exerciseRole(cell)?.role === 'grader' && edition === 'learner') return '';
  return `<section class="cell">${foldedCode(text(cell.source), edition)}${outputsOf(cell)}</section>`;
}

// ---- Exercises --------------------------------------------------------------------------------------------

interface ExerciseContext {
  /** `solutions/02-valkey-basics-cache-aside.md`, where the reference solutions are. */
  solutionsFile: string;
  /** The learner's cells as shipped, by exercise id. */
  stubs: ReadonlyMap<string, string>;
  /** The shipped notebook, named in a note when a stub is missing from it. */
  shippedName: string;
}

const label = (html: string) => `<p class="label">${html}</p>`;

function renderExercise(ex: Exercise, edition: Edition, context: ExerciseContext): string {
  const task = ex.task
    ? `<div class="task">${renderMarkdown(text(ex.task.source))}</div>`
    : `<div class="task"><p class="missing">This exercise has no task cell before it.</p></div>`;
  const stub = context.stubs.get(ex.id);
  const where = `<code>${escapeHtml(context.solutionsFile)}</code>, section <code>${escapeHtml(ex.id)}</code>`;
  const answer = text(ex.cell.source);
  let body: string;
  if (edition === 'learner') {
    // Never the run's copy of the cell: the runner put the reference solution there.
    const start = stub
      ? `<div class="stub">${label('The cell you start from')}${code(stub)}</div>`
      : `<div class="stub"><p class="missing">The cell you start from is in the notebook (it could not be read from ${escapeHtml(context.shippedName)}).</p></div>`;
    // Room for an answer the size of the reference one, with lines to spare.
    const lines = Math.min(26, Math.max(8, lineCount(answer) + 4));
    body =
      start +
      `<div class="workspace">${label('Your answer')}${'<div class="line"></div>'.repeat(lines)}</div>` +
      `<p class="after">In the notebook, run your cell, then the grader cell under it: it checks your code ` +
      `on the servers and prints one ✓ per check passed.</p>`;
  } else {
    const asShipped = stub !== undefined && stub.trim() === answer.trim();
    const heading = asShipped
      ? `The cell as shipped: this run did not put a reference solution in it (${where})`
      : `Reference solution, from ${where}`;
    const graded = ex.graders.map(outputsOf).join('');
    body =
      `<div class="solution">${label(heading)}${code(answer)}${outputsOf(ex.cell)}</div>` +
      `<div class="graded">${label('Graded on this run')}${graded || '<p class="missing">The run did not reach the grader.</p>'}</div>`;
  }
  return `<section class="exercise ${edition}" id="exercise-${escapeHtml(ex.id)}">${task}${body}</section>`;
}

// ---- The page ------------------------------------------------------------------------------------------------

export interface PageContext extends ExerciseContext {
  edition: Edition;
  /** When the notebooks ran (summary.json's finishedAt) and when the handout was made. */
  ranAt: string;
  now: Date;
  /** Links from this page: the other edition, and the index. */
  otherEdition: string;
  index: string;
}

function failedBanner(run: RunRecord): string {
  const where = run.failedCell ? ` at code cell ${run.failedCell}` : '';
  return (
    `<div class="banner failed" role="alert">FAILED — this run did not complete${escapeHtml(where)}; ` +
    `its figures are incomplete and must not be handed out as results.` +
    `${run.error ? `<pre>${escapeHtml(run.error)}</pre>` : ''}</div>`
  );
}

/** One executed notebook as the body and title of a handout page of one edition. */
export function renderHandout(nb: Notebook, run: RunRecord, context: PageContext): { title: string; body: string } {
  const { edition } = context;
  const { title } = notebookIntro(nb, run.notebook);
  const other: Edition = edition === 'learner' ? 'instructor' : 'learner';
  const status = run.ok ? 'passed' : 'FAILED';
  // The notebook's own first cell carries its title (h1), so the page header adds only the context.
  const header =
    `<header class="page"><div class="course">${escapeHtml(COURSE_TITLE)} · <strong>${EDITION_NAMES[edition]}</strong></div>` +
    `<div class="meta">${escapeHtml(engineLabel(run.engine))} · run ${escapeHtml(status)} ` +
    `(${run.executed}/${run.cells} code cells, ${run.seconds.toFixed(1)} s) · run ${escapeHtml(readableDate(context.ranAt))}</div>` +
    `<nav class="meta"><a href="${escapeHtml(context.otherEdition)}">${EDITION_NAMES[other]}</a> · ` +
    `<a href="${escapeHtml(context.index)}">all handouts</a></nav>` +
    `<p class="edition-note">${EDITION_NOTES[edition]}</p></header>`;
  const blocks = blocksOf(nb)
    .map((b) => (b.kind === 'cell' ? renderCell(b.cell, edition) : renderExercise(b, edition, context)))
    .filter(Boolean)
    .join('\n');
  const footer =
    `<footer>${escapeHtml(COURSE_TITLE)} · ${escapeHtml(run.notebook)} on ${escapeHtml(engineLabel(run.engine))} · ` +
    `${EDITION_NAMES[edition]}, made ${escapeHtml(readableDate(context.now))}. Every figure on this page was measured in the run it shows.</footer>`;
  return {
    title: `${run.ok ? '' : 'FAILED: '}${title} (${engineLabel(run.engine)}, ${EDITION_NAMES[edition].toLowerCase()})`,
    body: `${header}\n${run.ok ? '' : failedBanner(run)}\n<main class="${edition}">\n${blocks}\n</main>\n${footer}`,
  };
}
