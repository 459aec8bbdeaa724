// Temporary folders for one test file, removed when its tests are done, so runs leave nothing in the temp dir.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file imports this module, so it runs after that file's tests.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder named `lab-<name>-…` in the temp dir, removed after the calling file's tests. */
export function scratchDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `lab-${name}-`));
  made.push(dir);
  return dir;
}
