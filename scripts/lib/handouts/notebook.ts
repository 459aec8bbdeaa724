// Reading notebooks for handouts: cells and outputs, the opening and closing of a notebook, and the
// exercises (docs/COURSE.md): which cell is a task, a learner's cell or a grader, and the shipped stubs.

import { existsSync, readFileSync } from 'node:fs';
import { parseDocument, DomUtils } from 'htmlparser2';

export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface Cell {
  cell_type: 'markdown' | 'code' | 'raw';
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
  metadata?: { tags?: string[]; exercise?: string; [key: string]: unknown };
}

export interface Notebook {
  cells: Cell[];
  metadata?: Record<string, unknown>;
}

export const text = (source: string | string[] | undefined): string =>
  Array.isArray(source) ? source.join('') : (source ?? '');

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, 'utf8')) as Notebook;
}

/** True for output that reports a failure: an error, or text the kernel wrote to stderr. */
export function isErrorOutput(output: Output): boolean {
  return output.output_type === 'error' || (output.output_type === 'stream' && output.name === 'stderr');
}

/** Outputs with each run of lines printed to one stream joined, as Jupyter shows them: one block, not one per line. */
export function joinedStreams(outputs: readonly Output[]): Output[] {
  const joined: Output[] = [];
  for (const output of outputs) {
    const last = joined.at(-1);
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
      joined[joined.length - 1] = { ...last, text: text(last.text) + text(output.text) };
    } else {
      joined.push(output);
    }
  }
  return joined;
}

export const hasErrorOutput = (nb: Notebook): boolean => nb.cells.some((c) => (c.outputs ?? []).some(isErrorOutput));

export const chartCount = (nb: Notebook): number =>
  nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/svg+xml']).length;

// ---- The opening and the closing ----------------------------------------------------------------------

export interface Intro {
  /** The first heading of the first markdown cell (`02 · Valkey basics and cache-aside`). */
  title: string;
  /** The first sentence of the opening paragraph, as Markdown, with a leading "Part N of the guide (…):" set apart. */
  firstSentence: string;
  /** That leading "Part 2 of the guide (Steps 6–10)", when the paragraph starts with one. */
  guidePart: string | null;
}

export function notebookIntro(nb: Notebook, fallbackTitle: string): Intro {
  const md = text(nb.cells.find((c) => c.cell_type === 'markdown')?.source);
  const heading = md.match(/^#{1,6}\s+(.+)$/m);
  const paragraph = (
    md
      .replace(/^#{1,6}\s+.+$/m, '')
      .trim()
      .split(/\n\s*\n/)[0] ?? ''
  ).replace(/\s*\n\s*/g, ' ');
  const sentence = paragraph.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? paragraph;
  const part = sentence.match(/^(Part \d+ of [^:]*guide[^:]*):\s*(.+)$/);
  const rest = part ? part[2]! : sentence;
  return {
    title: heading ? heading[1]!.trim() : fallbackTitle,
    firstSentence: rest,
    guidePart: part ? part[1]! : null,
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

/**
 * The text of an HTML table's body rows, cell by cell, whole: a cell the lab cut to fit (`…`) carries
 * its whole text in its title, and that is what is read.
 */
export function tableRows(html: string): string[][] {
  const doc = parseDocument(html);
  const body = DomUtils.findAll((e) => e.name === 'tbody', doc.children);
  const rows = body.flatMap((b) => DomUtils.findAll((e) => e.name === 'tr', b.children));
  return rows.map((row) =>
    DomUtils.findAll((e) => e.name === 'td', row.children).map((td) => td.attribs.title ?? DomUtils.textContent(td)),
  );
}

// ---- Exercises ------------------------------------------------------------------------------------------

export type Role = 'exercise' | 'grader';

/** A cell's part in an exercise (its tag) and the exercise's id, or null for a lesson cell. */
export function exerciseRole(cell: Cell): { role: Role; id: string } | null {
  const id = cell.metadata?.exercise;
  const tags = cell.metadata?.tags ?? [];
  if (cell.cell_type !== 'code' || typeof id !== 'string') return null;
  if (tags.includes('exercise')) return { role: 'exercise', id };
  if (tags.includes('grader')) return { role: 'grader', id };
  return null;
}

/**
 * The learner's cells as the notebook ships them (the stubs), by exercise id: read from the shipped
 * notebook, never from a run, where the runner has put the reference solution in their place.
 * Empty when there is no shipped notebook of that name.
 */
export function shippedStubs(file: string): Map<string, string> {
  if (!existsSync(file)) return new Map();
  const stubs = new Map<string, string>();
  for (const cell of readNotebook(file).cells) {
    const part = exerciseRole(cell);
    if (part?.role === 'exercise') stubs.set(part.id, text(cell.source));
  }
  return stubs;
}
