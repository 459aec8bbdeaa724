// A newer command beside its fallback in one run, on every release under test: a lab on 9.1 runs both ways on its
// own server, a lab on 8.0 runs the fallback there and the command on a private server of the 9.1 build, and a lab
// with neither runs the fallback alone and says so.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { builtValkeyServer, featureSides } from '../../src/experiments/newer-valkey';
import { openLab, type Lab } from '../../src/lab';
import { builtValkey, deleteIfEqual, detectFeatures, takeFallback, type PrivateValkey } from '../../src/valkey';
import { testConfig } from '../support/lab';
import { describeEachValkey } from '../support/valkey-builds';
import { usePrivateValkey } from '../support/valkey';

describeEachValkey('a newer command beside its fallback', (release) => {
  let server: PrivateValkey;
  let lab: Lab;
  usePrivateValkey(`sides-${release.line}`, (_, started) => (server = started), { binary: release.server });
  beforeAll(async () => {
    lab = await openLab({ engine: 'mysql', config: testConfig({ VALKEY_URL: server.url }) });
  });
  afterAll(async () => lab?.close());
  const newer = release.line !== '8.0';

  it('runs each way where this lab can, and says where', async () => {
    const sides = await featureSides(lab, 'deleteIfEqual');
    expect(sides.fallback.way).toBe('fallback');
    if (newer) {
      expect(sides.where).toBe('one server');
      expect(sides.command!.server.version).toBe(release.version);
      expect(sides.fallback.client).not.toBe(lab.valkey);
      expect(sides.ran).toMatch(/both ways ran on it/);
    } else if (builtValkey()) {
      expect(sides.where).toBe('private build');
      expect(sides.fallback.client).toBe(lab.valkey);
      expect(sides.command!.server.version).toBe(builtValkey()!.version);
      expect(sides.ran).toMatch(/a private server of the Valkey 9\.1 set-up built/);
    }
    expect(sides.all.map((s) => s.way)).toEqual(sides.command ? ['fallback', 'command'] : ['fallback']);
  });

  it('each way takes its own path and gives the same answers', async () => {
    const sides = await featureSides(lab, 'deleteIfEqual');
    for (const side of sides.all) {
      await side.client.set('sides:lock', 'mine', 'PX', 5_000);
      const stranger = await deleteIfEqual(side.client, 'sides:lock', 'theirs');
      const holder = await deleteIfEqual(side.client, 'sides:lock', 'mine');
      expect([stranger.path, holder.path]).toEqual([side.way, side.way]);
      expect([stranger.done, holder.done]).toEqual([false, true]);
      expect(holder.command).toBe(side.way === 'command' ? 'DELIFEQ' : 'EVAL (compare-and-delete)');
    }
  });

  it('starts one private newer server per lab, and the lab ends it', async () => {
    const first = await builtValkeyServer(lab);
    expect(await builtValkeyServer(lab)).toBe(first);
    if (!first) return;
    expect((await detectFeatures(first.client)).has.deleteIfEqual).toBe(true);
  });

  it.runIf(newer)(
    'a connection told to take the fallback runs the script on a server that has the command',
    async () => {
      const second = await lab.connection();
      expect((await detectFeatures(second)).has.hashFieldExpiry).toBe(true);
      await takeFallback(second, 'deleteIfEqual');
      const features = await detectFeatures(second);
      expect(features.has.deleteIfEqual).toBe(false);
      expect(features.has.hashFieldExpiry).toBe(true); // only the features named
      expect((await deleteIfEqual(second, 'sides:none', 'x')).path).toBe('fallback');
      expect((await deleteIfEqual(lab.valkey, 'sides:none', 'x')).path).toBe('command');
    },
  );

  it.runIf(!newer)(
    'without a 9.1 build the fallback runs alone, and the run says the comparison is skipped',
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'lab-no-build-'));
      const bare = await openLab({ engine: 'mysql', config: { ...testConfig({ VALKEY_URL: server.url }), root } });
      try {
        const sides = await featureSides(bare, 'hashFieldExpiry');
        expect(sides.where).toBe('fallback only');
        expect(sides.command).toBeUndefined();
        expect(sides.all).toEqual([sides.fallback]);
        expect(sides.ran).toMatch(
          /no Valkey 9\.1 build is here .* the comparison with HSETEX \/ HGETEX \/ HEXPIRE is skipped/,
        );
      } finally {
        await bare.close();
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
