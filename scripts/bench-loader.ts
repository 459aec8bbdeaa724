// Benchmarks the dataset loader against each engine's own bulk path on the same rows, in the same run.
//
//   npx tsx scripts/bench-loader.ts [--engine mysql|postgres|both] [--scales tiny,default] [--database flughafendb_test]
//                                   [--queries] [--keep-files]
//
// For every engine and scale: (1) the native path — the generated rows written to TSV files, then loaded with the
// server's own client (`mysql` LOAD DATA LOCAL INFILE, `psql` \copy), one table after another, then the same index
// statements the loader runs, one after another; (2) the loader, as a child process (so its peak RSS is its own):
// rows streamed from the generator over 2 connections, indexes after. Prints a Markdown table for docs/PERFORMANCE.md.
// With --queries it also times the guide's queries on the loaded data (warm-up, then 30 runs: p50 and p95).
// It works in the test database by default, never in the notebooks' one unless told with --database.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import {
  ENGINE_KINDS,
  GUIDE_QUERIES,
  LabError,
  connectSql,
  engineDefinition,
  errorMessage,
  loadConfig,
  runGuideQuery,
  targetOf,
  type DbTarget,
  type EngineKind,
  type LabConfig,
  type SqlEngine,
} from '../src/internal';
import { DATASET_TABLES, GENERATOR_VERSION, planDataset, scaleDefinition, type LoadSummary } from '../datasets';
import { columnNames, createTableSql, dropTablesSql, foreignKeySql, indexSql } from '../datasets/schema';
import { markLoading, metadataTableSql } from '../datasets/status';

interface Result {
  engine: EngineKind;
  server: string;
  scale: string;
  rows: number;
  bookings: number;
  native?: { loadSeconds: number; indexSeconds: number; bookingRowsPerSecond: number; writeSeconds: number };
  loader: LoadSummary & { peakRssMb: number };
}

const ROOT = path.resolve(__dirname, '..');
const seconds = (since: number) => (performance.now() - since) / 1000;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function configFor(database: string): LabConfig {
  const base = loadConfig();
  const url = (scheme: string, t: DbTarget) =>
    `${scheme}://${encodeURIComponent(t.user)}${t.password ? `:${encodeURIComponent(t.password)}` : ''}@${t.host}:${t.port}/${database}`;
  return loadConfig({
    env: { ...process.env, MYSQL_URL: url('mysql', base.mysql), PG_URL: url('postgres', base.postgres) },
  });
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Runs a client program to completion; a failure becomes an Error with its stderr. */
async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} failed (${code}): ${err.trim().split('\n').slice(0, 3).join(' ')}`);
  return out;
}

/** Writes every table's generated rows to `dir/<table>.tsv`. */
async function writeTsvFiles(scale: string, seed: number, dir: string): Promise<void> {
  const plan = planDataset(scale, seed);
  for (const table of plan.tables) {
    const file = createWriteStream(path.join(dir, `${table.table}.tsv`));
    for (const part of table.parts(1)) {
      for (const chunk of part) if (!file.write(chunk.text)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
  }
}

/** The native path: the client loads each file, then runs the same index statements, one at a time. */
async function nativeLoad(engine: SqlEngine, target: DbTarget, scale: string, seed: number, dir: string) {
  const session = await engine.openBulkSession();
  try {
    // The tables are the loader's: record a load in progress so the database never reads as foreign or loaded.
    await session.exec(metadataTableSql(engine.kind));
    await markLoading(engine, {
      scale,
      seed,
      generatorVersion: GENERATOR_VERSION,
      startedAt: new Date().toISOString().slice(0, 19).replace('T', ' '),
    });
    await session.exec(dropTablesSql(engine.kind, DATASET_TABLES));
    for (const table of DATASET_TABLES) await session.exec(createTableSql(engine.kind, table));
  } finally {
    await session.release();
  }
  const definition = engineDefinition(engine.kind);
  const client = definition.nativeClient(target);
  const { command, args, env } = client;
  let loadSeconds = 0;
  let bookingSeconds = 0;
  for (const table of DATASET_TABLES) {
    const file = path.join(dir, `${table}.tsv`);
    const sql = client.loadFileSql(table, columnNames(table), file);
    const started = performance.now();
    await run(command, [...args, ...client.statementArgs(sql)], env);
    const took = seconds(started);
    loadSeconds += took;
    if (table === 'booking') bookingSeconds = took;
  }
  const statements = DATASET_TABLES.flatMap((t) => [...indexSql(engine.kind, t), ...foreignKeySql(engine.kind, t)]);
  statements.push(definition.ddl.analyzeTables(DATASET_TABLES));
  const script = path.join(dir, 'indexes.sql');
  await writeFile(script, [definition.ddl.bulkIndexPrelude, ...statements].map((s) => `${s};\n`).join(''));
  const started = performance.now();
  await run(command, [...args, ...client.scriptArgs(script)], env);
  return { loadSeconds, indexSeconds: seconds(started), bookingSeconds };
}

/** The loader in a child process, so its peak RSS is measured alone. */
async function loaderRun(
  kind: EngineKind,
  scale: string,
  seed: number,
  config: LabConfig,
): Promise<LoadSummary & { peakRssMb: number }> {
  const url = (scheme: string, t: DbTarget) =>
    `${scheme}://${encodeURIComponent(t.user)}@${t.host}:${t.port}/${t.database}`;
  const env = { ...process.env, MYSQL_URL: url('mysql', config.mysql), PG_URL: url('postgres', config.postgres) };
  const out = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'scripts/load-dataset.ts'),
      '--engine',
      kind,
      '--scale',
      scale,
      '--seed',
      String(seed),
      '--force',
      '--json',
    ],
    env,
  );
  return (JSON.parse(out.trim().split('\n').at(-1)!) as (LoadSummary & { peakRssMb: number })[])[0]!;
}

async function timeQueries(engine: SqlEngine): Promise<string[]> {
  const lines = ['| query | rows | p50 ms | p95 ms |', '|---|---:|---:|---:|'];
  for (const query of Object.values(GUIDE_QUERIES)) {
    for (let i = 0; i < 3; i++) await runGuideQuery(engine, query as never);
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 30; i++) {
      const result = await runGuideQuery(engine, query as never);
      times.push(result.elapsedMs);
      rows = result.rows.length;
    }
    times.sort((a, b) => a - b);
    lines.push(`| ${query.name} | ${rows} | ${fmt(times[14]!, 2)} | ${fmt(times[28]!, 2)} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'both' },
      scales: { type: 'string', default: 'tiny,default' },
      database: { type: 'string', default: 'flughafendb_test' },
      queries: { type: 'boolean', default: false },
      'keep-files': { type: 'boolean', default: false },
    },
  });
  const engines: EngineKind[] = values.engine === 'both' ? [...ENGINE_KINDS] : [values.engine as EngineKind];
  const scales = values.scales.split(',').map((s) => scaleDefinition(s.trim()).scale);
  const config = configFor(values.database);
  const seed = config.dataset.seed;
  const results: Result[] = [];
  const queryTables: string[] = [];

  console.error(
    `Machine: ${os.cpus()[0]?.model.trim()} × ${os.cpus().length}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
  );
  for (const kind of engines) {
    const target = targetOf(config, kind);
    const engine = await connectSql(config, kind);
    const server = (await engine.serverInfo()).label;
    try {
      for (const scale of scales) {
        const plan = planDataset(scale, seed);
        const rows = Object.values(plan.rowCounts).reduce((a, b) => a + b, 0);
        let native: Result['native'];
        const { command } = engineDefinition(kind).nativeClient(target);
        if (hasCommand(command)) {
          const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-bench-'));
          try {
            const writeStarted = performance.now();
            await writeTsvFiles(scale, seed, dir);
            const writeSeconds = seconds(writeStarted);
            console.error(`${kind} ${scale}: wrote the rows to TSV files in ${fmt(writeSeconds, 1)} s; native load...`);
            const n = await nativeLoad(engine, target, scale, seed, dir);
            native = { ...n, writeSeconds, bookingRowsPerSecond: plan.rowCounts.booking / n.bookingSeconds };
            console.error(
              `${kind} ${scale}: native ${fmt(n.loadSeconds, 1)} s load + ${fmt(n.indexSeconds, 1)} s indexes`,
            );
          } finally {
            if (!values['keep-files']) await rm(dir, { recursive: true, force: true });
          }
        } else {
          console.error(`${kind}: no \`${command}\` client here, so no native comparison.`);
        }
        console.error(`${kind} ${scale}: loader...`);
        const loader = await loaderRun(kind, scale, seed, config);
        console.error(
          `${kind} ${scale}: loader ${fmt(loader.loadSeconds, 1)} s load + ${fmt(loader.indexSeconds, 1)} s indexes, peak RSS ${fmt(loader.peakRssMb)} MB`,
        );
        results.push({ engine: kind, server, scale, rows, bookings: plan.rowCounts.booking, native, loader });
        if (values.queries && scale !== 'tiny') {
          queryTables.push(
            `\nGuide queries on ${server}, ${scale} scale (${fmt(plan.rowCounts.flight)} flights, ${fmt(plan.rowCounts.booking)} bookings):\n`,
          );
          queryTables.push(...(await timeQueries(engine)));
        }
      }
    } finally {
      await engine.close();
    }
  }

  console.log(
    '| engine | scale | rows | loader: load + indexes (s) | loader rows/s | loader booking rows/s | native: load + indexes (s) | native rows/s | native booking rows/s | loader / native | loader peak RSS |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const l = r.loader;
    const loaderSeconds = l.loadSeconds + l.indexSeconds;
    const booking = l.tables.find((t) => t.table === 'booking')!;
    const n = r.native;
    const nativeSeconds = n ? n.loadSeconds + n.indexSeconds : 0;
    console.log(
      `| ${r.server} | ${r.scale} | ${fmt(r.rows)} | ${fmt(l.loadSeconds, 1)} + ${fmt(l.indexSeconds, 1)} = ${fmt(loaderSeconds, 1)} | ${fmt(r.rows / loaderSeconds)} | ${fmt(booking.rowsPerSecond)} | ` +
        (n
          ? `${fmt(n.loadSeconds, 1)} + ${fmt(n.indexSeconds, 1)} = ${fmt(nativeSeconds, 1)} | ${fmt(r.rows / nativeSeconds)} | ${fmt(n.bookingRowsPerSecond)} | ${fmt((100 * nativeSeconds) / loaderSeconds)}% |`
          : '– | – | – | – |') +
        ` ${fmt(l.peakRssMb)} MB |`,
    );
  }
  for (const line of queryTables) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof LabError ? error.message : `Benchmark failed: ${errorMessage(error)}`);
  process.exit(1);
});
