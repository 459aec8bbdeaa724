// The worker of "Your turn 4.2" as a process of its own, so the grader can really SIGKILL it: it runs the
// learner's handler on every entry of the stream (its own pending entries first, then new ones) and prints one
// JSON line per event. Started by gradeWriteBehindHandler; not meant to be run by hand.
//
//   node --import tsx src/exercises/write-behind-handler-worker.ts --handler FILE --stream KEY --group NAME
//        --consumer NAME --run-id ID [--hold before-commit|after-commit --at N]
//
// --hold STAGE --at N: at the N-th entry whose row the handler writes, print {"kind":"holding"} and wait to be
// killed: before that entry's transaction commits, or right after it committed.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectSql } from '../db';
import { errorMessage } from '../errors';
import { connectValkey } from '../valkey';
import { handlerTransaction, type HandleEntry, type HandlerEntry } from './write-behind-handler';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...event })}\n`);
}

type RawEntry = [string, string[] | null];

function toEntry([id, fields]: RawEntry): HandlerEntry | null {
  if (!fields) return null;
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return { id, key: map.key ?? '', value: map.value ?? '', writeId: map.write_id ?? '' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      handler: { type: 'string' },
      stream: { type: 'string' },
      group: { type: 'string' },
      consumer: { type: 'string' },
      'run-id': { type: 'string' },
      hold: { type: 'string' },
      at: { type: 'string' },
    },
  });
  const { handler: file, stream, group, consumer } = values;
  const runId = values['run-id'];
  if (!file || !stream || !group || !consumer || !runId) throw new Error('missing arguments');
  const holdAt = Number(values.at ?? 0);
  // The learner's function, compiled by the notebook: it may use only its parameters.
  const handle = new Function(`return (${readFileSync(file, 'utf8')});`)() as HandleEntry;

  const config = loadConfig();
  const sql = await connectSql(config, config.engine);
  const valkey = await connectValkey(config);
  let rowsWritten = 0;
  const hold = async (stage: string, entry: HandlerEntry) => {
    say({ kind: 'holding', stage, id: entry.id, writeId: entry.writeId });
    await new Promise(() => undefined);
  };
  const db = {
    async transaction<T>(work: (tx: ReturnType<typeof handlerTransaction>) => Promise<T>): Promise<T> {
      let wrote: HandlerEntry | undefined;
      const value = await sql.transaction(async (tx) => {
        const result = await work(handlerTransaction(sql, tx, { stream, runId }, (entry) => (wrote = entry)));
        if (wrote && rowsWritten + 1 === holdAt && values.hold === 'before-commit') await hold('before-commit', wrote);
        return result;
      });
      if (wrote) {
        rowsWritten += 1;
        if (rowsWritten === holdAt && values.hold === 'after-commit') await hold('after-commit', wrote);
      }
      return value;
    },
  };
  const acknowledger = {
    async ack(id: string) {
      await valkey.multi().xack(stream, group, id).xdel(stream, id).exec();
      say({ kind: 'acked', id });
    },
  };
  say({ kind: 'ready' });
  for (;;) {
    // Its own pending entries first (delivered before a kill, never acknowledged), then new ones.
    let reply = (await valkey.xreadgroup('GROUP', group, consumer, 'COUNT', 10, 'STREAMS', stream, '0')) as Array<
      [string, RawEntry[]]
    > | null;
    if (!reply?.[0]?.[1]?.length)
      reply = (await valkey.xreadgroup(
        'GROUP',
        group,
        consumer,
        'COUNT',
        10,
        'BLOCK',
        200,
        'STREAMS',
        stream,
        '>',
      )) as Array<[string, RawEntry[]]> | null;
    for (const raw of reply?.[0]?.[1] ?? []) {
      const entry = toEntry(raw);
      if (!entry) continue;
      try {
        await handle(entry, db, acknowledger);
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        say({ kind: 'error', id: entry.id, reason: `${name}: ${errorMessage(error)}` });
        process.exit(2);
      }
    }
  }
}

main().catch((error) => {
  say({ kind: 'error', reason: errorMessage(error) });
  process.exit(1);
});
