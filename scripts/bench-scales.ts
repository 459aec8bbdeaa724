// Measures Step 18's comparison (database vs cache for the user-facing queries) at several dataset scales.
//
//   npm run bench:scales -- [--scales tiny,default] [--engines mysql,postgres] [--iterations 100] [--write]
//
// Each scale gets databases of its own (`<lab database>_scale_<scale>`, created like the lab's and loaded once;
// loading is skipped when they already hold that scale), so the notebooks' and tests' data are never touched.
// The full scale (~59M rows, minutes of CPU and several GB of disk per engine) runs only when asked:
// `--scales tiny,default,full`. Prints a Markdown table; with --write it also replaces the section between the
// bench-scales markers in docs/PERFORMANCE.md.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  adminTargetOf,
  ENGINE_KINDS,
  loadConfig,
  SCALES,
  targetOf,
  type DbTarget,
  type EngineKind,
  type LabConfig,
  type Scale,
} from '../src/config';
import { connectSql } from '../src/db';
import { engineDefinition } from '../src/db/engines';
import { LabError } from '../src/errors';
import { benchUserFacingQueries, type UserFacingComparison } from '../src/experiments/user-facing-bench';
import { clearLabKeys, connectValkey, valkeyServerInfo } from '../src/valkey';
import { loadDataset } from '../datasets';
import { runMain, step } from './lib/cli';

const ROOT = path.resolve(__dirname, '..');
const DOC = path.join(ROOT, 'docs', 'PERFORMANCE.md');
const START = '<!-- bench-scales:start -->';
const END = '<!-- bench-scales:end -->';

interface Measured {
  engine: EngineKind;
  server: string;
  cache: string;
  scale: Scale;
  bookings: number;
  results: UserFacingComparison[];
}

function scaleDatabase(database: string, scale: Scale): string {
  return `${database}_scale_${scale}`;
}

function configFor(base: LabConfig, scale: Scale): LabConfig {
  const url = (scheme: string, t: DbTarget) =>
    `${scheme}://${encodeURIComponent(t.user)}${t.password ? `:${encodeURIComponent(t.password)}` : ''}@${t.host}:${t.port}/${scaleDatabase(t.database, scale)}`;
  return loadConfig({
    env: {
      ...process.env,
      MYSQL_URL: url('mysql', base.mysql),
      PG_URL: url('postgres', base.postgres),
      LAB_SCALE: scale,
    },
  });
}

/** Creates the scale's database (idempotent) and grants it to the lab user, as set-up does for the lab's own. */
async function provision(base: LabConfig, engine: EngineKind, scale: Scale): Promise<void> {
  const lab = targetOf(base, engine);
  await engineDefinition(engine).provision(adminTargetOf(base, engine), lab, [scaleDatabase(lab.database, scale)]);
}

function list<T extends string>(text: string, allowed: readonly T[], what: string): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new LabError({ what: `Unknown ${what} "${item}"`, fix: `Use one or more of ${allowed.join(', ')}.` });
    }
  }
  return items as T[];
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 3 : n < 100 ? 2 : 1 });
const ratio = (n: number) => `${n.toLocaleString('en-US', { maximumSignificantDigits: 3 })}×`;

function markdown(measured: readonly Measured[], iterations: number): string {
  const lines = [
    '| engine | scale | bookings | query | database p50 / p95 / p99 (ms) | cache p50 / p95 / p99 (ms) | speedup p50 |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const m of measured) {
    for (const r of m.results) {
      lines.push(
        `| ${m.server} | ${m.scale} | ${m.bookings.toLocaleString('en-US')} | ${r.query} | ` +
          `${fmt(r.database.p50)} / ${fmt(r.database.p95)} / ${fmt(r.database.p99)} | ` +
          `${fmt(r.cache.p50)} / ${fmt(r.cache.p95)} / ${fmt(r.cache.p99)} | ${ratio(r.comparison.speedup.p50)} |`,
      );
    }
  }
  const cache = measured[0]?.cache ?? 'Valkey';
  return [
    START,
    '',
    `Measured with \`npm run bench:scales\` (${cache}; ${iterations} interleaved runs per side after a warm-up of 10,`,
    'the database query against the cache hit an application makes instead — `GET` and JSON parsing, or for seats',
    'the counters read with their consistency check).',
    '',
    ...lines,
    '',
    END,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: 'tiny,default' },
      engines: { type: 'string', default: ENGINE_KINDS.join(',') },
      iterations: { type: 'string', default: '100' },
      write: { type: 'boolean', default: false },
    },
  });
  const scales = list(values.scales!, SCALES, 'scale');
  const engines = list(values.engines!, ENGINE_KINDS, 'engine');
  const iterations = Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 10) {
    throw new LabError({ what: `--iterations ${values.iterations} is too few`, fix: 'Give 10 or more.' });
  }
  const base = loadConfig();
  const measured: Measured[] = [];
  for (const scale of scales) {
    const config = configFor(base, scale);
    for (const engine of engines) {
      await step(`${engine}: ${scale} scale database`, async () => {
        await provision(base, engine, scale);
        const sql = await connectSql(config, engine);
        try {
          const summary = await loadDataset(sql, { scale, seed: config.dataset.seed });
          return summary.skipped ? 'already loaded' : `loaded ${summary.rows.toLocaleString('en-US')} rows`;
        } finally {
          await sql.close();
        }
      });
      await step(`${engine}: ${scale} scale, database vs cache`, async () => {
        const sql = await connectSql(config, engine);
        const valkey = await connectValkey(config);
        const namespace = `bench:${engine}:${scale}:`;
        try {
          const server = (await sql.serverInfo()).label;
          const cache = (await valkeyServerInfo(valkey)).label;
          const { rows } = await sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM booking');
          const results = await benchUserFacingQueries(sql, valkey, {
            namespace,
            now: config.clock,
            iterations,
            warmup: 10,
          });
          measured.push({ engine, server, cache, scale, bookings: Number(rows[0]!.n), results });
          return results.map((r) => `${r.query} ${ratio(r.comparison.speedup.p50)}`).join(', ');
        } finally {
          await clearLabKeys(valkey, `${namespace}*`);
          valkey.disconnect();
          await sql.close();
        }
      });
    }
  }
  const table = markdown(measured, iterations);
  console.log(`\n${table}`);
  if (values.write) {
    const doc = await readFile(DOC, 'utf8');
    const at = doc.indexOf(START);
    const end = doc.indexOf(END);
    const section = '\n## How the user-facing queries grow with the data\n\n';
    const next =
      at >= 0 && end > at
        ? doc.slice(0, at) + table + doc.slice(end + END.length)
        : `${doc.trimEnd()}\n${section}${table}\n`;
    // Formatted as the repository formats Markdown, so `npm run format:check` stays clean after a run.
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DOC)) ?? {};
    await writeFile(DOC, await prettier.format(next, { ...options, filepath: DOC }));
    console.log(`\nWrote the table into ${path.relative(ROOT, DOC)}.`);
  }
}

runMain(main);
