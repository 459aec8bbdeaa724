// The headless runner: executes every notebook through the real tslab kernel, once per engine,
// writes the executed copies and a summary under build/notebooks, and fails when any cell fails.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINE_KINDS, loadConfig, projectRoot, type EngineKind } from '../src/config';
import { LabError } from '../src/errors';
import {
  builtValkey,
  connectValkey,
  connectValkeyUrl,
  labKeysWithoutTtl,
  reapOrphans,
  startPrivateValkey,
  VALKEY_BUILD_DIR,
  valkeyServerInfo,
} from '../src/internal';
import { runMain } from './lib/cli';
import { handoutsDirFor, labSecrets, writeHandouts, type RunRecord } from './lib/handouts';
import { KERNEL_NAME, readJupyterSetup, type JupyterSetup } from './lib/jupyter';
import { exerciseIds, injectSolutions, readSolutions, type NotebookJson } from './lib/solutions';

const USAGE = `Usage: npm run notebooks -- [--engines mysql,postgres] [--only 02 | --only 01,03] [--exercises solutions|shipped] [--valkey 9.1] [--timeout 300] [--out DIR] [notebook.ipynb ...]

  --exercises solutions   (default) the reference solutions fill the exercise cells, and every grader must pass;
                          executed copies and handouts go to build/notebooks
  --exercises shipped     the notebooks run exactly as committed: every grader must say "not done" and the
                          notebook must still run to the end; executed copies go to build/notebooks-shipped
  --valkey 9.1            on set-up's Valkey 9.1 build (npm run setup -- --valkey 9.1; built first when missing):
                          the output folder's name ends in -valkey-9.1`;

/** How exercise cells run: with the reference solutions injected, or as shipped (stubs). */
type ExerciseRun = 'solutions' | 'shipped';
const EXERCISE_RUNS: readonly ExerciseRun[] = ['solutions', 'shipped'];

/** One run, as summary.json records it (and the handouts read it). */
interface NotebookRun extends RunRecord {
  engine: EngineKind;
  exercises: ExerciseRun;
  /** How many exercises the notebook has (each graded in the run). */
  graded: number;
  /** The Valkey the notebook ran on, e.g. `Valkey 9.1.2`. */
  valkey: string;
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
      valkey: { type: 'string' },
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
    values.out ??
      path.join(
        'build',
        `${exercises === 'solutions' ? 'notebooks' : 'notebooks-shipped'}${values.valkey ? `-valkey-${values.valkey}` : ''}`,
      ),
  );
  const timeout = Number(values.timeout);

  const valkey = await valkeyForRun(root, values.valkey);
  console.log(`Valkey for this run: ${valkey.description}`);
  const foreverBefore = new Set(await keysLeftForever(valkey));
  const runs: NotebookRun[] = [];
  let forever: string[];
  try {
    for (const engine of engines) {
      for (const notebook of notebooks) {
        process.stdout.write(`▶ ${path.basename(notebook)} on ${engine}, ${valkey.label} ... `);
        const options = { jupyter, outDir, timeout, exercises, valkey };
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
    // Keys without a TTL from before this run (a learner's, an older run's) are not this run's doing.
    forever = (await keysLeftForever(valkey)).filter((key) => !foreverBefore.has(key));
  } finally {
    await valkey.stop();
  }

  writeSummary(outDir, runs, valkey.label);
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

/** The lab's keys the runs left with no expiry (on the run's Valkey): on a learner's own server they would stay for ever. */
async function keysLeftForever(runValkey: RunValkey): Promise<string[]> {
  const valkey = await connectValkey(loadConfig({ env: { ...process.env, ...runValkey.env } }));
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

/** The Valkey the notebooks of a run use, and what their kernels need in the environment to use it. */
interface RunValkey {
  /** e.g. `Valkey 9.1.2`. */
  label: string;
  /** One line for the run's log: which Valkey, and where it came from. */
  description: string;
  /** Added to every kernel's environment. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * The lab's own Valkey (as configured), or with `--valkey 9.1` set-up's 9.1 build (built first when missing):
 * a server of that build started for this run on a free loopback port, named to the notebooks by VALKEY_URL,
 * and VALKEY_*_BIN pointing at the build so the private servers and clusters the notebooks start are 9.1 too.
 */
async function valkeyForRun(root: string, wanted: string | undefined): Promise<RunValkey> {
  if (wanted === undefined) {
    const client = await connectValkey(loadConfig({ root }));
    const info = await valkeyServerInfo(client).finally(() => client.disconnect());
    return {
      label: info.label,
      description: `${info.label} at ${info.where} (the lab's)`,
      env: {},
      stop: async () => {},
    };
  }
  if (wanted !== '9.1') {
    throw new LabError({
      what: `--valkey ${wanted} is not a Valkey the runner can start`,
      fix: 'Pass --valkey 9.1 (set-up builds it), or leave --valkey out to run on the lab’s own Valkey.',
    });
  }
  if (!builtValkey(root)) {
    // The build script says what it does (or why it cannot) itself.
    const build = spawnSync('bash', [path.join(root, 'scripts', 'build-valkey.sh')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new LabError({ what: 'Valkey 9.1 is not built (the build said why, above)' });
  }
  const build = builtValkey(root)!;
  const dir = mkdtempSync(path.join(root, '.lab', 'valkey-9.1-run-'));
  const server = await startPrivateValkey({ dir, removeDir: true, binary: build.bin.server });
  const client = await connectValkeyUrl(server.url);
  const info = await valkeyServerInfo(client).finally(() => client.disconnect());
  return {
    label: info.label,
    description: `${info.label} at ${info.where} (set-up's build in ${VALKEY_BUILD_DIR}, TLS ${build.tls ? 'on' : 'off'}, started for this run)`,
    env: { ...build.env, VALKEY_URL: `${server.url}/0`, VALKEY_CLUSTER_NODES: '' },
    stop: () => server.stop(),
  };
}

/**
 * Runs one notebook with LAB_DB=engine through the project-local tslab kernel, in the notebook's own folder
 * (where tslab resolves its imports). With `solutions`, a copy with the reference solutions injected runs.
 */
async function executeNotebook(
  notebook: string,
  engine: EngineKind,
  options: { jupyter: JupyterSetup; outDir: string; timeout: number; exercises: ExerciseRun; valkey: RunValkey },
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
    return { ...report, notebook, engine, output, exercises: options.exercises, graded, valkey: options.valkey.label };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function executeFile(
  input: string,
  output: string,
  engine: EngineKind,
  options: { jupyter: JupyterSetup; timeout: number; exercises: ExerciseRun; cwd: string; valkey: RunValkey },
): Promise<Omit<NotebookRun, 'notebook' | 'engine' | 'output' | 'exercises' | 'graded' | 'valkey'>> {
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
    ...options.valkey.env,
    LAB_DB: engine,
    LAB_EXERCISES: options.exercises,
    JUPYTER_PATH: options.jupyter.jupyterPath,
  };
  const { code, stdout, stderr } = await run(options.jupyter.python, args, env);
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  let report: Omit<NotebookRun, 'notebook' | 'engine' | 'output' | 'exercises' | 'graded' | 'valkey'>;
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

function writeSummary(outDir: string, runs: NotebookRun[], valkey: string): void {
  mkdirSync(outDir, { recursive: true });
  const rows = runs.map((r) => ({
    ...r,
    notebook: path.basename(r.notebook),
    output: path.relative(outDir, r.output),
  }));
  writeFileSync(
    path.join(outDir, 'summary.json'),
    `${JSON.stringify({ finishedAt: new Date().toISOString(), valkey, runs: rows }, null, 2)}\n`,
  );
}

function summaryTable(runs: NotebookRun[]): string {
  const header = ['notebook', 'engine', 'valkey', 'cells', 'exercises', 'seconds', 'result'];
  const rows = runs.map((r) => [
    path.basename(r.notebook),
    r.engine,
    r.valkey,
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
