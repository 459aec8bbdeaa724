import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config';
import { labSecrets, writeHandouts, type RunSummary } from '../../scripts/lib/handouts';
import { REQUIRED, chartsOnPage, chromiumMissing, launchChromium, openOffline, saveScreenshot } from './browser';
import { scratchDir } from '../support/scratch';

const root = projectRoot();
const missing = chromiumMissing();
if (missing && REQUIRED) throw new Error(missing);

/** What a handout shows in Chromium, opened offline. */
async function inspect(browser: Browser, file: string, screenshot: string) {
  const { page, context, blocked } = await openOffline(browser, file);
  try {
    const charts = await chartsOnPage(page);
    const errors = await page.locator('.output-error').count();
    const failedBanner = await page.locator('.banner.failed').count();
    const title = await page.title();
    await saveScreenshot(page, screenshot);
    return { charts, errors, failedBanner, title, blocked };
  } finally {
    await context.close();
  }
}

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

    it("draws the passing run's charts, shows no error, and fetches nothing", async () => {
      const passed = entries.find((e) => e.run.ok)!;
      const seen = await inspect(
        browser,
        path.join(to, passed.file!),
        `fixture/${passed.run.engine}-${passed.run.notebook.replace(/\.ipynb$/, '')}`,
      );
      expect(seen.blocked).toEqual([]);
      expect(seen.charts.length).toBe(passed.charts);
      expect(seen.charts.length).toBeGreaterThan(0);
      for (const chart of seen.charts) {
        expect(chart.marks).toBeGreaterThan(0);
        expect(chart.width).toBeGreaterThan(100);
        expect(chart.height).toBeGreaterThan(50);
      }
      expect(seen.errors).toBe(0);
      expect(seen.failedBanner).toBe(0);
    });

    it('shows a failed run as FAILED, with its error, and still fetches nothing', async () => {
      const failed = entries.find((e) => !e.run.ok && e.file)!;
      const seen = await inspect(
        browser,
        path.join(to, failed.file!),
        `fixture/${failed.run.engine}-${failed.run.notebook.replace(/\.ipynb$/, '')}`,
      );
      expect(seen.blocked).toEqual([]);
      expect(seen.title).toMatch(/^FAILED: /);
      expect(seen.failedBanner).toBe(1);
      expect(seen.errors).toBe(1);
    });

    it('opens the index offline, with every handout linked and failures marked', async () => {
      const seen = await inspect(browser, index, 'fixture/index');
      expect(seen.blocked).toEqual([]);
      expect(seen.failedBanner).toBe(1);
      const html = readFileSync(index, 'utf8');
      for (const e of entries.filter((x) => x.file)) expect(html).toContain(`href="${e.file}"`);
    });
  });

  // The handouts `npm run notebooks` wrote for the real notebooks. `npm run test:browser` (CI, after the
  // notebooks) requires them; a plain `npm test` on a fresh clone has none yet and skips this part.
  const built = path.join(root, 'build', 'handouts');
  const summaryFile = path.join(root, 'build', 'notebooks', 'summary.json');
  const haveBuild = existsSync(path.join(built, 'index.html')) && existsSync(summaryFile);
  if (!haveBuild && REQUIRED) throw new Error('No handouts in build/handouts: run `npm run notebooks` first');

  describe.skipIf(!haveBuild)('from the last `npm run notebooks` (build/handouts)', () => {
    const summary = haveBuild ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary) : { runs: [] };

    it('has a handout for every run, and the index links each one', () => {
      const index = readFileSync(path.join(built, 'index.html'), 'utf8');
      expect(summary.runs.length).toBeGreaterThan(0);
      for (const run of summary.runs) {
        const file = path.join(run.engine, run.notebook.replace(/\.ipynb$/, '.html'));
        expect(existsSync(path.join(built, file)), file).toBe(true);
        expect(index).toContain(`href="${file}"`);
      }
    });

    it("contains none of the lab's passwords", () => {
      const secrets = labSecrets(loadConfig());
      for (const run of summary.runs) {
        const html = readFileSync(path.join(built, run.engine, run.notebook.replace(/\.ipynb$/, '.html')), 'utf8');
        for (const secret of secrets) expect(html.includes(secret), `${run.notebook} on ${run.engine}`).toBe(false);
      }
    });

    it.each(summary.runs.map((r) => [`${r.notebook} on ${r.engine}`, r] as const))(
      '%s: opens offline, its charts drawn and its status shown as the run ended',
      async (_, run) => {
        const file = path.join(built, run.engine, run.notebook.replace(/\.ipynb$/, '.html'));
        const seen = await inspect(browser, file, `handouts/${run.engine}-${run.notebook.replace(/\.ipynb$/, '')}`);
        expect(seen.blocked).toEqual([]);
        if (run.ok) {
          expect(seen.errors).toBe(0);
          expect(seen.failedBanner).toBe(0);
        } else {
          expect(seen.failedBanner).toBe(1);
        }
        // Every notebook past the setup check measures something and draws it.
        if (run.ok && notebookNumber(run.notebook) > 0) expect(seen.charts.length).toBeGreaterThan(0);
        for (const chart of seen.charts) expect(chart.marks).toBeGreaterThan(0);
      },
    );

    it('opens the index offline', async () => {
      const seen = await inspect(browser, path.join(built, 'index.html'), 'handouts/index');
      expect(seen.blocked).toEqual([]);
      expect(seen.failedBanner).toBe(summary.runs.every((r) => r.ok) ? 0 : 1);
    });
  });
});
