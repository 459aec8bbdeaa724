// The write-behind worker as a process of its own, so a drill can really kill it: it applies stream entries to
// the database and prints one JSON line per event.
//
//   npx tsx src/patterns/write-behind-worker-process.ts --stream KEY --run-id ID [--engine mysql|postgres] [--group NAME]
//        [--consumer NAME] [--dead-letter KEY] [--claim-idle-ms N] [--hold-after-commit N]
//        [--hold-before-apply N] [--hold-on-claim]
//
// --hold-after-commit N: after its N-th commit the worker prints {"kind":"holding"} and waits, without
// acknowledging, until it is killed (the drill's way to kill it between a commit and its acknowledgement).
// --hold-before-apply N: the same, just before it applies its N-th entry (nothing of it committed yet).
// --hold-on-claim: the same, right after it claimed another consumer's stale entries, before applying the first.
// SIGTERM stops it after the current round.

import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectSql } from '../db';
import { LabError, errorMessage } from '../errors';
import { createWriteBehindWorker, type StreamEntry, type WorkerEvent } from './write-behind';
import { applyWrittenBehind, ensurePart4Tables, openTransactionSession } from '../queries/records-and-writes';
import { connectValkey } from '../valkey';
import { engineFlag, wholeNumberFlag } from '../flags';

const USAGE =
  'Usage: npx tsx src/patterns/write-behind-worker-process.ts --stream KEY --run-id ID [--engine mysql|postgres] [--group NAME] [--consumer NAME] [--dead-letter KEY] [--claim-idle-ms N] [--hold-after-commit N] [--hold-before-apply N] [--hold-on-claim]';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ t: Date.now(), pid: process.pid, ...event })}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      stream: { type: 'string' },
      'run-id': { type: 'string' },
      group: { type: 'string', default: 'appliers' },
      consumer: { type: 'string', default: 'worker-a' },
      'dead-letter': { type: 'string' },
      'claim-idle-ms': { type: 'string' },
      'hold-after-commit': { type: 'string' },
      'hold-before-apply': { type: 'string' },
      'hold-on-claim': { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const engine = engineFlag(values.engine, config.engine, USAGE);
  if (!values.stream || !values['run-id'])
    throw new LabError({ what: '--stream and --run-id are required', fix: USAGE });
  const stream = values.stream;
  const runId = values['run-id'];
  const holdAfter = wholeNumberFlag(values['hold-after-commit'], 'hold-after-commit', USAGE) ?? 0;
  const holdBefore = wholeNumberFlag(values['hold-before-apply'], 'hold-before-apply', USAGE) ?? 0;
  const holdOnClaim = values['hold-on-claim'] === true;
  const claimIdleMs = wholeNumberFlag(values['claim-idle-ms'], 'claim-idle-ms', USAGE) ?? 5_000;

  const sql = await connectSql(config, engine);
  const valkey = await connectValkey(config);
  await ensurePart4Tables(sql);
  const session = await openTransactionSession(sql);
  let commits = 0;
  let attempts = 0;
  /** Says where it stopped and waits, without going on, until it is killed. */
  const hold = async (stage: string, entry: StreamEntry) => {
    say({ kind: 'holding', stage, id: entry.id, writeId: entry.writeId });
    await new Promise(() => undefined);
  };
  const stop = new AbortController();
  process.on('SIGTERM', () => stop.abort());
  process.on('SIGINT', () => stop.abort());

  const worker = createWriteBehindWorker(valkey, {
    stream,
    group: values.group,
    consumer: values.consumer,
    deadLetterStream: values['dead-letter'] ?? `${stream}:dead`,
    claimIdleMs,
    async beforeApply(entry, source) {
      attempts += 1;
      if (holdOnClaim && source === 'claimed') await hold('claimed', entry);
      if (holdBefore > 0 && attempts === holdBefore) await hold('before-apply', entry);
    },
    apply: (entry) =>
      applyWrittenBehind(session, {
        idempotencyKey: `${stream}/${entry.id}`,
        runId,
        writeId: entry.writeId,
        cacheKey: entry.key,
        value: entry.value,
      }),
    async afterCommit(entry, result) {
      if (result !== 'applied') return;
      commits += 1;
      // Committed, not acknowledged: wait here for the kill.
      if (holdAfter > 0 && commits === holdAfter) await hold('after-commit', entry);
    },
    onEvent: (event: WorkerEvent) => say({ ...event }),
  });

  const recovered = await worker.start();
  say({ kind: 'ready', consumer: values.consumer, recovered: recovered.recovered, claimed: recovered.claimed });
  await worker.run(stop.signal);
  await session.release();
  valkey.disconnect();
  await sql.close();
  say({ kind: 'stopped', ...worker.counts });
}

main().catch((error) => {
  say({ kind: 'error', reason: errorMessage(error) });
  process.exit(1);
});
