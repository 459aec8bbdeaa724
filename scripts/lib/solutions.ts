// Reference solutions (notebooks/solutions/NN-name.md) and the exercise cells they fill (docs/COURSE.md).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../src/errors';

/** The parts of a notebook's JSON the lab reads and writes. */
export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: { tags?: string[]; exercise?: string; [key: string]: unknown };
  outputs?: unknown[];
  [key: string]: unknown;
}

export interface NotebookJson {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}

export type ExerciseRole = 'exercise' | 'grader';

/** The exercise id of a learner's cell or a grader cell, or undefined for any other cell. */
export function exerciseOf(cell: NotebookCell, role: ExerciseRole): string | undefined {
  return cell.metadata.tags?.includes(role) ? String(cell.metadata.exercise ?? '') : undefined;
}

export function cellText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Where a notebook's reference solutions live: `notebooks/solutions/<name>.md` beside `notebooks/<name>.ipynb`. */
export function solutionsFileOf(notebookPath: string): string {
  return path.join(path.dirname(notebookPath), 'solutions', `${path.basename(notebookPath, '.ipynb')}.md`);
}

/**
 * The solutions of one file, by exercise id: under each `## <id>` heading, the first ```ts block is the whole
 * source of that exercise's cell.
 */
export function parseSolutions(markdown: string, where = 'solutions'): Map<string, string> {
  const solutions = new Map<string, string>();
  const sections = markdown.split(/^## +/m).slice(1);
  for (const section of sections) {
    const id = section.slice(0, section.indexOf('\n')).trim();
    const code = section.match(/^```(?:ts|typescript)\n([\s\S]*?)^```/m)?.[1];
    if (!code)
      throw new LabError({ what: `Solution "${id}" has no \`\`\`ts block`, where, fix: 'Add one below its heading.' });
    if (solutions.has(id)) throw new LabError({ what: `Solution "${id}" appears twice`, where, fix: 'Keep one.' });
    solutions.set(id, code.replace(/\n$/, ''));
  }
  return solutions;
}

/** A notebook's solutions, read from its solutions file (none when the notebook has no exercises and no file). */
export function readSolutions(notebookPath: string): Map<string, string> {
  const file = solutionsFileOf(notebookPath);
  return existsSync(file) ? parseSolutions(readFileSync(file, 'utf8'), file) : new Map();
}

/** The ids of a notebook's exercise cells, in order. */
export function exerciseIds(notebook: NotebookJson): string[] {
  return notebook.cells.map((c) => exerciseOf(c, 'exercise')).filter((id): id is string => id !== undefined);
}

/**
 * A copy of `notebook` whose exercise cells hold the reference solutions. Every exercise needs a solution and
 * every solution an exercise: a mismatch is an error, not a silently skipped grader.
 */
export function injectSolutions(notebook: NotebookJson, solutions: Map<string, string>, where: string): NotebookJson {
  const ids = exerciseIds(notebook);
  const missing = ids.filter((id) => !solutions.has(id));
  const unused = [...solutions.keys()].filter((id) => !ids.includes(id));
  if (missing.length || unused.length) {
    throw new LabError({
      what: [
        missing.length ? `exercises without a solution: ${missing.join(', ')}` : '',
        unused.length ? `solutions without an exercise cell: ${unused.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
      where,
      fix: 'Give every cell tagged "exercise" a "## <id>" section in the solutions file, and remove sections of no cell.',
    });
  }
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      const id = exerciseOf(cell, 'exercise');
      return id === undefined ? cell : { ...cell, source: solutions.get(id)! };
    }),
  };
}
