// The headless runner: executes every notebook through the real tslab kernel, once per engine,
// writes the executed copies and a summary under build/notebooks, and fails when any cell fails.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINE_KINDS, loadConfig, projectRoot, type EngineKind } from '../src/config';
import { connectValkey, labKeysWithoutTtl, reapOrphans } from '../src/internal';
import { runMain } from './lib/cli';
import { handoutsDirFor, labSecrets, writeHandouts, type RunRecord } from './lib/handouts';
import { KERNEL_NAME, readJupyterSetup, type JupyterSetup } from './lib/jupyter';
import { exerciseIds, injectSolutions, readSolutions, type NotebookJson } from './lib/solutions';

const USAGE = `Usage: npm run notebooks -- [--engines mysql,postgres] [--only 02 | --only 01,03] [--exercises solutions|shipped] [--timeout 300] [--out DIR] [notebook.ipynb ...]

  --exercises solutions   (default) the reference solutions fill the exercise cells, and every grader must pass;
                          executed copies and handouts go to build/notebooks
  --exercises shipped     the notebooks run exactly as committed: every grader must say "not done" and the
                          notebook must still run to the end; executed copies go to build/notebooks-shipped`;

/** How exercise cells run: with the reference solutions injected, or as shipped (stubs). */
type ExerciseRun = 'solutions' | 'shipped';
const EXERCISE_RUNS: readonly ExerciseRun[] = ['solutions', 'shipped'];

/** One run, as summary.json records it (and the handouts read it). */
interface NotebookRun extends RunRecord {
  engine: EngineKind;
  exercises: ExerciseRun;
  /** How many exercises the notebook has (each graded in the run). */
  graded: number;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      engines: { type: 'string', default: ENGINE_KINDS.join(',') },
      only: { type: 'string' },
      exercises: { type: 'string', default: 'solutions' },
      timeout: { type: 'string', default: process.env.LAB_CELL_TIMEOUT ?? '300' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const root = projectRoot();
  const jupyter = readJupyterSetup(root);
  const engines = values.engines.split(',').map((e) => e.trim()) as EngineKind[];
  for (const engine of engines) {
    if (!ENGINE_KINDS.includes(engine)) throw new Error(`Unknown engine "${engine}". ${USAGE}`);
  }
  const notebooks = positionals.length > 0 ? positionals.map((p) => path.resolve(p)) : labNotebooks(root, values.only);
  if (notebooks.length === 0) throw new Error(`No notebooks matched. ${USAGE}`);
  const exercises = values.exercises as ExerciseRun;
  if (!EXERCISE_RUNS.includes(exercises)) throw new Error(`Unknown --exercises "${values.exercises}". ${USAGE}`);
  const outDir = path.resolve(
    root,
    values.out ?? path.join('build', exercises === 'solutions' ? 'notebooks' : 'notebooks-shipped'),
  );
  const timeout = Number(values.timeout);

  const foreverBefore = new Set(await keysLeftForever());
  const runs: NotebookRun[] = [];
  for (const engine of engines) {
    for (const notebook of notebooks) {
      process.stdout.write(`▶ ${path.basename(notebook)} on ${engine} ... `);
      const options = { jupyter, outDir, timeout, exercises };
      let run = await executeNotebook(notebook, engine, options);
      // A kernel killed hard runs no exit handlers: end what its lab started before the next notebook.
      reapOrphans(root);
      if (!run.ok && isKernelCompilerFault(run.error)) {
        // tslab's own compiler, not the notebook, failed (see isKernelCompilerFault): run it once more.
        process.stdout.write(`tslab's compiler failed (${TSLAB_COMPILER_FAULT}), running it again ... `);
        run = await executeNotebook(notebook, engine, options);
        reapOrphans(root);
      }
      runs.push(run);
      const graded = run.graded
        ? `, ${run.graded} exercise${run.graded === 1 ? '' : 's'} ${exercises === 'solutions' ? 'passed' : 'not done'}`
        : '';
      console.log(
        run.ok
          ? `passed (${run.cells} cells${graded}, ${run.seconds.toFixed(1)} s)`
          : `FAILED at cell ${run.failedCell ?? '?'}`,
      );
      if (!run.ok && run.error) console.log(indent(run.error));
    }
  }

  writeSummary(outDir, runs);
  console.log(`\n${summaryTable(runs)}\nExecuted copies and summary.json are in ${path.relative(root, outDir)}/.`);
  // Handouts show the reference solutions with their graded output: they come from the solutions run.
  if (exercises === 'solutions') {
    const handouts = writeHandouts({
      from: outDir,
      to: handoutsDirFor(root, outDir),
      secrets: labSecrets(loadConfig()),
    });
    console.log(`Handouts (HTML, failed runs marked FAILED): ${path.relative(root, handouts.index)}`);
  }
  // Keys without a TTL from before this run (a learner's, an older run's) are not this run's doing.
  const forever = (await keysLeftForever()).filter((key) => !foreverBefore.has(key));
  if (forever.length > 0) {
    console.log(
      `\nKeys the notebooks left in Valkey with no TTL (nothing the lab writes may stay for ever): ${forever.join(', ')}`,
    );
  }
  const failed = runs.filter((r) => !r.ok);
  if (forever.length > 0 && failed.length === 0) throw new Error(`${forever.length} lab keys were left without a TTL`);
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${runs.length} notebook runs failed: ${failed.map((r) => `${path.basename(r.notebook)} on ${r.engine}`).join(', ')}`,
    );
  }
}

/** The lab's keys the runs left with no expiry: on a learner's own server they would stay for ever. */
async function keysLeftForever(): Promise<string[]> {
  const valkey = await connectValkey(loadConfig());
  try {
    return await labKeysWithoutTtl(valkey);
  } finally {
    valkey.disconnect();
  }
}

const TSLAB_COMPILER_FAULT = 'Unexpected pending rebuildTimer';

/**
 * tslab compiles each cell with TypeScript's watch API, and that API also reacts to files changing on
 * disk around the notebook; when such a change lands while a cell runs, tslab throws this error on the
 * next cell although nothing in the notebook is wrong. It is rare, so one more run tells the two apart.
 */
function isKernelCompilerFault(error: string | null | undefined): boolean {
  return error?.includes(TSLAB_COMPILER_FAULT) ?? false;
}

/** The lab book's notebooks in guide order (their names start with the part number); `only` is e.g. `03` or `01,03`. */
function labNotebooks(root: string, only?: string): string[] {
  const dir = path.join(root, 'notebooks');
  const wanted = only?.split(',').map((part) => part.trim()) ?? [];
  return readdirSync(dir)
    .filter((name) => /^\d\d-.*\.ipynb$/.test(name) && (wanted.length === 0 || wanted.some((w) => name.includes(w))))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Runs one notebook with LAB_DB=engine through the project-local tslab kernel, in the notebook's own folder
 * (where tslab resolves its imports). With `solutions`, a copy with the reference solutions injected runs.
 */
async function executeNotebook(
  notebook: string,
  engine: EngineKind,
  options: { jupyter: JupyterSetup; outDir: string; timeout: number; exercises: ExerciseRun },
): Promise<NotebookRun> {
  const output = path.join(options.outDir, engine, path.basename(notebook));
  mkdirSync(path.dirname(output), { recursive: true });
  const source = JSON.parse(readFileSync(notebook, 'utf8')) as NotebookJson;
  const graded = exerciseIds(source).length;
  const scratch = mkdtempSync(path.join(tmpdir(), 'lab-notebook-'));
  try {
    let input = notebook;
    if (options.exercises === 'solutions' && graded > 0) {
      input = path.join(scratch, path.basename(notebook));
      writeFileSync(input, JSON.stringify(injectSolutions(source, readSolutions(notebook), notebook), null, 1));
    }
    const report = await executeFile(input, output, engine, { ...options, cwd: path.dirname(notebook) });
    return { ...report, notebook, engine, output, exercises: options.exercises, graded };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function executeFile(
  input: string,
  output: string,
  engine: EngineKind,
  options: { jupyter: JupyterSetup; timeout: number; exercises: ExerciseRun; cwd: string },
): Promise<Omit<NotebookRun, 'notebook' | 'engine' | 'output' | 'exercises' | 'graded'>> {
  const script = path.join(projectRoot(), 'scripts', 'execute_notebook.py');
  const args = [
    script,
    input,
    output,
    '--kernel',
    KERNEL_NAME,
    '--timeout',
    String(options.timeout),
    '--cwd',
    options.cwd,
  ];
  const env = {
    ...process.env,
    LAB_DB: engine,
    LAB_EXERCISES: options.exercises,
    JUPYTER_PATH: options.jupyter.jupyterPath,
  };
  const { code, stdout, stderr } = await run(options.jupyter.python, args, env);
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  let report: Omit<NotebookRun, 'notebook' | 'engine' | 'output' | 'exercises' | 'graded'>;
  try {
    report = JSON.parse(lastLine);
  } catch {
    // The executor itself failed (kernel missing, unreadable notebook...): say so with its own words.
    const reason = stderr.trim().split('\n').slice(-3).join('\n') || `exit code ${code}`;
    report = { ok: false, cells: 0, executed: 0, seconds: 0, failedCell: null, error: reason };
  }
  return { ...report, ok: report.ok && code === 0 };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function writeSummary(outDir: string, runs: NotebookRun[]): void {
  mkdirSync(outDir, { recursive: true });
  const rows = runs.map((r) => ({
    ...r,
    notebook: path.basename(r.notebook),
    output: path.relative(outDir, r.output),
  }));
  writeFileSync(
    path.join(outDir, 'summary.json'),
    `${JSON.stringify({ finishedAt: new Date().toISOString(), runs: rows }, null, 2)}\n`,
  );
}

function summaryTable(runs: NotebookRun[]): string {
  const header = ['notebook', 'engine', 'cells', 'exercises', 'seconds', 'result'];
  const rows = runs.map((r) => [
    path.basename(r.notebook),
    r.engine,
    `${r.executed}/${r.cells}`,
    r.graded ? `${r.graded} (${r.exercises})` : '-',
    r.seconds.toFixed(1),
    r.ok ? 'pass' : `FAIL (cell ${r.failedCell ?? '?'})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

runMain(main);
