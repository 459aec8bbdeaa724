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
