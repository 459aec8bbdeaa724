// The troubleshooting checks: each reports ok on a healthy setup and not ok, with figures, when the problem is there.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSql, type SqlEngine } from '../../src/db';
import {
  checkDatabase,
  checkHitRatio,
  checkIndexes,
  checkLongQueries,
  checkSlowCommands,
  checkValkey,
  checkValkeyMemory,
  runSlowScript,
} from '../../src/experiments';
import { connectValkeyUrl, startPrivateValkey } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

describe.each(['mysql', 'postgres'] as const)('database checks on %s', (kind) => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    await ensureTinyDataset(engine);
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('the database answers, and no statement of ours runs long', async () => {
    expect((await checkDatabase(engine)).ok).toBe(true);
    expect((await checkLongQueries(engine, 60)).ok).toBe(true);
  });

  it('finds the IATA index on airport, and reports the missing one on airport_geo.altitude', async () => {
    expect((await checkIndexes(engine, 'airport', ['iata'])).ok).toBe(true);
    const missing = await checkIndexes(engine, 'airport_geo', ['altitude']);
    expect(missing.ok).toBe(false);
    expect(missing.finding).toMatch(/no index on altitude/);
  });
});

describe('Valkey checks on a private server', () => {
  it('are ok on a fresh server; memory, slow commands and hit ratio fail once the problem is made', async () => {
    const server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-troubleshoot-')),
      removeDir: true,
      config: { maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru', 'slowlog-log-slower-than': '10000' },
    });
    const valkey = await connectValkeyUrl(server.url);
    try {
      expect((await checkValkey(valkey)).ok).toBe(true);
      expect((await checkValkeyMemory(valkey)).ok).toBe(true);
      expect((await checkSlowCommands(valkey)).ok).toBe(true);
      expect((await checkHitRatio(valkey)).ok).toBe(true);

      const pipeline = valkey.pipeline();
      for (let i = 0; i < 4_000; i++) pipeline.set(`fill:${i}`, 'x'.repeat(1000));
      await pipeline.exec();
      for (let i = 0; i < 20; i++) await valkey.get(`absent:${i}`);
      await runSlowScript(valkey, 30);

      const memory = await checkValkeyMemory(valkey);
      expect(memory.ok).toBe(false);
      expect(memory.finding).toMatch(/evicted_keys [1-9]/);
      expect((await checkSlowCommands(valkey)).finding).toMatch(/slowest: EVAL/i);
      expect((await checkHitRatio(valkey)).ok).toBe(false);
    } finally {
      valkey.disconnect();
      await server.stop();
    }
  });
});
