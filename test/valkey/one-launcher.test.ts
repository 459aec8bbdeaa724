// The library starts child processes one way per kind: Node workers through startWorker (src/valkey/processes.ts),
// valkey-server through spawnOwnedValkey (src/valkey/server.ts). Both record what they start, so lab.close() and
// the next lab end it, even after a hard kill.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config';

const src = path.join(projectRoot(), 'src');
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'));
const spawning = (pattern: RegExp) => files.filter((f) => pattern.test(readFileSync(path.join(src, f), 'utf8'))).sort();

describe('child processes', () => {
  it('a Node process is started only by the launcher, startWorker', () => {
    expect(spawning(/\b(spawn|fork|execFile)\(\s*process\.execPath/)).toEqual(['valkey/processes.ts']);
    expect(spawning(/\bfork\(/)).toEqual([]);
  });

  it('a valkey-server only by spawnOwnedValkey, or detached for a cluster that outlives its command', () => {
    expect(spawning(/\bspawn\(\s*binary\b/)).toEqual(['valkey/cluster-server.ts', 'valkey/server.ts']);
  });
});
