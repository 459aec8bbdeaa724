// The write-behind crash drill: sends N writes through the cache and its stream, SIGKILLs the worker process
// every K applied writes (half the time right between a commit and its acknowledgement), restarts it, waits
// for the stream to drain, then counts from the database what arrived.
//
//   npm run write-behind -- --writes N --kill-every K [--engine mysql|postgres] [--timeline FILE] [--keep]
//
// The last line is computed from the database: `writes N · applied N · lost 0 · applied twice 0`.
// Exit code 0 only when every write was applied exactly once (and the drill did kill the worker).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectSql } from '../db';
import { LabError, errorMessage } from '../errors';
import { engineFlag, wholeNumberFlag } from '../flags';
import { createWriteBehind, ensureConsumerGroup, streamBacklog } from './write-behind';
import type { DrillSummary, DrillTimelinePoint } from './write-behind-drill';
import { clearWriteBehindRun, ensurePart4Tables, writeBehindTally } from '../queries/records-and-writes';
import { clearLabKeys, connectValkey } from '../valkey';
import { startWorker as launch, type Worker } from '../valkey/processes';

const USAGE =
  'Usage: npm run write-behind -- --writes N --kill-every K [--engine mysql|postgres] [--timeline FILE] [--keep]';

/** Writes in flight at once while sending. */
const SEND_CONCURRENCY = 20;
/** The restarted worker claims another consumer's entries once they have been idle this long. */
const CLAIM_IDLE_MS = 500;
/** The drill fails when no worker has said anything for this long. */
const STALL_MS = 90_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      writes: { type: 'string' },
      'kill-every': { type: 'string' },
      engine: { type: 'string' },
      timeline: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const engine = engineFlag(values.engine, config.engine, USAGE);
  const writes = wholeNumberFlag(values.writes, 'writes', USAGE, 1) ?? 1000;
  const killEvery = wholeNumberFlag(values['kill-every'], 'kill-every', USAGE, 1) ?? 100;
  if (killEvery >= writes) {
    throw new LabError({
      what: `--kill-every ${killEvery} is not below --writes ${writes}, so no kill would happen`,
      fix: USAGE,
    });
  }

  const runId = `drill-${engine}-${Date.now().toString(36)}`;
  const tag = `wb:{${runId}}`; // one hash tag: the stream and its keys live in one slot on a cluster too
  const stream = `${tag}:stream`;
  const deadLetters = `${tag}:dead`;
  const sql = await connectSql(config, engine);
  const valkey = await connectValkey(config);
  await ensurePart4Tables(sql);
  await ensureConsumerGroup(valkey, stream, 'appliers');

  const started = Date.now();
  const timeline: DrillTimelinePoint[] = [];
  const note = (kind: DrillTimelinePoint['kind'], instance: number, extra: Partial<DrillTimelinePoint> = {}) =>
    timeline.push({ ms: Date.now() - started, kind, instance, ...extra });
  let worker: Worker | undefined;
  let instance = 0;
  let kills = 0;
  let killsAfterCommit = 0;
  let duplicates = 0;
  let recovered = 0;
  let claimed = 0;
  let appliedEvents = 0;
  let finished = false;
  let lastProgress = Date.now();
  let workerErrors = 0;

  const workerScript = path.join('src', 'patterns', 'write-behind-worker-process.ts');
  const killWorker = (signal: NodeJS.Signals) => {
    if (worker) void worker.kill(signal); // sends the signal at once; a worker that has ended is left alone
  };
  process.on('exit', () => killWorker('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killWorker('SIGKILL');
      process.exit(1);
    });
  }

  const maxStarts = 2 * Math.ceil(writes / killEvery) + 10;
  const startWorker = () => {
    instance += 1;
    const me = instance;
    // Every other start holds still right after a commit, so the kill lands between the commit and the
    // acknowledgement; the next start keeps the name (and takes back its own pending entries), the one after
    // that switches names (and claims the dead worker's entries with XAUTOCLAIM): a a b b a a ...
    const holds = me % 2 === 1;
    const args = [
      '--engine',
      engine,
      '--stream',
      stream,
      '--run-id',
      runId,
      '--consumer',
      Math.floor((me - 1) / 2) % 2 === 0 ? 'worker-a' : 'worker-b',
      '--dead-letter',
      deadLetters,
      '--claim-idle-ms',
      String(CLAIM_IDLE_MS),
      ...(holds ? ['--hold-after-commit', String(killEvery)] : []),
    ];
    note('start', me);
    let appliedHere = 0;
    const child: Worker = launch(workerScript, args, {
      onLine: (line, from) => (from === 'stdout' ? onEvent(line) : console.error(line)),
    });
    worker = child;
    function onEvent(line: string) {
      let event: { kind?: string; count?: number };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        return;
      }
      lastProgress = Date.now();
      if (event.kind === 'applied') {
        appliedEvents += 1;
        appliedHere += 1;
        note('applied', me, { applied: appliedEvents });
        if (!holds && appliedHere === killEvery && !finished) {
          kills += 1;
          note('kill', me);
          void child.kill('SIGKILL');
        }
      } else if (event.kind === 'holding' && !finished) {
        kills += 1;
        killsAfterCommit += 1;
        note('kill-after-commit', me);
        void child.kill('SIGKILL');
      } else if (event.kind === 'duplicate') {
        duplicates += 1;
        note('duplicate', me);
      } else if (event.kind === 'error') {
        workerErrors += 1;
        console.error(`worker ${me} failed: ${(event as { reason?: string }).reason ?? 'no reason given'}`);
      } else if (event.kind === 'recovered') recovered += event.count ?? 0;
      else if (event.kind === 'claimed') claimed += event.count ?? 0;
    }
    void child.exited.then(() => {
      // A worker that keeps dying on its own (not by our hand) would otherwise be restarted for ever.
      if (!finished && instance < maxStarts) startWorker();
    });
  };

  startWorker();

  // Send the writes while the worker runs, a few at a time.
  const writeBehind = createWriteBehind(valkey, { stream, ttlSeconds: 600 });
  let next = 0;
  await Promise.all(
    Array.from({ length: SEND_CONCURRENCY }, async () => {
      while (next < writes) {
        const seq = next++;
        await writeBehind.write(`${tag}:item:${seq}`, JSON.stringify({ seq, at: Date.now() }), `${runId}:${seq}`);
      }
    }),
  );
  note('sent', instance);

  // Restarts are slow on a busy machine, so the drill gives up only when nothing has moved for a while.
  while ((await streamBacklog(valkey, stream)) > 0) {
    if (Date.now() - lastProgress > STALL_MS) {
      throw new LabError({
        what: `The stream ${stream} stopped draining: no worker reported anything for ${STALL_MS / 1000} s`,
        fix: 'Look at the worker lines above.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  finished = true;
  note('drained', instance);
  await stopWorker(worker);

  const tally = await writeBehindTally(sql, runId);
  const deadLettered = await valkey.xlen(deadLetters);
  const summary: DrillSummary = {
    engine,
    runId,
    writes,
    killEvery,
    applied: tally.applied,
    lost: writes - tally.applied,
    appliedTwice: tally.appliedTwice,
    rows: tally.rows,
    deadLettered,
    kills,
    killsAfterCommit,
    workerStarts: instance,
    duplicatesSkipped: duplicates,
    recovered,
    claimed,
    elapsedMs: Date.now() - started,
    timeline,
    line: `writes ${writes} · applied ${tally.applied} · lost ${writes - tally.applied} · applied twice ${tally.appliedTwice}`,
  };
  if (values.timeline) writeFileSync(values.timeline, JSON.stringify(summary));
  if (!values.keep) {
    await clearWriteBehindRun(sql, runId, stream);
    await clearLabKeys(valkey, `${tag}:*`);
  }
  valkey.disconnect();
  await sql.close();

  console.log(
    `${engine}: ${instance} worker starts, ${kills} SIGKILLs (${killsAfterCommit} between commit and acknowledgement), ` +
      `${duplicates} redelivered entries recognised as applied, ${recovered} taken back, ${claimed} claimed, ` +
      `${deadLettered} dead-lettered, ${workerErrors} worker failures, ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  );
  console.log(summary.line);
  const ok = summary.lost === 0 && summary.appliedTwice === 0 && summary.applied === writes && deadLettered === 0;
  return ok && killsAfterCommit > 0 ? 0 : 1;
}

async function stopWorker(worker: Worker | undefined): Promise<void> {
  if (!worker) return;
  const timer = setTimeout(() => void worker.kill('SIGKILL'), 3_000);
  await worker.kill('SIGTERM');
  clearTimeout(timer);
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(errorMessage(error));
    process.exit(1);
  });
