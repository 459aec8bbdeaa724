// Exercise cells as functions, for grader tests: the stub a notebook ships, its reference solution, or any
// other answer, compiled from TypeScript the way the kernel would and run with the notebook's names in scope.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import * as library from '../../src/index';
import { projectRoot } from '../../src/config';
import { cellText, exerciseOf, readSolutions, type NotebookJson } from '../../scripts/lib/solutions';

const notebooksDir = path.join(projectRoot(), 'notebooks');

function notebookPath(prefix: string): string {
  const name = readdirSync(notebooksDir).find((n) => n.startsWith(prefix) && n.endsWith('.ipynb'));
  if (!name) throw new Error(`No notebook starts with ${prefix}`);
  return path.join(notebooksDir, name);
}

/** The source of exercise `id`'s cell as the notebook `prefix` (e.g. `02`) ships it: the stub. */
export function shippedStub(prefix: string, id: string): string {
  const notebook = JSON.parse(readFileSync(notebookPath(prefix), 'utf8')) as NotebookJson;
  const cell = notebook.cells.find((c) => exerciseOf(c, 'exercise') === id);
  if (!cell) throw new Error(`Notebook ${prefix} has no exercise cell "${id}"`);
  return cellText(cell);
}

/** The reference solution of exercise `id` of notebook `prefix`. */
export function referenceSolution(prefix: string, id: string): string {
  const solution = readSolutions(notebookPath(prefix)).get(id);
  if (!solution) throw new Error(`Notebook ${prefix} has no solution "${id}"`);
  return solution;
}

/**
 * Compiles a cell that declares `name` (a function) and returns it, with every name the library exports and
 * `lab` in scope, as the notebook has them.
 */
export function cellFunction<F>(source: string, name: string, lab: unknown): F {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const names = Object.keys(library);
  const values = names.map((n) => (library as Record<string, unknown>)[n]);
  return new Function(...names, 'lab', `${js}\nreturn ${name};`)(...values, lab) as F;
}
