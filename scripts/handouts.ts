// `npm run handouts`: the executed notebooks of the last `npm run notebooks` as offline HTML handouts, a
// learner's and an instructor's edition; `--pdf` prints each edition to PDF as well.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, projectRoot } from '../src/config';
import { runMain } from './lib/cli';
import { handoutsDirFor, labSecrets, writeHandouts } from './lib/handouts';
import { printBooks } from './lib/handouts/pdf';

const USAGE = 'Usage: npm run handouts -- [--from build/notebooks] [--to build/handouts] [--pdf]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: path.join('build', 'notebooks') },
      to: { type: 'string' },
      pdf: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const root = projectRoot();
  const from = path.resolve(root, values.from);
  const to = values.to ? path.resolve(root, values.to) : handoutsDirFor(root, from);
  const { index, entries, books } = writeHandouts({
    from,
    to,
    secrets: labSecrets(loadConfig({ root })),
    pdf: values.pdf,
  });
  const failed = entries.filter((e) => !e.run.ok);
  console.log(
    `Wrote ${entries.filter((e) => e.files).length} notebooks in two editions (learner, instructor) and ${path.relative(root, index)}` +
      (failed.length > 0 ? ` (${failed.length} marked FAILED)` : ''),
  );
  if (values.pdf) {
    const pdfs = await printBooks(to, books);
    console.log(`Printed ${pdfs.length} PDFs: ${pdfs.map((f) => path.relative(root, f)).join(', ')}`);
  }
}

runMain(main);
