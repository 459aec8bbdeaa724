// `npm run handouts`: the executed notebooks of the last `npm run notebooks` as offline HTML handouts.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, projectRoot } from '../src/config';
import { runMain } from './lib/cli';
import { handoutsDirFor, labSecrets, writeHandouts } from './lib/handouts';

const USAGE = 'Usage: npm run handouts -- [--from build/notebooks] [--to build/handouts]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: path.join('build', 'notebooks') },
      to: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const root = projectRoot();
  const from = path.resolve(root, values.from);
  const to = values.to ? path.resolve(root, values.to) : handoutsDirFor(root, from);
  const { index, entries } = writeHandouts({ from, to, secrets: labSecrets(loadConfig({ root })) });
  const failed = entries.filter((e) => !e.run.ok);
  console.log(
    `Wrote ${entries.filter((e) => e.file).length} handouts and ${path.relative(root, index)}` +
      (failed.length > 0 ? ` (${failed.length} marked FAILED)` : ''),
  );
}

runMain(main);
