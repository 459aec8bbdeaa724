// A private Valkey for the tests of one file or describe block: never the learner's server, never shared.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';

/**
 * Registers hooks in the calling scope: before its tests, start a private Valkey (data in a temporary
 * folder named after `name`, removed when it stops) and hand `connected` a client with the `lab:` prefix; before each test,
 * delete the lab's keys (unless `clearKeys` is false); after the tests, disconnect and stop the server.
 * `binary` runs another valkey-server than the lab's (a release from test/support/valkey-builds).
 */
export function usePrivateValkey(
  name: string,
  connected: (valkey: Redis, server: PrivateValkey) => void,
  options: { clearKeys?: boolean; binary?: string } = {},
): void {
  let server: PrivateValkey | undefined;
  let valkey: Redis | undefined;
  beforeAll(async () => {
    server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), `lab-${name}-`)),
      removeDir: true,
      binary: options.binary,
    });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    connected(valkey, server);
  });
  if (options.clearKeys !== false) {
    beforeEach(async () => {
      await clearLabKeys(valkey!);
    });
  }
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });
}
