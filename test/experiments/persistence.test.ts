// Crash drills on real private servers of every release under test: a server SIGKILLed mid-stream keeps what its
// persistence setting promised, and nothing the drill started is left behind.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config';
import { backupAndRestore, crashDrill, PERSISTENCE_SETTINGS } from '../../src/experiments/persistence';
import { connectValkeyUrl, startPrivateValkey } from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const drillDirs = () => {
  const scratch = path.join(projectRoot(), '.lab', 'private');
  return existsSync(scratch) ? readdirSync(scratch).filter((n) => n.startsWith('drill-')) : [];
};
const quick = { preloadKeys: 5_000, streamMs: 1_500 };

describeEachValkey('crash drills', (valkey) => {
  it('without persistence the restarted server is empty: every acknowledged write is gone', async () => {
    const drill = await crashDrill({ setting: 'none', binary: valkey.server, ...quick });
    expect(drill.version).toBe(valkey.version);
    expect(drill.acknowledged).toBeGreaterThan(100);
    expect(drill.kept).toBe(0);
    expect(drill.preloadKept).toBe(0);
    expect(drill.files).toEqual([]);
    expect(drill.loaded).toBeUndefined();
  });

  it('an RDB snapshot taken during the stream keeps the writes before it and loses those after', async () => {
    const drill = await crashDrill({ setting: 'rdb', binary: valkey.server, preloadKeys: 5_000 });
    expect(drill.snapshots).toBeGreaterThanOrEqual(1);
    expect(drill.kept).toBeGreaterThan(0);
    expect(drill.lost).toBeGreaterThan(0);
    expect(drill.preloadKept).toBe(5_000);
    expect(drill.loaded?.from).toBe('RDB');
  });

  for (const setting of ['aof-everysec', 'aof-always'] as const) {
    it(`${setting} keeps every acknowledged write through a process crash, and the restart replays the AOF`, async () => {
      const drill = await crashDrill({ setting, binary: valkey.server, ...quick });
      expect(drill.acknowledged).toBeGreaterThan(10);
      expect(drill.lost).toBe(0);
      expect(drill.keptUnacknowledged).toBeLessThanOrEqual(drill.inFlight);
      expect(drill.preloadKept).toBe(5_000);
      expect(drill.loaded?.from).toBe('AOF');
      expect(drill.files.some((f) => f.file.endsWith('.aof'))).toBe(true);
    });
  }
});

describe('crash drills leave nothing behind', () => {
  it('remove their folders, also for a setting of their own', async () => {
    const before = drillDirs();
    const drill = await crashDrill({
      name: 'mine',
      setting: { ...PERSISTENCE_SETTINGS['aof-everysec'].config, 'aof-use-rdb-preamble': 'yes' },
      ...quick,
    });
    expect(drill.name).toBe('mine');
    expect(drillDirs()).toEqual(before);
  });
});

describe('a backup', () => {
  it('is the snapshot copied aside, and a server started from the copy has the same keys', async () => {
    const server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-backup-')), removeDir: true });
    const client = await connectValkeyUrl(server.url, { keyPrefix: '' });
    try {
      await client.mset(...Array.from({ length: 500 }, (_, i) => [`k:${i}`, String(i)]).flat());
      const backup = await backupAndRestore(client);
      expect(backup).toMatchObject({ keysBefore: 500, keysRestored: 500 });
      expect(backup.bytes).toBeGreaterThan(0);
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});
