// Bad input and bad luck: unknown scales, unreachable servers, interrupted loads and tables the loader did not create.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineKind } from '../../src/config';
import type { SqlEngine } from '../../src/db/engine';
import { LabError } from '../../src/errors';
import { DATASET_TABLES, METADATA_TABLE, datasetStatus, loadDataset, planDataset } from '../../datasets';
import { loaderLockName } from '../../datasets/loader';
import { dropTablesSql } from '../../datasets/schema';
import { testConfig } from '../support/lab';
import { ENGINES, SEED, connectTestEngines, scalar } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const plan = planDataset('tiny', SEED);
let engines: Record<EngineKind, SqlEngine>;

/** The test databases' URLs, as the CLI reads them from the environment. */
function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const config = testConfig();
  const url = (scheme: string, t: typeof config.mysql) => `${scheme}://${t.user}@${t.host}:${t.port}/${t.database}`;
  return {
    ...process.env,
    MYSQL_URL: url('mysql', config.mysql),
    PG_URL: url('postgres', config.postgres),
    ...overrides,
  };
}

/** Node itself runs the CLI (through tsx's loader), so a signal reaches the loader and not a wrapper. */
const CLI = ['--import', 'tsx', 'scripts/load-dataset.ts'];

function runCli(args: string[], env: NodeJS.ProcessEnv = testEnv()) {
  return spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
}

/** Drops the dataset and the loader's record, the way a learner starting from an empty database would have it. */
async function emptyDatabase(engine: SqlEngine): Promise<void> {
  const session = await engine.openBulkSession();
  try {
    await session.exec(dropTablesSql(engine.kind, [...DATASET_TABLES, METADATA_TABLE]));
  } finally {
    await session.release();
  }
}

beforeAll(async () => {
  engines = await connectTestEngines();
});

afterAll(async () => {
  // Leave the test databases as the other test files expect them: the tiny dataset, loaded.
  for (const kind of ENGINES) await loadDataset(engines[kind], { scale: 'tiny', seed: SEED });
  for (const kind of ENGINES) await engines?.[kind]?.close();
});

describe('loading with bad input', () => {
  it('refuses an unknown scale with a message naming the scales, and changes nothing', async () => {
    for (const kind of ENGINES) {
      const before = await datasetStatus(engines[kind]);
      const attempt = loadDataset(engines[kind], { scale: 'huge', seed: SEED });
      await expect(attempt).rejects.toThrow(LabError);
      await expect(attempt).rejects.toThrow(
        'Unknown dataset scale "huge". Use one of tiny, default, full (LAB_SCALE or --scale).',
      );
      expect(await datasetStatus(engines[kind])).toEqual(before);
    }
  });

  it('refuses a seed that is not a whole number', async () => {
    await expect(loadDataset(engines.mysql, { scale: 'tiny', seed: -1 })).rejects.toThrow(
      /seed -1 is not a whole number/,
    );
  });

  it('the CLI says in one line what is wrong with an unknown scale, and exits with 1', () => {
    const result = runCli(['--engine', 'mysql', '--scale', 'huge']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Unknown dataset scale "huge". Use one of tiny, default, full (LAB_SCALE or --scale).',
    ]);
  });

  it('the CLI says which server it cannot reach and how to fix it, in one line, and exits with 1', () => {
    const result = runCli(
      ['--engine', 'mysql', '--scale', 'tiny'],
      testEnv({ MYSQL_URL: 'mysql://flughafen_user@127.0.0.1:1/flughafendb_test' }),
    );
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot reach MariaDB\/MySQL \(ECONNREFUSED\) at 127\.0\.0\.1:1\. .*MYSQL_URL/);
  });
});

describe('an interrupted load', () => {
  it('is recorded as interrupted, never as loaded, and the next run redoes it', async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      const attempt = loadDataset(engine, {
        scale: 'tiny',
        seed: SEED,
        force: true,
        onProgress: (event) => {
          if (event.kind === 'rows' && event.table === 'booking' && event.loaded > 50_000) throw new Error('power cut');
        },
      });
      await expect(attempt).rejects.toThrow(
        /Loading the tiny dataset failed \(power cut\); the database is marked as an interrupted load at .*run the loader again/,
      );
      const status = await datasetStatus(engine);
      expect(status).toMatchObject({ state: 'interrupted', scale: 'tiny', seed: SEED });
      expect(status.counts).toBeUndefined();

      const redo = await loadDataset(engine, { scale: 'tiny', seed: SEED });
      expect(redo).toMatchObject({
        skipped: false,
        before: 'interrupted',
        rows: Object.values(plan.rowCounts).reduce((a, b) => a + b, 0),
      });
      expect(await datasetStatus(engine)).toMatchObject({ state: 'loaded', counts: plan.rowCounts });
      expect(await scalar(engine, 'SELECT COUNT(*) FROM booking')).toBe(plan.rowCounts.booking);
    }
  });

  it('is detected after the loading process was killed outright', async () => {
    const child = spawn(process.execPath, [...CLI, '--engine', 'mysql', '--scale', 'tiny', '--force'], {
      cwd: ROOT,
      env: testEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The loader announces the plan once the load is recorded as started; kill it right there.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (data: Buffer) => {
        if (data.toString().includes('generating')) resolve();
      });
      child.on('exit', () => reject(new Error('the loader finished before it could be killed')));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await datasetStatus(engines.mysql)).state).toBe('interrupted');
    const redo = await loadDataset(engines.mysql, { scale: 'tiny', seed: SEED });
    expect(redo.skipped).toBe(false);
    expect((await datasetStatus(engines.mysql)).state).toBe('loaded');
  });

  it('a loaded dataset that lost a table reads as interrupted and is reloaded', async () => {
    for (const kind of ENGINES) {
      await loadDataset(engines[kind], { scale: 'tiny', seed: SEED });
      const session = await engines[kind].openBulkSession();
      await session.exec('DROP TABLE weatherdata');
      await session.release();
      expect(await datasetStatus(engines[kind])).toMatchObject({
        state: 'interrupted',
        missingTables: ['weatherdata'],
      });
      expect((await loadDataset(engines[kind], { scale: 'tiny', seed: SEED })).skipped).toBe(false);
      expect(await scalar(engines[kind], 'SELECT COUNT(*) FROM weatherdata')).toBe(plan.rowCounts.weatherdata);
    }
  });

  it('waits for a load that is running, then refuses with a message, changing nothing', async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      const before = await datasetStatus(engine);
      const other = await engine.openBulkSession();
      try {
        expect(await other.tryLock(loaderLockName(engine))).toBe(true);
        await expect(loadDataset(engine, { scale: 'tiny', seed: SEED, force: true })).rejects.toThrow(
          /^Another dataset load is running on this database at .*Wait for it to finish/,
        );
      } finally {
        await other.unlock(loaderLockName(engine));
        await other.release();
      }
      expect(await datasetStatus(engine)).toEqual(before);
    }
  });
});

describe('a database holding tables the loader did not create', () => {
  it('is refused with a message naming the tables, and its tables are left as they were', async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      await emptyDatabase(engine);
      await engine.query('CREATE TABLE airport (airport_id int PRIMARY KEY, note varchar(40))');
      await engine.query("INSERT INTO airport VALUES (1, 'someone else''s data')");
      try {
        expect(await datasetStatus(engine)).toMatchObject({ state: 'foreign', foreignTables: ['airport'] });
        const attempt = loadDataset(engine, { scale: 'tiny', seed: SEED, force: true });
        await expect(attempt).rejects.toThrow(LabError);
        await expect(attempt).rejects.toThrow(
          /^Refusing to load the dataset: the database holds tables the loader did not create \(airport\) at .*Point MYSQL_URL \/ PG_URL at an empty database/,
        );
        const { rows } = await engine.query('SELECT airport_id, note FROM airport');
        expect(rows).toEqual([{ airport_id: 1, note: "someone else's data" }]);
        expect((await engine.listTables()).map((t) => t.toLowerCase())).toEqual(['airport']);
      } finally {
        await engine.query('DROP TABLE airport');
      }
    }
  });

  it('treats a table named like the loader record but shaped differently as foreign', async () => {
    for (const kind of ENGINES) {
      const engine = engines[kind];
      await emptyDatabase(engine);
      await engine.query(`CREATE TABLE ${METADATA_TABLE} (id int PRIMARY KEY)`);
      try {
        expect(await datasetStatus(engine)).toMatchObject({ state: 'foreign', foreignTables: [METADATA_TABLE] });
        await expect(loadDataset(engine, { scale: 'tiny', seed: SEED })).rejects.toThrow(/Refusing to load/);
      } finally {
        await engine.query(`DROP TABLE ${METADATA_TABLE}`);
      }
    }
  });

  it('an empty database reads as empty and loads', async () => {
    for (const kind of ENGINES) {
      await emptyDatabase(engines[kind]);
      expect((await datasetStatus(engines[kind])).state).toBe('empty');
      expect(await loadDataset(engines[kind], { scale: 'tiny', seed: SEED })).toMatchObject({
        skipped: false,
        before: 'empty',
      });
    }
  });
});
