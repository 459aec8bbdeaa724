// Handouts of a notebook run, in two editions: for the learner and for the instructor. Each executed
// notebook becomes a self-contained page per edition (inline SVG, no script, nothing fetched), and an
// index gives what each run measured. Both editions come from the same run.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/config';
import { LabError } from '../../../src/errors';
import { oneLinersFromReadme, renderIndex } from './index-page';
import {
  chartCount,
  closingTables,
  exerciseRole,
  hasErrorOutput,
  notebookIntro,
  readNotebook,
  shippedStubs,
  tableRows,
} from './notebook';
import { COURSE_TITLE, engineLabel, page } from './page';
import { EDITIONS, EDITION_NAMES, renderHandout, type Edition } from './render';
import { renderInline } from './safe-html';
import { checkSecrets, maskSecrets } from './secrets';

export { COURSE_TITLE } from './page';
export { EDITIONS, type Edition } from './render';
export { labSecrets, maskSecrets } from './secrets';

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

/** What the handouts say about one run, for the index. */
export interface HandoutEntry {
  run: RunRecord;
  /** Each edition's page, relative to the handouts folder; null when no executed copy existed. */
  files: Record<Edition, string> | null;
  title: string;
  /** What the notebook teaches, in one line, as HTML. */
  teaches: string;
  /** "Part 2 of the guide (Steps 6–10)", when the notebook's opening says so. */
  guidePart: string | null;
  /** The rows of the closing "What this run measured" table, whole: [measurement, value]. */
  measured: string[][];
  /** `database` and `cache` rows of the closing table (server and version), when it has them. */
  servers: Record<string, string>;
  charts: number;
  exercises: number;
}

/** One edition of every notebook run on one engine, as one document to print. */
export interface Book {
  edition: Edition;
  engine: string;
  html: string;
  /** Where its PDF goes, relative to the handouts folder. */
  pdf: string;
}

export interface HandoutOptions {
  /** The folder holding summary.json and the executed copies (build/notebooks). */
  from: string;
  /** Where the handouts go (build/handouts). */
  to: string;
  /** Passwords that must never appear in a handout: each is masked wherever it occurs. */
  secrets: readonly string[];
  /** The notebooks as shipped, where the learner's edition reads each exercise's stub (default: notebooks/). */
  shipped?: string;
  /** The README whose table says in one line what each notebook covers (default: the project's). */
  readme?: string;
  /** Link the index to whole editions as PDF (printed afterwards by printBooks). */
  pdf?: boolean;
  /** The date printed on the handouts (default: now). */
  now?: Date;
}

export interface HandoutResult {
  index: string;
  entries: HandoutEntry[];
  books: Book[];
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

const capitalized = (line: string) => line.charAt(0).toUpperCase() + line.slice(1);

const readmeOneLiners = (file: string) =>
  existsSync(file) ? oneLinersFromReadme(readFileSync(file, 'utf8')) : new Map<string, string>();

/**
 * Writes, per run recorded in `<from>/summary.json`, a learner's and an instructor's page, and an
 * index.html. A run that failed gets pages marked FAILED in their title and a banner; a run with no
 * executed copy gets none, only its FAILED line in the index.
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
  const root = projectRoot();
  const shipped = options.shipped ?? path.join(root, 'notebooks');
  const oneLiners = readmeOneLiners(options.readme ?? path.join(root, 'README.md'));
  clearOldHandouts(options.to);
  const now = options.now ?? new Date();
  const write = (file: string, html: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, maskSecrets(html, secrets));
  };
  const bodies = new Map<string, string[]>(); // `${edition}/${engine}` -> page bodies, for the books

  const entries: HandoutEntry[] = summary.runs.map((run) => {
    const source = path.join(options.from, run.output);
    const name = run.notebook.replace(/\.ipynb$/, '');
    if (!existsSync(source)) {
      const failed = { ...run, ok: false, error: run.error ?? 'no executed copy was written' };
      const teaches = renderInline(capitalized(oneLiners.get(name) ?? ''));
      const nothing = { measured: [], servers: {}, charts: 0, exercises: 0 };
      return { run: failed, files: null, title: run.notebook, teaches, guidePart: null, ...nothing };
    }
    const nb = readNotebook(source);
    // A run whose copy shows an error is not a pass, whatever the summary says.
    const checked = run.ok && hasErrorOutput(nb) ? { ...run, ok: false, error: 'a cell wrote error output' } : run;
    const files = Object.fromEntries(EDITIONS.map((ed) => [ed, `${ed}/${run.engine}/${name}.html`])) as Record<
      Edition,
      string
    >;
    const stubs = shippedStubs(path.join(shipped, run.notebook));
    for (const edition of EDITIONS) {
      const here = path.posix.dirname(files[edition]);
      const other = edition === 'learner' ? 'instructor' : 'learner';
      const { title, body } = renderHandout(nb, checked, {
        edition,
        ranAt: summary.finishedAt,
        now,
        otherEdition: path.posix.relative(here, files[other]),
        index: path.posix.relative(here, 'index.html'),
        solutionsFile: `solutions/${name}.md`,
        stubs,
        shippedName: `notebooks/${run.notebook}`,
      });
      write(path.join(options.to, files[edition]), page(title, body));
      const key = `${edition}/${run.engine}`;
      bodies.set(key, [...(bodies.get(key) ?? []), body]);
    }
    const intro = notebookIntro(nb, run.notebook);
    const measured = closingTables(nb).flatMap(tableRows);
    const servers: Record<string, string> = {};
    for (const [key, value] of measured) {
      if ((key === 'database' || key === 'cache') && value) servers[key] = value;
    }
    return {
      run: checked,
      files,
      title: intro.title,
      teaches: renderInline(capitalized(oneLiners.get(name) ?? intro.firstSentence)),
      guidePart: intro.guidePart,
      measured,
      servers,
      charts: chartCount(nb),
      exercises: nb.cells.filter((c) => exerciseRole(c)?.role === 'exercise').length,
    };
  });

  const books: Book[] = [...bodies].map(([key, pages]) => {
    const [edition, engine] = key.split('/') as [Edition, string];
    const title = `${COURSE_TITLE}: ${EDITION_NAMES[edition]} (${engineLabel(engine)})`;
    const html = maskSecrets(
      page(title, pages.map((b) => `<article class="handout">${b}</article>`).join('\n')),
      secrets,
    );
    return { edition, engine, html, pdf: `pdf/${edition}-${engine}.pdf` };
  });
  const index = path.join(options.to, 'index.html');
  const pdfs = options.pdf ? books.map((b) => ({ edition: b.edition, engine: b.engine, file: b.pdf })) : [];
  write(index, renderIndex(entries, summary, { now, pdfs }));
  return { index, entries, books };
}
