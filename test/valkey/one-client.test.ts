// The library speaks to Valkey one way: through iovalkey (src/valkey/probe.ts for set-up's one-off questions).

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config';

const src = path.join(projectRoot(), 'src');
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'));

describe('talking to Valkey', () => {
  it('goes through iovalkey: no raw sockets and no valkey-cli in the library', () => {
    const rawSocket = /\bnet\.(connect|createConnection)\(|new net\.Socket\(/;
    const cli = /valkeyBinary\(\s*'cli'|['"`]valkey-cli['"`]\s*,/;
    const offenders = files
      // Whether something listens on a port is not a conversation with Valkey; the terminal commands a notebook
      // prints for the learner to type are not run.
      .filter((f) => f !== 'valkey/probe.ts' && f !== 'show/terminal.ts')
      .filter((f) => {
        const text = readFileSync(path.join(src, f), 'utf8');
        return rawSocket.test(text) || cli.test(text);
      });
    expect(offenders).toEqual([]);
  });
});
