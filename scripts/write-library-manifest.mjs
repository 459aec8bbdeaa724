// Makes dist/ the package `valkey-lab`, which notebooks import by name (package.json links it).
import { writeFileSync } from 'node:fs';

const manifest = {
  name: 'valkey-lab',
  version: '0.1.0',
  private: true,
  description: "The lab book's helper library, built from src/ by `npm run build`.",
  main: 'src/index.js',
  types: 'src/index.d.ts',
};
writeFileSync(new URL('../dist/package.json', import.meta.url), `${JSON.stringify(manifest, null, 2)}\n`);

// `valkey-lab/internal`: set-up internals for scripts, kept apart from what notebooks import. A file at
// the package root (not an `exports` map), because tslab resolves modules the Node 10 way.
writeFileSync(
  new URL('../dist/internal.js', import.meta.url),
  "// Set-up internals (see src/internal.ts).\nmodule.exports = require('./src/internal');\n",
);
writeFileSync(new URL('../dist/internal.d.ts', import.meta.url), "export * from './src/internal';\n");
