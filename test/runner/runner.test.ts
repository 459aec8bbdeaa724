import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config';
import { connectValkey } from '../../src/valkey';
import { LabError } from '../../src/errors';
import { binaryVersion, builtValkey, valkeyServerBinary } from '../../src/internal';
import { readJupyterSetup } from '../../scripts/lib/jupyter';
import { scratchDir } from '../support/scratch';
import {
  cellText,
  exerciseIds,
  exerciseOf,
  injectSolutions,
  readSolutions,
  type NotebookJson,
} from '../../scripts/lib/solutions';

const root = projectRoot();
const fixtures = path.join(root, 'test', 'fixtures', 'notebooks');

interface Summary {
  valkey: string;
  runs: Array<{
    notebook: string;
    engine: string;
    ok: boolean;
    cells: number;
    failedCell: number | null;
    error: string | null;
    valkey: string;
  }>;
}

/** Runs the real runner CLI on fixture notebooks, through the real tslab kernel. */
async function runRunner(
  notebooks: string[],
  options: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string; summary: Summary; out: string }> {
  const out = scratchDir('runs');
  const args = [
    'scripts/run-notebooks.ts',
    '--engines',
    'mysql',
    '--out',
    out,
    ...options,
    ...notebooks.map((n) => path.join(fixtures, n)),
  ];
  const env = { ...process.env, ...extraEnv };
  const result = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), args, {
    cwd: root,
    env,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr,
    }),
  );
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as Summary;
  return { ...result, summary, out };
}

// Each run starts a real kernel; on a busy machine one takes well over a minute.
describe('the headless runner', { timeout: 240_000 }, () => {
  it('passes a notebook whose cells run and whose checks hold', async () => {
    const { code, summary } = await runRunner(['clean.ipynb']);
    expect(code).toBe(0);
    expect(summary.runs).toEqual([
      expect.objectContaining({ notebook: 'clean.ipynb', engine: 'mysql', ok: true, cells: 3 }),
    ]);
  });

  it('shows every passing check of a cell, each on its own line, not only the last', async () => {
    const { out } = await runRunner(['clean.ipynb']);
    const executed = JSON.parse(readFileSync(path.join(out, 'mysql', 'clean.ipynb'), 'utf8'));
    const text = (cell: { outputs: Array<{ text?: string | string[] }> }) =>
      cell.outputs.map((o) => [o.text ?? ''].flat().join('')).join('');
    const code = executed.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
    expect(text(code[1])).toBe('✓ six times seven is 42\n');
    expect(text(code[2])).toBe('✓ the answer is above 40\n✓ the answer is below 50\n✓ the answer is even\n');
  });

  it('fails the run when a check does not hold, naming the cell and the check', async () => {
    const { code, output, summary } = await runRunner(['failing-check.ipynb']);
    expect(code).toBe(1);
    expect(summary.runs[0]).toMatchObject({ ok: false, failedCell: 2 });
    expect(summary.runs[0]!.error).toMatch(/^CheckFailed: Check failed: six times seven is 41/);
    expect(output).toContain('1 of 1 notebook runs failed: failing-check.ipynb on mysql');
  });

  it('fails the run when a cell throws, and still runs the other notebooks', async () => {
    const { code, summary } = await runRunner(['cell-error.ipynb', 'clean.ipynb']);
    expect(code).toBe(1);
    expect(summary.runs.map((r) => [r.notebook, r.ok])).toEqual([
      ['cell-error.ipynb', false],
      ['clean.ipynb', true],
    ]);
    expect(summary.runs[0]!.error).toMatch(/SyntaxError/);
  });
});

describe('the headless runner and what notebooks leave behind', { timeout: 240_000 }, () => {
  it('fails a run that leaves a lab key without a TTL, naming the key', async () => {
    const valkey = await connectValkey(loadConfig());
    try {
      await valkey.del('fixture:left-forever');
      const { code, output } = await runRunner(['key-left-forever.ipynb']);
      expect(code).toBe(1);
      expect(output).toMatch(/Keys the notebooks left in Valkey with no TTL .*: fixture:left-forever/);
    } finally {
      await valkey.del('fixture:left-forever');
      valkey.disconnect();
    }
  });
});

describe('the headless runner with exercises', { timeout: 240_000 }, () => {
  const outputsOf = (out: string, name: string) => {
    const executed = JSON.parse(readFileSync(path.join(out, 'mysql', name), 'utf8'));
    const grader = executed.cells.find((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.includes('grader'));
    const exercise = executed.cells.find((c: { metadata: { tags?: string[] } }) =>
      c.metadata.tags?.includes('exercise'),
    );
    const text = grader.outputs.map((o: { text?: string | string[] }) => [o.text ?? ''].flat().join('')).join('');
    return { text, exercise: [exercise.source].flat().join('') };
  };

  it('injects the reference solution, and the grader passes it', async () => {
    const { code, summary, out } = await runRunner(['exercise.ipynb']);
    expect(code).toBe(0);
    expect(summary.runs[0]).toMatchObject({ ok: true, exercises: 'solutions', graded: 1 });
    const { text, exercise } = outputsOf(out, 'exercise.ipynb');
    expect(exercise).toContain('return n * 2;');
    expect(text).toContain('✓ double(21) is 42');
    expect(text).toContain('Your turn 0.1: all 1 checks passed.');
  });

  it('fails the run when a reference solution does not pass its grader', async () => {
    const { code, summary } = await runRunner(['exercise-wrong.ipynb']);
    expect(code).toBe(1);
    expect(summary.runs[0]!.error).toMatch(
      /ExerciseFailed: Your turn 0\.1 \(double\): expected the reference solution to pass/,
    );
  });

  it('runs the notebook as shipped: the stub reports "not done" and the run passes', async () => {
    const { code, summary, out } = await runRunner(['exercise-wrong.ipynb'], ['--exercises', 'shipped']);
    expect(code).toBe(0);
    expect(summary.runs[0]).toMatchObject({ ok: true, exercises: 'shipped', graded: 1 });
    const { text, exercise } = outputsOf(out, 'exercise-wrong.ipynb');
    expect(exercise).toContain("return todo('return twice n');");
    expect(text).toMatch(/^○ Your turn 0\.1 is not done yet/);
  });
});

describe('which Valkey a run uses', { timeout: 240_000 }, () => {
  it("runs on the lab's own Valkey by default, and records it", async () => {
    const version = binaryVersion(valkeyServerBinary());
    const { code, output, summary } = await runRunner(['valkey-release.ipynb'], [], {
      EXPECTED_VALKEY_VERSION: version,
    });
    expect(code).toBe(0);
    expect(summary.valkey).toBe(`Valkey ${version}`);
    expect(summary.runs[0]).toMatchObject({ ok: true, valkey: `Valkey ${version}` });
    expect(output).toContain(`valkey-release.ipynb on mysql, Valkey ${version} ... passed`);
  });

  const build = builtValkey();
  it.skipIf(!build)(
    "with --valkey 9.1 runs on set-up's build: the server it starts for the run and every server a notebook starts",
    async () => {
      const { code, output, summary } = await runRunner(['valkey-release.ipynb'], ['--valkey', '9.1'], {
        EXPECTED_VALKEY_VERSION: build!.version,
      });
      expect(code).toBe(0);
      expect(summary.valkey).toBe(`Valkey ${build!.version}`);
      expect(summary.runs[0]).toMatchObject({ ok: true, valkey: `Valkey ${build!.version}` });
      expect(output).toMatch(
        new RegExp(`Valkey for this run: Valkey ${build!.version.replace(/\./g, '\\.')} at 127\\.0\\.0\\.1:\\d+`),
      );
    },
  );
});

describe('Jupyter missing', () => {
  it('says to run set-up when the lab has no Jupyter record', () => {
    const empty = scratchDir('nojupyter');
    expect(() => readJupyterSetup(empty)).toThrow(LabError);
    expect(() => readJupyterSetup(empty)).toThrow(
      'Jupyter is not set up for the lab at .lab/jupyter.json. Run `npm run setup` first.',
    );
  });

  it('says what to install when the recorded Python cannot import nbclient', () => {
    const dir = scratchDir('badpython');
    mkdirSync(path.join(dir, '.lab'));
    writeFileSync(
      path.join(dir, '.lab', 'jupyter.json'),
      JSON.stringify({ python: 'python-that-does-not-exist', jupyterPath: dir }),
    );
    expect(() => readJupyterSetup(dir)).toThrow(
      /cannot be imported by python-that-does-not-exist\. Install them \(Debian: apt-get install jupyter-nbconvert python3-nbclient\)/,
    );
  });
});

/** Notebooks made into a course (docs/COURSE.md): each has two exercises or more. */
const COURSE_NOTEBOOKS = ['01', '02', '03', '04', '05', '06', '07', '08', '09'];

describe('the notebooks as committed', () => {
  const notebooks = readdirSync(path.join(root, 'notebooks')).filter((n) => n.endsWith('.ipynb'));

  it('exist, numbered in guide order', () => {
    expect(notebooks.length).toBeGreaterThan(0);
    for (const name of notebooks) expect(name).toMatch(/^\d\d-[a-z0-9-]+\.ipynb$/);
  });

  it.each(notebooks)('%s has no outputs or execution counts, and runs on the tslab kernel', (name) => {
    const notebook = JSON.parse(readFileSync(path.join(root, 'notebooks', name), 'utf8'));
    expect(notebook.metadata.kernelspec.name).toBe('tslab');
    for (const cell of notebook.cells.filter((c: { cell_type: string }) => c.cell_type === 'code')) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
  });

  it.each(notebooks)('%s: every exercise is task, stub and grader, with one reference solution', (name) => {
    const file = path.join(root, 'notebooks', name);
    const notebook = JSON.parse(readFileSync(file, 'utf8')) as NotebookJson;
    const ids = exerciseIds(notebook);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      const at = notebook.cells.findIndex((c) => exerciseOf(c, 'exercise') === id);
      expect(cellText(notebook.cells[at - 1]!), `the cell before exercise ${id}`).toMatch(
        /^### Your turn \d+\.\d+ · /m,
      );
      expect(cellText(notebook.cells[at]!), `exercise ${id}'s stub`).toMatch(/\btodo\(/);
      expect(exerciseOf(notebook.cells[at + 1]!, 'grader'), `the cell after exercise ${id}`).toBe(id);
    }
    // Numbered as the notebook's part, in the order a learner meets them: N.1, N.2, …
    const numbers = ids.map((id) => {
      const at = notebook.cells.findIndex((c) => exerciseOf(c, 'exercise') === id);
      return /^### Your turn (\d+\.\d+) · /m.exec(cellText(notebook.cells[at - 1]!))?.[1];
    });
    expect(numbers).toEqual(ids.map((_, i) => `${Number(name.slice(0, 2))}.${i + 1}`));
    // Every exercise has its solution, and every solution its exercise.
    expect(() => injectSolutions(notebook, readSolutions(file), name)).not.toThrow();
    if (COURSE_NOTEBOOKS.includes(name.slice(0, 2)))
      expect(ids.length, 'a course notebook has exercises').toBeGreaterThanOrEqual(2);
  });
});
