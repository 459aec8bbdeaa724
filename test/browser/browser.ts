// What the browser tests share: Debian's Chromium driven by playwright-core, pages opened with the
// network blocked and every attempted request counted, screenshots kept under build/screenshots.

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../src/config';

/** Debian's package (set-up installs it as root); CHROMIUM_PATH points elsewhere. No browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOTS = path.join(projectRoot(), 'build', 'screenshots');

/**
 * `npm run test:browser` sets LAB_BROWSER_TESTS=require: then a missing prerequisite (Chromium, the
 * executed notebooks, the dataset) fails the test instead of skipping it, so CI cannot pass without them.
 * LAB_BROWSER_TESTS=run runs every browser test that can run, skipping the others with the reason.
 */
export const REQUIRED = process.env.LAB_BROWSER_TESTS === 'require';

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `Chromium is not installed at ${CHROMIUM} (as root, \`npm run setup\` installs Debian's chromium)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', // the tests may run as root, where Chromium's sandbox refuses to start
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

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

/** Saves a full-page screenshot as a build artifact and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** How the page's charts are drawn: per inline SVG, its marks (paths, rects, lines, text) and its size. */
export function chartsOnPage(page: Page): Promise<Array<{ marks: number; width: number; height: number }>> {
  return page.$$eval('.output-chart svg', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return {
        marks: svg.querySelectorAll('path, rect, line, circle, polygon, polyline').length,
        width: box.width,
        height: box.height,
      };
    }),
  );
}
