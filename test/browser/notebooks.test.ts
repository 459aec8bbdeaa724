import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetStatus } from '../../datasets';
import { loadConfig, projectRoot } from '../../src/config';
import { connectSql } from '../../src/db';
import { REQUIRED, SCREENSHOTS, chromiumMissing, launchChromium } from './browser';
import { startNotebookServer, type NotebookServer } from './notebook-server';

// Every notebook of the lab book, run the way a learner runs it: in the classic Notebook, in a browser,
// "Run All" from the page, on the lab's own database (LAB_DB) with the default dataset. The notebooks
// run on copies in a scratch folder inside the project (so `valkey-lab` resolves), never on notebooks/.

const root = projectRoot();
const config = loadConfig();
const notebooks = readdirSync(path.join(root, 'notebooks'))
  .filter((name) => /^\d\d-.*\.ipynb$/.test(name))
  .sort();

async function whyNot(): Promise<string | null> {
  // Every notebook once more, in a browser, takes minutes: `npm run test:browser` runs it (CI does, after
  // `npm run notebooks`), and LAB_BROWSER_TESTS=run adds it to any test run; plain `npm test` leaves it out.
  if (!process.env.LAB_BROWSER_TESTS) return 'it runs with `npm run test:browser` (or LAB_BROWSER_TESTS=run)';
  const chromium = chromiumMissing();
  if (chromium) return chromium;
  try {
    execFileSync('jupyter', ['notebook', '--version'], { stdio: 'pipe' });
  } catch {
    return 'the classic Jupyter Notebook is not installed (Debian: apt-get install jupyter-notebook)';
  }
  try {
    const sql = await connectSql(config);
    try {
      const status = await datasetStatus(sql);
      if (status.state !== 'loaded') return `the dataset is not loaded at ${status.where} (run \`npm run setup\`)`;
    } finally {
      await sql.close();
    }
  } catch (error) {
    return `the lab's database does not answer: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}

const missing = await whyNot();
if (missing && REQUIRED) throw new Error(`Cannot run the notebooks in a browser: ${missing}`);
if (missing) console.warn(`Skipping the notebooks in the browser: ${missing}`);

/** What one code cell showed once the run ended, as the Notebook page holds it. */
interface CellState {
  prompt: number | string | null;
  errors: string[];
  charts: number;
}

describe.skipIf(missing !== null)(
  `every notebook, run from the classic Notebook in Chromium on ${config.engine}`,
  () => {
    let browser: Browser;
    let server: NotebookServer;
    let scratch: string;

    beforeAll(async () => {
      mkdirSync(path.join(root, 'build'), { recursive: true });
      scratch = mkdtempSync(path.join(root, 'build', 'browser-notebooks-'));
      for (const name of notebooks) copyFileSync(path.join(root, 'notebooks', name), path.join(scratch, name));
      const fixture = path.join(root, 'test', 'fixtures', 'notebooks', 'failing-check.ipynb');
      copyFileSync(fixture, path.join(scratch, 'failing-check.ipynb'));
      server = await startNotebookServer(root, scratch, { LAB_DB: config.engine });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    /** Opens a notebook of the scratch folder, runs all its cells from the page, and reads what they showed. */
    async function runAll(name: string): Promise<{ cells: CellState[]; drawn: number[] }> {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      try {
        // Not 'load': that waits for every script of the page (MathJax...), which says nothing about the kernel.
        await page.goto(server.urlOf(name), { waitUntil: 'domcontentloaded', timeout: 120_000 });
        // The page is ready when its kernel (the lab's tslab) has answered kernel_info.
        await page.waitForFunction(
          () => {
            const kernel = (globalThis as any).Jupyter?.notebook?.kernel;
            return Boolean(kernel && kernel.name === 'tslab' && kernel.info_reply?.protocol_version);
          },
          null,
          { timeout: 120_000, polling: 250 },
        );
        await page.evaluate(() => {
          const nb = (globalThis as any).Jupyter.notebook;
          nb.set_autosave_interval(0); // the copy is thrown away; nothing needs saving
          nb.execute_all_cells();
        });
        // A queued or running cell shows [*]; each reply (done, failed or aborted) replaces it.
        await page.waitForFunction(
          () =>
            (globalThis as any).Jupyter.notebook
              .get_cells()
              .every((c: any) => c.cell_type !== 'code' || c.input_prompt_number !== '*'),
          null,
          { timeout: 540_000, polling: 500 },
        );
        const cells: CellState[] = await page.evaluate(() =>
          (globalThis as any).Jupyter.notebook
            .get_cells()
            .filter((c: any) => c.cell_type === 'code')
            .map((c: any) => {
              const outputs: any[] = c.output_area.outputs;
              return {
                prompt: c.input_prompt_number ?? null,
                errors: outputs
                  .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))
                  .map((o) => String(o.text ?? `${o.ename}: ${o.evalue}`)),
                charts: outputs.filter((o) => o.data?.['image/svg+xml']).length,
              };
            }),
        );
        const drawn = await page.$$eval('.output_svg svg', (svgs) =>
          svgs.map((svg) => svg.querySelectorAll('path, rect, line').length),
        );
        mkdirSync(path.join(SCREENSHOTS, 'notebooks'), { recursive: true });
        await page.screenshot({ path: path.join(SCREENSHOTS, 'notebooks', `${name.replace(/\.ipynb$/, '')}.png`) });
        await page.evaluate(() => (globalThis as any).Jupyter.notebook.session.delete());

        return { cells, drawn };
      } finally {
        await page.close();
      }
    }

    it("finds the lab book's notebooks", () => {
      expect(notebooks.length).toBeGreaterThanOrEqual(3);
      expect(notebooks[0]).toBe('00-setup-check.ipynb');
    });

    it('notices a failing cell: the check of a notebook that states something false shows as error output', async () => {
      const { cells } = await runAll('failing-check.ipynb');
      expect(cells[0]).toMatchObject({ prompt: expect.any(Number), errors: [] });
      expect(cells[1]!.errors.join('\n')).toMatch(/Check failed: six times seven is 41/);
    }, 300_000);

    it.each(notebooks)(
      '%s: Run All finishes every cell with no error output, and draws a chart past 00',
      async (name) => {
        const started = performance.now();
        const { cells, drawn } = await runAll(name);
        const failures = cells.flatMap((c, i) => c.errors.map((e) => `cell ${i + 1}: ${e.trim().split('\n')[0]}`));
        expect(failures, `${name} error output`).toEqual([]);
        expect(
          cells.map((c, i) => [i + 1, typeof c.prompt]),
          'every code cell ran',
        ).toEqual(cells.map((_, i) => [i + 1, 'number']));
        if (Number(name.slice(0, 2)) > 0) {
          expect(
            cells.reduce((n, c) => n + c.charts, 0),
            `${name} shows a chart`,
          ).toBeGreaterThan(0);
          expect(drawn.length).toBeGreaterThan(0);
          for (const marks of drawn) expect(marks).toBeGreaterThan(0);
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`${name} on ${config.engine}: ${cells.length} cells through the Notebook UI in ${seconds} s`);
      },
      600_000,
    );
  },
);
