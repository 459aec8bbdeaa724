// Notebook 04's exercises: write-through in the right order (the database, then the versioned entry), and the
// write-behind worker's step that acknowledges an entry only after its commit, graded by really killing it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot, type DbTarget, type LabConfig } from '../config';
import type { SqlEngine } from '../db/engine';
import { createWriteBehind, ensureConsumerGroup, streamBacklog } from '../patterns/write-behind';
import type { Versioned } from '../patterns/write-through';
import {
  clearWriteBehindRun,
  dropPart4Tables,
  ensurePart4Tables,
  loadAirportRecord,
  renameAirport,
  writeBehindTally,
  type AirportFields,
} from '../queries/records-and-writes';
import { isCluster, type ValkeyClient } from '../valkey/client';
import { clearLabKeys } from '../valkey/keys';
import { startWorker, type Worker } from '../valkey/processes';
import { grade, sameAsJson, shown, type Grade } from './grade';
import type { HandleEntry, HandlerEntry, HandlerTransaction } from './write-behind-handler';

interface GradedLab {
  sql: SqlEngine;
  valkey: ValkeyClient;
}

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The learner's write-through: run `write` (a database transaction), then keep the committed record cached. */
export type WriteThroughFn = (
  key: string,
  ttlSeconds: number,
  write: () => Promise<void>,
  load: () => Promise<Versioned<AirportFields>>,
) => Promise<void>;

/** The airport the grader renames (and names back): not one the notebook's hierarchy caches. */
const GRADED_AIRPORT = 'MUC';
const WRITE_THROUGH_KEY = `exercise:04:write-through:airport:{${GRADED_AIRPORT}}`;

/** Whether Part 4's tables were there before a grader, and the airport's version row, to put back afterwards. */
async function part4State(sql: SqlEngine, iata: string): Promise<{ tables: boolean; version: number | null }> {
  const tables = (await sql.listTables()).includes('airport_write_version');
  await ensurePart4Tables(sql);
  const { rows } = await sql.query<{ version: number }>(
    `SELECT version FROM airport_write_version WHERE iata = ${sql.dialect.param(1)}`,
    [iata],
  );
  return { tables, version: rows[0] ? Number(rows[0].version) : null };
}

async function restorePart4(sql: SqlEngine, iata: string, before: { tables: boolean; version: number | null }) {
  if (!before.tables) return dropPart4Tables(sql);
  const p = sql.dialect.param;
  if (before.version === null) await sql.query(`DELETE FROM airport_write_version WHERE iata = ${p(1)}`, [iata]);
  else
    await sql.query(`UPDATE airport_write_version SET version = ${p(1)} WHERE iata = ${p(2)}`, [before.version, iata]);
}

/** The cached HASH as a record: its fields without `_version`, and the version. */
function cachedRecord(hash: Record<string, string>): { value: Record<string, string>; version: number | null } {
  const { _version, ...value } = hash;
  return { value, version: _version === undefined ? null : Number(_version) };
}

/**
 * Grades "Your turn 4.1": a rename through the learner's write-through commits, and the cache then holds the
 * committed record with its `_version` and a TTL; a rename the database refuses leaves the cache as it was; and
 * of two racing writers, where A commits first but stores last, the cache ends with B's newer record, as the
 * database has it.
 */
export async function gradeWriteThrough(lab: GradedLab, writeThrough: WriteThroughFn): Promise<Grade> {
  const { sql, valkey } = lab;
  const ttl = 300;
  const key = WRITE_THROUGH_KEY;
  let before: Awaited<ReturnType<typeof part4State>> | undefined;
  let original: string | undefined;
  return grade(
    { id: 'write-through', number: '4.1' },
    async (g) => {
      before = await part4State(sql, GRADED_AIRPORT);
      original = (await loadAirportRecord(sql, GRADED_AIRPORT))!.value.name!;
      await valkey.del(key);
      const rename = (name: string) => () => renameAirport(sql, GRADED_AIRPORT, name);
      const load = async () => (await loadAirportRecord(sql, GRADED_AIRPORT))!;

      await g.attempt(
        'a rename through your function',
        () => writeThrough(key, ttl, rename(`${original} (4.1)`), load),
        RAN_INTO_ERROR,
      );
      const committed = await load();
      g.expect(committed.value.name === `${original} (4.1)`, 'the rename reached the database', {
        expected: `name "${original} (4.1)" in the database`,
        seen: `name "${committed.value.name}"`,
        hint: 'call write(): it runs the rename in one transaction',
      });
      const cached = cachedRecord(await valkey.hgetall(key));
      g.expect(
        sameAsJson(cached.value, committed.value) && cached.version === committed.version,
        'the cache holds the committed record, with its _version',
        {
          expected: `${shown(committed.value.name)}, _version ${committed.version}`,
          seen:
            cached.version === null && !cached.value.name
              ? 'no entry'
              : `${shown(cached.value.name)}, _version ${cached.version}`,
          hint: 'after write(), call load() and store its value’s fields and its version (field _version) in the HASH',
        },
      );
      const left = await valkey.ttl(key);
      g.expect(left > 0 && left <= ttl, `the entry expires within the TTL given (${ttl} s)`, {
        expected: `a TTL of at most ${ttl} s`,
        seen: left === -1 ? 'no expiry (TTL -1)' : `TTL ${left}`,
        hint: 'EXPIRE the key with ttlSeconds in the same step that stores it',
      });

      const snapshot = await valkey.hgetall(key);
      await Promise.resolve(writeThrough(key, ttl, rename('A'.repeat(300)), load)).catch(() => undefined);
      g.expect(
        sameAsJson(await valkey.hgetall(key), snapshot),
        'a rename the database refuses leaves the cache as it was',
        {
          expected: 'the entry unchanged',
          seen: 'the entry changed',
          hint: 'the database first: when write() throws, nothing may have touched the cache',
        },
      );

      // Writer A commits first; its cache update waits until writer B, who committed later, is done.
      let aCommitted!: () => void;
      const aHasCommitted = new Promise<void>((resolve) => (aCommitted = resolve));
      let releaseA!: () => void;
      const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
      const writerA = Promise.resolve(
        writeThrough(
          key,
          ttl,
          async () => (await rename(`${original} (writer A)`)(), aCommitted()),
          async () => {
            const record = await load();
            await aHeld;
            return record;
          },
        ),
      ).catch((error: unknown) => error);
      await Promise.race([aHasCommitted, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await g.attempt(
        'writer B, while A waits',
        () => writeThrough(key, ttl, rename(`${original} (writer B)`), load),
        RAN_INTO_ERROR,
      );
      releaseA();
      await writerA;
      const db = await load();
      const raced = cachedRecord(await valkey.hgetall(key));
      g.expect(
        raced.value.name === db.value.name && raced.version === db.version,
        "racing writers: A committed first and stored last, and the cache keeps B's newer record, as the database has it",
        {
          expected: `${shown(db.value.name)}, _version ${db.version}`,
          seen: `${shown(raced.value.name)}, _version ${raced.version}`,
          hint: 'store only when the cached _version is older than yours, compared and written in one step on the server (a Lua script)',
        },
      );
    },
    async () => {
      if (original !== undefined) await renameAirport(sql, GRADED_AIRPORT, original);
      if (before) await restorePart4(sql, GRADED_AIRPORT, before);
      await valkey.del(key);
    },
  );
}

/** Writes the grader sends through the stream. */
const HANDLER_WRITES = 20;
/** Where the first worker is killed (before its commit) and the second (after its commit): their N-th row. */
const KILL_AT = { beforeCommit: 5, afterCommit: 3 } as const;
/** How long a worker process may take to start and reach the point it is killed at (tsx compiles on start). */
const WORKER_WAIT_MS = 60_000;

interface WorkerLine {
  kind?: string;
  stage?: string;
  id?: string;
  writeId?: string;
  reason?: string;
}

/** The environment a worker process connects with: the grader's own database and Valkey, whatever `.env` says. */
function workerEnv(config: LabConfig, sql: SqlEngine, valkey: ValkeyClient): Record<string, string> {
  const url = (scheme: string, t: DbTarget) =>
    `${scheme}://${encodeURIComponent(t.user)}${t.password ? `:${encodeURIComponent(t.password)}` : ''}@${t.host}:${t.port}/${t.database}`;
  const env: Record<string, string> = {
    LAB_DB: sql.kind,
    MYSQL_URL: url('mysql', config.mysql),
    PG_URL: url('postgres', config.postgres),
  };
  if (!isCluster(valkey)) {
    const o = valkey.options;
    const auth = o.password ? `${encodeURIComponent(o.username ?? '')}:${encodeURIComponent(o.password)}@` : '';
    env.VALKEY_URL = `redis://${auth}${o.host}:${o.port}/${o.db ?? 0}`;
    env.LAB_KEY_PREFIX = o.keyPrefix ?? '';
    env.VALKEY_CLUSTER_NODES = ''; // empty is unset: the worker uses the grader's server, not the cluster
  }
  return env;
}

/** The worker that runs the learner's handler, as a file of the project. */
const HANDLER_WORKER = path.join('src', 'exercises', 'write-behind-handler-worker.ts');

/** A handler worker, started by the lab's launcher: its JSON lines, and what it said when it ended. */
class WorkerProcess {
  readonly lines: WorkerLine[] = [];
  private ended = false;
  private stderr = '';
  private wake: Array<() => void> = [];
  private readonly worker: Worker;

  constructor(args: string[], env: Record<string, string>) {
    this.worker = startWorker(HANDLER_WORKER, args, {
      env,
      onLine: (line, from) => {
        if (from === 'stderr') this.stderr = `${this.stderr}\n${line}`.slice(-2000);
        else {
          const said = workerLine(line);
          if (said) this.lines.push(said);
        }
        for (const wake of this.wake.splice(0)) wake();
      },
    });
    void this.worker.exited.then(() => {
      this.ended = true;
      for (const wake of this.wake.splice(0)) wake();
    });
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** The first line that `until` accepts; or the error the worker ended with; or `timeout`. */
  async waitFor(until: (line: WorkerLine) => boolean): Promise<WorkerLine> {
    const deadline = Date.now() + WORKER_WAIT_MS;
    for (;;) {
      const found = this.lines.find((line) => until(line) || line.kind === 'error');
      if (found) return found;
      if (this.ended)
        return { kind: 'error', reason: this.stderr.trim().split('\n').slice(-1)[0] || 'the worker ended' };
      if (Date.now() > deadline) return { kind: 'timeout' };
      await Promise.race([new Promise<void>((resolve) => this.wake.push(resolve)), sleep(200)]);
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.worker.kill(signal);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A line of the worker's protocol, or undefined for anything else it printed (a learner's console.log). */
function workerLine(line: string): WorkerLine | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && 'kind' in parsed ? (parsed as WorkerLine) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the learner's handler once in memory, recording what it asked for, before any process is started. */
async function dryRun(handleEntry: HandleEntry): Promise<string[]> {
  const calls: string[] = [];
  const tx: HandlerTransaction = {
    alreadyApplied: async () => (calls.push('alreadyApplied'), false),
    markApplied: async () => void calls.push('markApplied'),
    insertRow: async () => void calls.push('insertRow'),
  };
  const entry: HandlerEntry = { id: '1-0', key: 'exercise:04:item:0', value: '{"n":0}', writeId: 'dry-0' };
  await handleEntry(
    entry,
    {
      async transaction(work) {
        calls.push('begin');
        const value = await work(tx);
        calls.push('commit');
        return value;
      },
    },
    { ack: async () => void calls.push('ack') },
  );
  return calls;
}

/**
 * Grades "Your turn 4.2": the learner's handler runs inside a real worker process over a real stream of 20
 * writes. The first worker is SIGKILLed while an entry's transaction is open (before its commit): that entry
 * must still be pending. The second is SIGKILLed right after an entry's commit, before its XACK: the row must be
 * in the database and the entry still pending. A third takes back what they left and drains the stream. Then
 * the database is counted: every write there, none twice.
 */
export async function gradeWriteBehindHandler(
  lab: GradedLab & { config: LabConfig },
  handleEntry: HandleEntry,
): Promise<Grade> {
  const { sql, valkey } = lab;
  const runId = `exercise-04-${Date.now().toString(36)}`;
  const tag = `exercise:04:wb:{${runId}}`;
  const stream = `${tag}:stream`;
  const group = 'exercise';
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-exercise-'));
  const handlerFile = path.join(dir, 'handler.js');
  const workers: WorkerProcess[] = [];
  let tablesBefore: boolean | undefined;

  const startHandler = (hold?: { stage: string; at: number }) => {
    const args = [
      '--handler',
      handlerFile,
      '--stream',
      stream,
      '--group',
      group,
      '--consumer',
      'worker',
      '--run-id',
      runId,
    ];
    if (hold) args.push('--hold', hold.stage, '--at', String(hold.at));
    const worker = new WorkerProcess(args, workerEnv(lab.config, sql, valkey));
    workers.push(worker);
    return worker;
  };
  const pending = async () => ((await valkey.xrange(stream, '-', '+')) as Array<[string, string[]]>).map(([id]) => id);
  const workerFailed = (line: WorkerLine) =>
    line.kind === 'timeout' ? `no answer within ${WORKER_WAIT_MS / 1000} s` : (line.reason ?? 'the worker ended');
  const inProcessHint =
    'use only entry, db and stream: the worker runs your function in a process of its own, without the notebook’s variables';

  return grade(
    { id: 'write-behind-handler', number: '4.2' },
    async (g) => {
      const calls = await g.attempt('your handler, tried once in memory', () => dryRun(handleEntry), RAN_INTO_ERROR);
      const row = calls.indexOf('insertRow');
      g.expect(
        row > calls.indexOf('begin') && row < calls.indexOf('commit') && calls.includes('ack'),
        "your handler writes the entry's row in a transaction and acknowledges the entry",
        {
          expected: 'db.transaction(…) with tx.insertRow(entry) inside, and stream.ack(entry.id)',
          seen: calls.join(', ') || 'no call',
          hint: 'write the row inside db.transaction(async (tx) => …), and acknowledge with stream.ack(entry.id)',
        },
      );

      tablesBefore = (await sql.listTables()).includes('write_behind_row');
      await ensurePart4Tables(sql);
      writeFileSync(handlerFile, handleEntry.toString());
      await ensureConsumerGroup(valkey, stream, group);
      const writeBehind = createWriteBehind(valkey, { stream, ttlSeconds: 120 });
      for (let i = 0; i < HANDLER_WRITES; i += 1)
        await writeBehind.write(`${tag}:item:${i}`, JSON.stringify({ n: i }), `${runId}:${i}`);

      const first = startHandler({ stage: 'before-commit', at: KILL_AT.beforeCommit });
      const held = await first.waitFor((line) => line.kind === 'holding');
      g.expect(held.kind === 'holding', 'your handler runs in a worker process of its own', {
        expected: `the worker reaches its ${KILL_AT.beforeCommit}th entry`,
        seen: workerFailed(held),
        hint: inProcessHint,
      });
      const stillPending = (await pending()).includes(held.id!);
      await first.kill();
      g.expect(stillPending, `SIGKILL before entry ${KILL_AT.beforeCommit}'s commit: the entry stays pending`, {
        expected: `${held.id} still on the stream, unacknowledged`,
        seen: `${held.id} was acknowledged before its transaction committed`,
        hint: 'acknowledge only after db.transaction(…) has resolved: an entry acknowledged first is lost when the worker dies before the commit',
      });

      const second = startHandler({ stage: 'after-commit', at: KILL_AT.afterCommit });
      const committed = await second.waitFor((line) => line.kind === 'holding');
      g.expect(committed.kind === 'holding', 'a second worker takes back the pending entries', {
        expected: `the worker reaches its ${KILL_AT.afterCommit}rd row`,
        seen: workerFailed(committed),
        hint: 'a worker that starts again is handed the entries it had not acknowledged: handle them like new ones',
      });
      const p = sql.dialect.param;
      const { rows } = await sql.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM write_behind_row WHERE run_id = ${p(1)} AND write_id = ${p(2)}`,
        [runId, committed.writeId],
      );
      const afterCommitPending = (await pending()).includes(committed.id!);
      await second.kill();
      g.expect(
        Number(rows[0]?.n) >= 1 && afterCommitPending,
        'SIGKILL after a commit, before its XACK: the row is in the database, the entry still pending',
        {
          expected: `a row for ${committed.writeId}, and ${committed.id} on the stream`,
          seen: `${Number(rows[0]?.n)} row(s), entry ${afterCommitPending ? 'pending' : 'acknowledged'}`,
          hint: 'acknowledge after the commit, never inside the transaction',
        },
      );

      const last = startHandler();
      const deadline = Date.now() + WORKER_WAIT_MS;
      let failure: WorkerLine | undefined;
      while ((await streamBacklog(valkey, stream)) > 0 && !failure) {
        failure = last.lines.find((line) => line.kind === 'error');
        if (!failure && (last.hasEnded || Date.now() > deadline)) failure = await last.waitFor(() => false);
        if (!failure) await sleep(100);
      }
      await last.kill('SIGTERM');
      g.expect(!failure, 'a third worker takes back what the killed ones left, and drains the stream', {
        expected: 'every entry acknowledged',
        seen: failure ? workerFailed(failure) : '',
        hint: 'an entry delivered again may be committed already: ask tx.alreadyApplied(entry.id) first, and then only acknowledge it',
      });
      const tally = await writeBehindTally(sql, runId);
      g.expect(tally.applied === HANDLER_WRITES, `nothing lost: all ${HANDLER_WRITES} writes are in the database`, {
        expected: `${HANDLER_WRITES} writes`,
        seen: `${tally.applied} writes`,
        hint: 'acknowledge only after the commit',
      });
      g.expect(
        tally.rows === HANDLER_WRITES,
        `nothing applied twice: ${HANDLER_WRITES} rows for ${HANDLER_WRITES} writes`,
        {
          expected: `${HANDLER_WRITES} rows`,
          seen: `${tally.rows} rows (${tally.appliedTwice} writes twice)`,
          hint: 'record the entry (tx.markApplied) in the same transaction as its row, and skip what tx.alreadyApplied says was committed',
        },
      );
    },
    async () => {
      for (const worker of workers) await worker.kill();
      rmSync(dir, { recursive: true, force: true });
      await clearLabKeys(valkey, `${tag}:*`);
      if (tablesBefore === false) await dropPart4Tables(sql);
      else if (tablesBefore) await clearWriteBehindRun(sql, runId, stream);
    },
  );
}
