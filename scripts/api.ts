// `npm run api`: writes docs/API.md from the public entry (src/index.ts) and its names' doc comments.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { countNames, readEntry, renderApiDoc } from './lib/api-doc';
import { projectRoot } from '../src/config';

const groups = readEntry();
const { values, types } = countNames(groups);
const file = path.join(projectRoot(), 'docs', 'API.md');
writeFileSync(file, renderApiDoc(groups));
console.log(`docs/API.md: ${values} values and ${types} types in ${groups.length} groups`);
const undocumented = groups.flatMap((g) => g.names).filter((n) => n.kind !== 'type' && !n.doc);
if (undocumented.length) {
  console.log(`No doc comment yet (test/api.test.ts fails until they have one):`);
  for (const n of undocumented) console.log(`  ${n.name} (${n.file})`);
  process.exitCode = 1;
}
