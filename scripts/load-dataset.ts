// Loads the FlughafenDB dataset into MariaDB/MySQL and/or PostgreSQL, with a progress bar per table.
//
//   npx tsx scripts/load-dataset.ts [--engine mysql|postgres|both] [--scale tiny|default|full] [--seed N]
//                                   [--force] [--status] [--json] [--connections N]
//
// Defaults come from the lab configuration (LAB_DB, LAB_SCALE, LAB_SEED; .env). Exit code 1 on failure.

import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import {
  ENGINE_KINDS,
  LabError,
  connectSql,
  engineLabel,
  errorMessage,
  loadConfig,
  type EngineKind,
} from '../src/internal';
import { datasetStatus, loadDataset, scaleDefinition, type LoadProgress, type LoadSummary } from '../datasets';

const USAGE =
  'Usage: npx tsx scripts/load-dataset.ts [--engine mysql|postgres|both] [--scale tiny|default|full] [--seed N] [--force] [--status] [--json] [--connections N]';

interface Options {
  engines: EngineKind[];
  scale: string;
  seed: number;
  force: boolean;
  statusOnly: boolean;
  json: boolean;
  connections: number;
}

function parseOptions(): Options {
  const config = loadConfig();
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        engine: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        force: { type: 'boolean', default: false },
        status: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        connections: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new LabError({ what: errorMessage(error).replace(/\.$/, ''), fix: USAGE });
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const engine = values.engine ?? config.engine;
  if (engine !== 'both' && !(ENGINE_KINDS as readonly string[]).includes(engine)) {
    throw new LabError({ what: `--engine "${engine}" is not mysql, postgres or both`, fix: USAGE });
  }
  const scale = values.scale ?? config.dataset.scale;
  scaleDefinition(scale);
  const seedText = values.seed ?? String(config.dataset.seed);
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) {
    throw new LabError({
      what: `--seed "${seedText}" is not a whole number ≥ 0`,
      fix: 'Use an integer such as 20251215.',
    });
  }
  const connections = Number(values.connections ?? 2);
  if (!Number.isInteger(connections) || connections < 1 || connections > 8) {
    throw new LabError({ what: `--connections "${values.connections}" is not a number from 1 to 8`, fix: USAGE });
  }
  return {
    engines: engine === 'both' ? [...ENGINE_KINDS] : [engine as EngineKind],
    scale,
    seed: Number(seedText),
    force: values.force,
    statusOnly: values.status,
    json: values.json,
    connections,
  };
}

/** Index builds quicker than this are not worth a line of output. */
const NOTEWORTHY_SECONDS = 0.5;

const number = (n: number) => Math.round(n).toLocaleString('en-US');

/** Progress on a terminal: one bar per table with its rows/s; elsewhere (CI logs) one line per finished step. */
function progressReporter(
  label: string,
  quiet: boolean,
): { onProgress: (event: LoadProgress) => void; stop: () => void } {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    return {
      onProgress: (event) => {
        if (event.kind === 'planned')
          console.error(
            `${label}: generating ${event.tables.length} tables (planned in ${event.seconds.toFixed(1)} s)`,
          );
        if (event.kind === 'table-loaded') {
          console.error(
            `${label}: ${event.table.padEnd(22)} ${number(event.rows).padStart(11)} rows in ${event.seconds.toFixed(1)} s (${number(event.rows / Math.max(event.seconds, 1e-3))} rows/s)`,
          );
        }
        if (event.kind === 'indexed' && event.seconds >= NOTEWORTHY_SECONDS)
          console.error(`${label}: ${event.table.padEnd(22)} keys and indexes in ${event.seconds.toFixed(1)} s`);
      },
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: `${label} {table} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | {duration}s`,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? number(value) : String(value)),
    },
    cliProgress.Presets.shades_classic,
  );
  const byTable = new Map<string, { bar: cliProgress.SingleBar; started: number }>();
  return {
    onProgress: (event) => {
      if (event.kind === 'planned') {
        for (const { table, rows } of event.tables) {
          byTable.set(table, {
            bar: bars.create(Math.max(rows, 1), 0, { table: table.padEnd(22), rate: '-' }),
            started: 0,
          });
        }
      } else if (event.kind === 'rows') {
        const entry = byTable.get(event.table)!;
        if (entry.started === 0) entry.started = performance.now();
        const elapsed = (performance.now() - entry.started) / 1000;
        entry.bar.update(event.loaded, { rate: elapsed > 0.05 ? number(event.loaded / elapsed) : '-' });
      } else if (event.kind === 'table-loaded') {
        byTable.get(event.table)!.bar.update(event.rows, { rate: number(event.rows / Math.max(event.seconds, 1e-3)) });
      } else if (event.kind === 'indexed' && event.seconds >= NOTEWORTHY_SECONDS) {
        bars.log(`${label}: ${event.table} keys and indexes built in ${event.seconds.toFixed(1)} s\n`);
      }
    },
    stop: () => bars.stop(),
  };
}

function printSummary(summary: LoadSummary): void {
  const label = engineLabel(summary.engine);
  if (summary.skipped) {
    console.log(
      `${label} at ${summary.where}: the ${summary.scale} dataset (seed ${summary.seed}) is already loaded; nothing to do (--force reloads).`,
    );
    return;
  }
  console.log(
    `${label} at ${summary.where}: loaded ${number(summary.rows)} rows (${summary.scale}, seed ${summary.seed}) in ${summary.totalSeconds.toFixed(1)} s ` +
      `(generate plan ${summary.planSeconds.toFixed(1)} s, load ${summary.loadSeconds.toFixed(1)} s, indexes ${summary.indexSeconds.toFixed(1)} s; ` +
      `${number(summary.rowsPerSecond)} rows/s overall).`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions();
  const config = loadConfig();
  const summaries: (LoadSummary & { peakRssMb: number })[] = [];
  for (const kind of options.engines) {
    const engine = await connectSql(config, kind);
    try {
      if (options.statusOnly) {
        const status = await datasetStatus(engine);
        console.log(
          options.json ? JSON.stringify(status) : `${kind} ${status.where}: ${status.state}. ${status.detail}`,
        );
        continue;
      }
      const reporter = progressReporter(kind.padEnd(Math.max(...ENGINE_KINDS.map((k) => k.length))), options.json);
      try {
        const summary = await loadDataset(engine, {
          scale: options.scale,
          seed: options.seed,
          force: options.force,
          connections: options.connections,
          onProgress: reporter.onProgress,
        });
        reporter.stop();
        summaries.push({ ...summary, peakRssMb: process.resourceUsage().maxRSS / 1024 });
        if (!options.json) printSummary(summary);
      } finally {
        reporter.stop();
      }
    } finally {
      await engine.close();
    }
  }
  if (options.json && !options.statusOnly) console.log(JSON.stringify(summaries));
}

main().catch((error: unknown) => {
  console.error(error instanceof LabError ? error.message : `Loading the dataset failed: ${errorMessage(error)}`);
  process.exit(1);
});
