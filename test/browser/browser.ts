// What the browser tests share: Debian's Chromium driven by playwright-core, pages opened with the
// network blocked and every attempted request counted, screenshots kept under build/screenshots.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/config';

export { CHROMIUM, chromiumMissing, launchChromium } from '../../scripts/lib/chromium';

export const SCREENSHOTS = path.join(projectRoot(), 'build', 'screenshots');

/**
 * `npm run test:browser` sets LAB_BROWSER_TESTS=require: then a missing prerequisite (Chromium, the
 * executed notebooks, the dataset) fails the test instead of skipping it, so CI cannot pass without them.
 * LAB_BROWSER_TESTS=run runs every browser test that can run, skipping the others with the reason.
 */
export const REQUIRED = process.env.LAB_BROWSER_TESTS === 'require';

export interface OfflinePage {
  page: Page;
  context: BrowserContext;
  /** Every request the page attempted besides its own file: each was blocked. */
  blocked: string[];
}

/**
 * Opens a local file with every other request blocked and recorded — network, other local files,
 * anything — so a test can assert that a page needs nothing but itself.
 */
export async function openOffline(browser: Browser, file: string): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const own = new URL(`file://${path.resolve(file)}`).href;
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === own) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  await page.goto(own, { waitUntil: 'load', timeout: 60_000 });
  return { page, context, blocked };
}

/** Saves a screenshot (the whole page, or what a reader sees first) as a build artifact and returns its path. */
export async function saveScreenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage });
  return file;
}

export interface DrawnChart {
  /** Paths, rects, lines, circles, polygons and polylines drawn. */
  marks: number;
  width: number;
  height: number;
  /** Drawn width over the width the chart was made for: below 1 it is shrunk, and its labels with it. */
  scale: number;
}

/** How the page's charts are drawn: per inline SVG, its marks, its size, and how far it was shrunk. */
export function chartsOnPage(page: Page): Promise<DrawnChart[]> {
  return page.$$eval('.output-chart svg', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return {
        marks: svg.querySelectorAll('path, rect, line, circle, polygon, polyline').length,
        width: box.width,
        height: box.height,
        scale: box.width / Number(svg.getAttribute('width')),
      };
    }),
  );
}
