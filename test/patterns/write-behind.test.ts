import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectSql, type SqlEngine } from '../../src/db';
import {
  createWriteBehind,
  createWriteBehindWorker,
  readDeadLetters,
  runWriteBehindDrill,
  streamBacklog,
  type StreamEntry,
} from '../../src/patterns';
import {
  applyWrittenBehind,
  clearWriteBehindRun,
  dropPart4Tables,
  ensurePart4Tables,
  openTransactionSession,
  writeBehindTally,
  type TransactionSession,
} from '../../src/queries/records-and-writes';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { testConfig } from '../support/lab';

const STREAM = 'wb:{test}:stream';
const DEAD = 'wb:{test}:dead';

describe('durable write-behind', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  let sql: SqlEngine;
  let session: TransactionSession;
  let runId = '';

  const applyTo = (entry: StreamEntry) =>
    applyWrittenBehind(session, {
      idempotencyKey: `${runId}/${entry.id}`,
      runId,
      writeId: entry.writeId,
      cacheKey: entry.key,
      value: entry.value,
    });
  const worker = (consumer: string, extra: Partial<Parameters<typeof createWriteBehindWorker>[1]> = {}) =>
    createWriteBehindWorker(valkey, {
      stream: STREAM,
      group: 'appliers',
      consumer,
      deadLetterStream: DEAD,
      apply: applyTo,
      blockMs: 20,
      ...extra,
    });

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-write-behind-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    sql = await connectSql(testConfig(), 'postgres');
    await ensurePart4Tables(sql);
    session = await openTransactionSession(sql);
  });
  afterAll(async () => {
    if (runId) await clearWriteBehindRun(sql, runId, runId);
    await session?.release();
    await sql?.close();
    valkey?.disconnect();
    await server?.stop();
  });
  beforeEach(async (context) => {
    if (runId) await clearWriteBehindRun(sql, runId, runId);
    runId = `test-${Date.now().toString(36)}-${context.task.id}`;
    await clearLabKeys(valkey);
  });

  it('puts the value in the cache and the entry on the stream in one step', async () => {
    const writeBehind = createWriteBehind(valkey, { stream: STREAM, ttlSeconds: 60 });
    const sent = await writeBehind.write('wb:{test}:item:1', '{"seats":3}', `${runId}:1`);
    expect(await valkey.get('wb:{test}:item:1')).toBe('{"seats":3}');
    const entries = await valkey.xrange(STREAM, '-', '+');
    expect(entries).toEqual([
      [sent.streamId, ['key', 'wb:{test}:item:1', 'value', '{"seats":3}', 'write_id', `${runId}:1`]],
    ]);
  });

  it('applies entries, acknowledges them only after the commit, and never applies a redelivered one twice', async () => {
    const writeBehind = createWriteBehind(valkey, { stream: STREAM, ttlSeconds: 60 });
    for (let i = 0; i < 5; i += 1) await writeBehind.write(`wb:{test}:item:${i}`, `v${i}`, `${runId}:${i}`);
    // The first worker "dies" right after its third commit: that entry is committed but not acknowledged.
    let commits = 0;
    const doomed = worker('worker-a', {
      afterCommit: async () => {
        commits += 1;
        if (commits === 3) throw new Error('killed between commit and acknowledgement');
      },
    });
    await doomed.start();
    await expect(doomed.step()).rejects.toThrow(/killed between commit/);
    expect((await writeBehindTally(sql, runId)).applied).toBe(3);
    expect(await streamBacklog(valkey, STREAM)).toBe(3); // the third one is still pending, plus two unread

    const restarted = worker('worker-a');
    const recovered = await restarted.start(); // takes back its own pending entries first
    expect(recovered.recovered).toBe(3); // entries 3..5 were delivered to worker-a before it died
    expect(recovered.duplicate).toBe(1);
    while ((await streamBacklog(valkey, STREAM)) > 0) await restarted.step();
    const tally = await writeBehindTally(sql, runId);
    expect(tally).toEqual({ applied: 5, rows: 5, appliedTwice: 0 });
  });

  it("claims a dead consumer's stale entries with XAUTOCLAIM", async () => {
    const writeBehind = createWriteBehind(valkey, { stream: STREAM, ttlSeconds: 60 });
    for (let i = 0; i < 4; i += 1) await writeBehind.write(`wb:{test}:item:${i}`, `v${i}`, `${runId}:${i}`);
    const doomed = worker('worker-a', {
      afterCommit: async () => {
        throw new Error('killed');
      },
    });
    await doomed.start();
    await expect(doomed.step()).rejects.toThrow(/killed/);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const other = worker('worker-b', { claimIdleMs: 100 });
    const started = await other.start();
    expect(started.claimed).toBe(4);
    expect(await streamBacklog(valkey, STREAM)).toBe(0);
    expect(await writeBehindTally(sql, runId)).toEqual({ applied: 4, rows: 4, appliedTwice: 0 });
  });

  it('moves an entry that keeps failing to the dead-letter stream with the reason', async () => {
    const writeBehind = createWriteBehind(valkey, { stream: STREAM, ttlSeconds: 60 });
    await writeBehind.write('wb:{test}:item:ok', 'fine', `${runId}:ok`);
    await writeBehind.write('wb:{test}:item:bad', 'poison', `${runId}:bad`);
    const picky = worker('worker-a', {
      maxDeliveries: 3,
      retryEveryMs: 0,
      apply: async (entry) => {
        if (entry.value === 'poison') throw new Error('the database rejects this value');
        return applyTo(entry);
      },
    });
    await picky.start();
    for (let i = 0; i < 10 && (await streamBacklog(valkey, STREAM)) > 0; i += 1) await picky.step();
    expect(await streamBacklog(valkey, STREAM)).toBe(0);
    const dead = await readDeadLetters(valkey, DEAD);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      write_id: `${runId}:bad`,
      value: 'poison',
      deliveries: '3',
      reason: 'the database rejects this value',
    });
    expect(picky.counts.deadLettered).toBe(1);
    expect(await writeBehindTally(sql, runId)).toEqual({ applied: 1, rows: 1, appliedTwice: 0 });
  });
});

describe('the crash drill', () => {
  afterAll(async () => {
    // The drill created Part 4's tables in the test databases; the dataset tests expect the dataset's alone.
    for (const kind of ['mysql', 'postgres'] as const) {
      const engine = await connectSql(testConfig(), kind);
      await dropPart4Tables(engine);
      await engine.close();
    }
  });

  it('kills the worker process every K applied writes and still applies 1,000 writes exactly once', async () => {
    const config = testConfig();
    const env = {
      MYSQL_URL: `mysql://${config.mysql.user}:${encodeURIComponent(config.mysql.password ?? '')}@${config.mysql.host}:${config.mysql.port}/${config.mysql.database}`,
      PG_URL: `postgres://${config.postgres.user}:${encodeURIComponent(config.postgres.password ?? '')}@${config.postgres.host}:${config.postgres.port}/${config.postgres.database}`,
    };
    const run = await runWriteBehindDrill({
      writes: 1000,
      killEvery: 250,
      engine: 'postgres',
      env,
      timeoutMs: 170_000,
    });
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output.trim().split('\n').at(-1)).toBe('writes 1000 · applied 1000 · lost 0 · applied twice 0');
    expect(run.summary.kills).toBeGreaterThanOrEqual(3);
    expect(run.summary.killsAfterCommit).toBeGreaterThanOrEqual(1);
    expect(run.summary.duplicatesSkipped).toBeGreaterThanOrEqual(1);
    expect(run.summary.rows).toBe(1000);
  }, 180_000);
});
