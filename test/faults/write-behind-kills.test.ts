// Fault suite: the write-behind worker, a real process, SIGKILLed at every stage (before applying an entry,
// after its commit but before its acknowledgement, right after claiming a dead consumer's entries); what the
// database holds afterwards is counted there: every write once, none lost, none twice.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type DbTarget, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { createWriteBehind, ensureConsumerGroup, readDeadLetters, streamBacklog } from '../../src/patterns';
import { clearWriteBehindRun, ensurePart4Tables, writeBehindTally } from '../../src/queries/records-and-writes';
import { connectValkey, type ValkeyClient } from '../../src/valkey';
import { testConfig } from '../support/lab';

/** Writes per engine: 2 × 500 = 1,000 in all. */
const WRITES = 500;
/** Each kind of kill twice per engine, in turn. */
const STAGES = ['before-apply', 'after-commit', 'claimed', 'before-apply', 'after-commit', 'claimed'] as const;
type Stage = (typeof STAGES)[number];
/** Where the before-apply and after-commit kills land: the worker's N-th entry (inside its second read). */
const HOLD_AT = 60;
const CLAIM_IDLE_MS = 300;
const WAIT_MS = 30_000;

interface WorkerLine {
  kind?: string;
  stage?: string;
  id?: string;
  writeId?: string;
}

/** A database URL for the child's environment (it reads PG_URL / MYSQL_URL before `.env`). */
function urlOf(scheme: string, target: DbTarget): string {
  const password = target.password ? `:${encodeURIComponent(target.password)}` : '';
  return `${scheme}://${encodeURIComponent(target.user)}${password}@${target.host}:${target.port}/${target.database}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['postgres', 'mysql'] as EngineKind[])('write-behind worker killed at every stage (%s)', (engine) => {
  const config = testConfig();
  const runId = `faults-${engine}-${Date.now().toString(36)}`;
  const tag = `wb:{${runId}}`;
  const stream = `${tag}:stream`;
  const dead = `${tag}:dead`;
  const children: ChildProcess[] = [];
  let sql: SqlEngine;
  let valkey: ValkeyClient;
  const events: WorkerLine[] = [];

  /** Starts a worker process and resolves with it and a way to wait for a line matching `until`. */
  function startWorker(consumer: string, extra: string[]) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(projectRoot(), 'src', 'patterns', 'write-behind-worker-process.ts'),
        '--engine',
        engine,
        '--stream',
        stream,
        '--run-id',
        runId,
        '--consumer',
        consumer,
        '--dead-letter',
        dead,
        '--claim-idle-ms',
        String(CLAIM_IDLE_MS),
        ...extra,
      ],
      {
        cwd: projectRoot(),
        env: { ...process.env, PG_URL: urlOf('postgres', config.postgres), MYSQL_URL: urlOf('mysql', config.mysql) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    const lines: WorkerLine[] = [];
    const waiters: Array<() => void> = [];
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as WorkerLine;
        lines.push(event);
        events.push(event);
      } catch {
        return;
      }
      for (const wake of waiters.splice(0)) wake();
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    async function waitFor(until: (line: WorkerLine) => boolean): Promise<WorkerLine> {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const found = lines.find(until);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`worker ${consumer} exited early: ${stderr.slice(-400)}`);
        if (Date.now() > deadline) throw new Error(`worker ${consumer} never said what was awaited`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), sleep(200)]);
      }
    }
    return { child, lines, waitFor, exited };
  }

  const pendingIds = async (): Promise<string[]> =>
    ((await valkey.xrange(stream, '-', '+')) as Array<[string, string[]]>).map(([id]) => id);

  beforeAll(async () => {
    sql = await connectSql(config, engine);
    await ensurePart4Tables(sql);
    valkey = await connectValkey(config);
    await ensureConsumerGroup(valkey, stream, 'appliers');
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (sql) await clearWriteBehindRun(sql, runId, stream);
    if (valkey) {
      const keys = Array.from({ length: WRITES }, (_, i) => `${tag}:item:${i}`);
      for (let i = 0; i < keys.length; i += 100) await valkey.del(...keys.slice(i, i + 100));
      await valkey.del(stream, dead);
      valkey.disconnect();
    }
    await sql?.close();
  });

  it(`applies ${WRITES} writes exactly once through ${STAGES.length} SIGKILLs`, async () => {
    const writeBehind = createWriteBehind(valkey, { stream, ttlSeconds: 120 });
    for (let i = 0; i < WRITES; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, WRITES - i) }, (_, j) =>
          writeBehind.write(`${tag}:item:${i + j}`, JSON.stringify({ n: i + j }), `${runId}:${i + j}`),
        ),
      );
    }
    expect(await streamBacklog(valkey, stream)).toBe(WRITES);

    const kills: Record<Stage, number> = { 'before-apply': 0, 'after-commit': 0, claimed: 0 };
    for (const [n, stage] of STAGES.entries()) {
      const flags =
        stage === 'claimed'
          ? ['--hold-on-claim']
          : [stage === 'before-apply' ? '--hold-before-apply' : '--hold-after-commit', String(HOLD_AT)];
      // The dead worker's entries must have been idle long enough to be claimed.
      if (stage === 'claimed') await sleep(CLAIM_IDLE_MS + 100);
      const worker = startWorker(`w${n}`, flags);
      const held = await worker.waitFor((line) => line.kind === 'holding');
      expect(held.stage).toBe(stage);
      const pending = await pendingIds();
      // Held means not acknowledged: the entry is still on the stream, whatever the stage.
      expect(pending).toContain(held.id);
      if (stage === 'after-commit') {
        // ... and after the commit its row is already in the database.
        const p = sql.dialect.param(1);
        const { rows } = await sql.query<Record<string, unknown>>(
          `SELECT COUNT(*) AS n FROM write_behind_row WHERE write_id = ${p}`,
          [held.writeId],
        );
        expect(Number(rows[0]?.n)).toBe(1);
      }
      if (stage === 'claimed') expect(worker.lines.some((line) => line.kind === 'claimed')).toBe(true);
      worker.child.kill('SIGKILL');
      await worker.exited;
      expect(worker.child.signalCode).toBe('SIGKILL');
      kills[stage] += 1;
    }
    expect(kills).toEqual({ 'before-apply': 2, 'after-commit': 2, claimed: 2 });
    const leftAfterKills = await streamBacklog(valkey, stream);
    expect(leftAfterKills).toBeGreaterThan(0);

    // A last worker, under a new name, claims what the dead ones left and drains the stream.
    await sleep(CLAIM_IDLE_MS + 100);
    const last = startWorker('final', []);
    await last.waitFor((line) => line.kind === 'ready');
    const deadline = Date.now() + WAIT_MS;
    while ((await streamBacklog(valkey, stream)) > 0) {
      if (Date.now() > deadline)
        throw new Error(`the stream did not drain: ${await streamBacklog(valkey, stream)} left`);
      await sleep(100);
    }
    last.child.kill('SIGTERM');
    await last.exited;

    const tally = await writeBehindTally(sql, runId);
    const duplicates = events.filter((line) => line.kind === 'duplicate').length;
    console.log(
      `[faults] write-behind ${engine}: writes ${WRITES} · kills ${STAGES.length} (${Object.entries(kills)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}) · left after kills ${leftAfterKills} · applied ${tally.applied} · rows ${tally.rows} · ` +
        `applied twice ${tally.appliedTwice} · redeliveries recognised ${duplicates}`,
    );
    expect(tally).toEqual({ applied: WRITES, rows: WRITES, appliedTwice: 0 });
    // The after-commit kills leave committed, unacknowledged entries: their redelivery must be recognised.
    expect(duplicates).toBeGreaterThanOrEqual(kills['after-commit']);
    expect(await readDeadLetters(valkey, dead)).toEqual([]);
  }, 150_000);
});
