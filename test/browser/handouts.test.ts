// Both editions of the handouts in Chromium, offline: every page opens with nothing fetched, charts drawn at
// a readable size, folded code opens on click, wide tables scroll in their box, hostile outputs stay inert,
// and each edition prints to PDF.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config';
import { EDITIONS, labSecrets, writeHandouts, type HandoutEntry, type RunSummary } from '../../scripts/lib/handouts';
import { printBooks } from '../../scripts/lib/handouts/pdf';
import { REQUIRED, chartsOnPage, chromiumMissing, launchChromium, openOffline, saveScreenshot } from './browser';
import { scratchDir } from '../support/scratch';

const root = projectRoot();
const missing = chromiumMissing();
if (missing && REQUIRED) throw new Error(missing);

/** A chart may be shrunk to fit the page, but not below this: its 11 px labels stay above 8.5 px. */
const READABLE_SCALE = 0.78;

/** What a handout shows in Chromium, opened offline; `screenshot` names the picture kept of it. */
async function inspect(
  browser: Browser,
  file: string,
  screenshot: string,
  look: (page: Page) => Promise<void> = async () => {},
) {
  const { page, context, blocked } = await openOffline(browser, file);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    const charts = await chartsOnPage(page);
    const errors = await page.locator('.output-error').count();
    const failedBanner = await page.locator('.banner.failed').count();
    const title = await page.title();
    await saveScreenshot(page, screenshot, { fullPage: false });
    await look(page);
    return { charts, errors, failedBanner, title, blocked, dialogs };
  } finally {
    await context.close();
  }
}

const pageName = (e: HandoutEntry) => `${e.run.engine}-${e.run.notebook.replace(/\.ipynb$/, '')}`;
const notebookNumber = (name: string) => Number(name.slice(0, 2));

describe.skipIf(missing !== null)('handouts in Chromium, offline', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the offline harness notices a page that reaches out (a network script, a local stylesheet, an image)', async () => {
    const dir = scratchDir('browser');
    const file = path.join(dir, 'reaches-out.html');
    writeFileSync(
      file,
      '<!DOCTYPE html><link rel="stylesheet" href="file:///usr/share/javascript/requirejs/require.css">' +
        '<script src="https://cdn.example.invalid/require.js"></script><img src="http://127.0.0.1:9/x.png">',
    );
    const { context, blocked } = await openOffline(browser, file);
    await context.close();
    expect(blocked.sort()).toEqual([
      'file:///usr/share/javascript/requirejs/require.css',
      'http://127.0.0.1:9/x.png',
      'https://cdn.example.invalid/require.js',
    ]);
  });

  describe('from a recorded run (test/fixtures/handouts)', () => {
    const to = scratchDir('handouts');
    const { index, entries } = writeHandouts({
      from: path.join(root, 'test', 'fixtures', 'handouts'),
      to,
      secrets: ['fixture-secret-pw'],
    });

    it.each(EDITIONS)(
      "%s's edition: draws the passing run's charts, shows no error, and fetches nothing",
      async (edition) => {
        const passed = entries.find((e) => e.run.ok)!;
        const seen = await inspect(
          browser,
          path.join(to, passed.files![edition]),
          `fixture/${edition}-${pageName(passed)}`,
        );
        expect(seen.blocked).toEqual([]);
        expect(seen.charts.length).toBe(passed.charts);
        expect(seen.charts.length).toBeGreaterThan(0);
        for (const chart of seen.charts) {
          expect(chart.marks).toBeGreaterThan(0);
          expect(chart.width).toBeGreaterThan(100);
          expect(chart.height).toBeGreaterThan(50);
          expect(chart.scale).toBeGreaterThanOrEqual(READABLE_SCALE);
        }
        expect(seen.errors).toBe(0);
        expect(seen.failedBanner).toBe(0);
      },
    );

    it.each(EDITIONS)(
      "%s's edition: shows a failed run as FAILED, with its error, and still fetches nothing",
      async (edition) => {
        const failed = entries.find((e) => !e.run.ok && e.files)!;
        const seen = await inspect(
          browser,
          path.join(to, failed.files![edition]),
          `fixture/${edition}-${pageName(failed)}`,
        );
        expect(seen.blocked).toEqual([]);
        expect(seen.title).toMatch(/^FAILED: /);
        expect(seen.failedBanner).toBe(1);
        expect(seen.errors).toBe(1);
      },
    );

    it('opens the index offline, with both editions of every handout linked and failures marked', async () => {
      const seen = await inspect(browser, index, 'fixture/index');
      expect(seen.blocked).toEqual([]);
      expect(seen.failedBanner).toBe(1);
      const html = readFileSync(index, 'utf8');
      for (const e of entries.filter((x) => x.files))
        for (const ed of EDITIONS) expect(html).toContain(`href="${e.files![ed]}"`);
    });
  });

  describe('a course notebook with exercises, and hostile outputs (test/fixtures/course)', () => {
    const to = scratchDir('handouts');
    const course = path.join(root, 'test', 'fixtures', 'course');
    const { entries, books } = writeHandouts({
      from: path.join(course, 'run'),
      to,
      secrets: [],
      shipped: path.join(course, 'notebooks'),
      pdf: true,
    });
    const pages = entries.flatMap((e) => EDITIONS.map((edition) => [`${edition}/${pageName(e)}`, e, edition] as const));
    const courseOn = (engine: string) =>
      entries.find((e) => e.run.notebook.startsWith('90') && e.run.engine === engine)!;

    it.each(pages)('%s: opens offline with its charts drawn at a readable size', async (name, entry, edition) => {
      const seen = await inspect(browser, path.join(to, entry.files![edition]), `course/${name.replace('/', '-')}`);
      expect(seen.blocked).toEqual([]);
      expect(seen.dialogs).toEqual([]);
      expect(seen.charts.length).toBe(entry.charts);
      for (const chart of seen.charts) {
        expect(chart.marks).toBeGreaterThan(0);
        expect(chart.scale).toBeGreaterThanOrEqual(READABLE_SCALE);
      }
      expect(seen.failedBanner).toBe(entry.run.ok ? 0 : 1);
    });

    it("learner's edition: code is folded away, and opens on a click (no script)", async () => {
      await inspect(browser, path.join(to, courseOn('mysql').files!.learner), 'course/learner-folded', async (page) => {
        const code = page.locator('details.code').first();
        expect(await code.evaluate((d) => d.hasAttribute('open'))).toBe(false);
        expect(await code.locator('pre').isVisible()).toBe(false);
        await code.locator('summary').click();
        expect(await code.evaluate((d) => d.hasAttribute('open'))).toBe(true);
        expect(await code.locator('pre').isVisible()).toBe(true);
        expect(await code.locator('pre').innerText()).toContain("from 'valkey-lab'");
        // The exercises: their stubs in sight, a ruled space to work in, no grader output.
        expect(await page.locator('.exercise .stub pre').count()).toBe(2);
        expect(await page.locator('.exercise .workspace .line').count()).toBeGreaterThanOrEqual(16);
        expect(await page.locator('main').innerText()).not.toMatch(/✓ double/);
      });
    });

    it("instructor's edition: code, reference solutions and their grades are all in sight", async () => {
      await inspect(
        browser,
        path.join(to, courseOn('mysql').files!.instructor),
        'course/instructor-open',
        async (page) => {
          const folded = await page
            .locator('details.code')
            .evaluateAll((ds) => ds.filter((d) => !d.hasAttribute('open')).length);
          expect(folded).toBe(0);
          expect(await page.locator('.exercise .solution pre').first().innerText()).toContain('return n * 2;');
          expect(await page.locator('.exercise .graded').first().innerText()).toContain('✓ double(-3.5) is -7');
        },
      );
    });

    it('a wide table scrolls inside its box on screen, and fits the page when printed', async () => {
      await inspect(browser, path.join(to, courseOn('mysql').files!.learner), 'course/wide-table', async (page) => {
        const box = page.locator('.output-html.wide').first();
        const screen = await box.evaluate((b) => ({ scroll: b.scrollWidth, client: b.clientWidth }));
        expect(screen.scroll).toBeGreaterThan(screen.client); // it scrolls in its box...
        const pageWidth = (await page.evaluate(
          '[document.documentElement.scrollWidth, window.innerWidth]',
        )) as number[];
        expect(pageWidth[0]).toBeLessThanOrEqual(pageWidth[1]!); // ...and the page itself does not
        await page.emulateMedia({ media: 'print' });
        const printed = await box.evaluate((b) => ({
          table: b.querySelector('table')!.scrollWidth,
          box: b.clientWidth,
        }));
        expect(printed.table).toBeLessThanOrEqual(printed.box);
      });
    });

    it('hostile outputs run nothing, fetch nothing and leave the page as it is', async () => {
      for (const edition of EDITIONS) {
        const hostile = entries.find((e) => e.run.notebook.startsWith('91'))!;
        const seen = await inspect(
          browser,
          path.join(to, hostile.files![edition]),
          `course/hostile-${edition}`,
          async (page) => {
            for (const link of await page.locator('main a:not([href^="http"])').all())
              await link.click({ timeout: 2_000 }).catch(() => {});
            await page.locator('main rect').first().hover();
            expect(await page.evaluate('window.hacked')).toBeUndefined();
            expect(await page.locator('header.page').isVisible()).toBe(true);
            expect(await page.locator('main').isVisible()).toBe(true);
            const floating = await page.evaluate(
              "[...document.querySelectorAll('body *')].filter((e) => getComputedStyle(e).position !== 'static').length",
            );
            expect(floating).toBe(0);
            expect(page.url()).toMatch(/91-hostile-outputs\.html$/); // no link took the page anywhere
          },
        );
        expect(seen.blocked).toEqual([]);
        expect(seen.dialogs).toEqual([]);
        expect(seen.failedBanner).toBe(0); // the output's fake banner lost its class
      }
    });

    it('prints each edition to PDF, asking for nothing while printing', async () => {
      const pdfs = await printBooks(to, books);
      expect(pdfs.map((f) => path.relative(to, f)).sort()).toEqual([
        'pdf/instructor-mysql.pdf',
        'pdf/instructor-postgres.pdf',
        'pdf/learner-mysql.pdf',
        'pdf/learner-postgres.pdf',
      ]);
      for (const pdf of pdfs) {
        expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
        expect(statSync(pdf).size).toBeGreaterThan(20_000);
      }
    }, 120_000);
  });

  // The handouts `npm run notebooks` wrote for the real notebooks. `npm run test:browser` (CI, after the
  // notebooks) requires them; a plain `npm test` on a fresh clone has none yet and skips this part.
  const built = path.join(root, 'build', 'handouts');
  const summaryFile = path.join(root, 'build', 'notebooks', 'summary.json');
  const haveBuild = existsSync(path.join(built, 'index.html')) && existsSync(summaryFile);
  if (!haveBuild && REQUIRED) throw new Error('No handouts in build/handouts: run `npm run notebooks` first');

  describe.skipIf(!haveBuild)('from the last `npm run notebooks` (build/handouts)', () => {
    const summary = haveBuild ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary) : { runs: [] };
    const fileOf = (edition: string, run: RunSummary['runs'][number]) =>
      path.join(edition, run.engine, run.notebook.replace(/\.ipynb$/, '.html'));
    const pages = summary.runs.flatMap((run) =>
      EDITIONS.map((edition) => [`${edition}: ${run.notebook} on ${run.engine}`, run, edition] as const),
    );
    // The page kept whole for each edition: the first passing notebook with exercises, else notebook 02.
    const shown = (() => {
      const passing = summary.runs.filter((r) => r.ok && existsSync(path.join(built, fileOf('learner', r))));
      const withExercises = passing.find((r) =>
        readFileSync(path.join(built, fileOf('learner', r)), 'utf8').includes('class="exercise'),
      );
      return withExercises ?? passing.find((r) => r.notebook.startsWith('02')) ?? passing[0];
    })();

    it('has both editions of every run, and the index links each one', () => {
      const index = readFileSync(path.join(built, 'index.html'), 'utf8');
      expect(summary.runs.length).toBeGreaterThan(0);
      for (const run of summary.runs) {
        for (const edition of EDITIONS) {
          const file = fileOf(edition, run);
          expect(existsSync(path.join(built, file)), file).toBe(true);
          expect(index).toContain(`href="${file}"`);
        }
      }
    });

    it("contains none of the lab's passwords", () => {
      const secrets = labSecrets(loadConfig());
      for (const [name, run, edition] of pages) {
        const html = readFileSync(path.join(built, fileOf(edition, run)), 'utf8');
        for (const secret of secrets) expect(html.includes(secret), name).toBe(false);
      }
    });

    it.each(pages)(
      '%s: opens offline, its charts drawn at a readable size and its status shown as the run ended',
      async (_, run, edition) => {
        const name = `handouts/${edition}-${run.engine}-${run.notebook.replace(/\.ipynb$/, '')}`;
        const seen = await inspect(browser, path.join(built, fileOf(edition, run)), name, async (page) => {
          if (run === shown) await saveScreenshot(page, `${name}-whole`);
        });
        expect(seen.blocked).toEqual([]);
        expect(seen.dialogs).toEqual([]);
        if (run.ok) {
          expect(seen.errors).toBe(0);
          expect(seen.failedBanner).toBe(0);
        } else {
          expect(seen.failedBanner).toBe(1);
        }
        // Every notebook past the setup check measures something and draws it.
        if (run.ok && notebookNumber(run.notebook) > 0) expect(seen.charts.length).toBeGreaterThan(0);
        for (const chart of seen.charts) {
          expect(chart.marks).toBeGreaterThan(0);
          expect(chart.scale).toBeGreaterThanOrEqual(READABLE_SCALE);
        }
      },
    );

    it("folds the learner's code away, to open on a click", async () => {
      await inspect(browser, path.join(built, fileOf('learner', shown!)), 'handouts/learner-folded', async (page) => {
        const code = page.locator('details.code').first();
        expect(await code.locator('pre').isVisible()).toBe(false);
        await code.locator('summary').click();
        expect(await code.locator('pre').isVisible()).toBe(true);
      });
    });

    it('opens the index offline', async () => {
      const seen = await inspect(browser, path.join(built, 'index.html'), 'handouts/index');
      expect(seen.blocked).toEqual([]);
      expect(seen.failedBanner).toBe(summary.runs.every((r) => r.ok) ? 0 : 1);
    });
  });
});
