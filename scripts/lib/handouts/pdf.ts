// Whole editions printed to PDF by Chromium (through playwright-core), with nothing fetched while printing.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../../src/errors';
import { chromiumMissing, launchChromium } from '../chromium';
import type { Book } from './index';

// Chromium fills in the classes; the title is the book's (edition and engine).
const FOOTER =
  '<div style="width:100%;font:8px sans-serif;color:#666;text-align:center">' +
  '<span class="title"></span> · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

/** Prints each book to `<to>/<book.pdf>` (A4; pages and margins as the handouts' print stylesheet sets them). */
export async function printBooks(to: string, books: readonly Book[]): Promise<string[]> {
  const missing = chromiumMissing();
  if (missing) {
    throw new LabError({
      what: `Cannot print the handouts to PDF: ${missing}`,
      fix: 'Install Chromium (Debian: apt-get install chromium), or set CHROMIUM_PATH to one.',
    });
  }
  const browser = await launchChromium();
  const written: string[] = [];
  try {
    for (const book of books) {
      const context = await browser.newContext();
      const reached: string[] = [];
      // A handout needs nothing but itself; should it ask for anything, that is a fault, not a download.
      await context.route('**/*', (route) => {
        reached.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      await page.setContent(book.html, { waitUntil: 'load' });
      const file = path.join(to, book.pdf);
      mkdirSync(path.dirname(file), { recursive: true });
      await page.pdf({
        path: file,
        preferCSSPageSize: true,
        printBackground: true, // the ruled lines of the exercises' work space
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: FOOTER,
      });
      await context.close();
      if (reached.length > 0) {
        throw new LabError({
          what: `The ${book.edition} handouts on ${book.engine} asked for ${reached.join(', ')} while printing`,
          fix: 'A handout must be self-contained: report this as a bug.',
        });
      }
      written.push(file);
    }
  } finally {
    await browser.close();
  }
  return written;
}
