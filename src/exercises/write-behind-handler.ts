// What "Your turn 4.2" hands the learner's handler: one stream entry, a database whose transactions can record
// the entry's row and its id, and the stream to acknowledge on. The grader's worker process builds them on the
// real servers; the grader's dry run builds them in memory.

import type { SqlEngine, Transaction } from '../db/engine';

/** One write taken off the stream. */
export interface HandlerEntry {
  /** The entry's id on the stream: what `ack` and the idempotency record name. */
  id: string;
  key: string;
  value: string;
  writeId: string;
}

/** The statements a handler may run inside a transaction. */
export interface HandlerTransaction {
  /** True when this entry's id was recorded as applied by a transaction that committed. */
  alreadyApplied(id: string): Promise<boolean>;
  /** Records the entry's id as applied (a unique key: recording it twice fails). */
  markApplied(id: string): Promise<void>;
  /** Writes the entry's row (the write the cache took, now for good). */
  insertRow(entry: HandlerEntry): Promise<void>;
}

export interface HandlerDatabase {
  /** Runs `work` as one transaction: everything it wrote commits together, or none of it. */
  transaction<T>(work: (tx: HandlerTransaction) => Promise<T>): Promise<T>;
}

export interface HandlerStream {
  /** Acknowledges the entry (XACK, and XDEL: the stream keeps only what is not yet applied). */
  ack(id: string): Promise<void>;
}

/** The learner's step of the worker's loop: apply one entry to the database and acknowledge it. */
export type HandleEntry = (entry: HandlerEntry, db: HandlerDatabase, stream: HandlerStream) => Promise<void>;

/** The id a stream entry is recorded under in `write_behind_applied`: the stream's name and the entry's id. */
export function idempotencyKey(stream: string, id: string): string {
  return `${stream}/${id}`;
}

/** The transaction's statements on a real database, in Part 4's write-behind tables. */
export function handlerTransaction(
  sql: SqlEngine,
  tx: Transaction,
  run: { stream: string; runId: string },
  onRow: (entry: HandlerEntry) => void = () => undefined,
): HandlerTransaction {
  const p = sql.dialect.param;
  return {
    async alreadyApplied(id) {
      const { rows } = await tx.query(`SELECT 1 AS found FROM write_behind_applied WHERE idempotency_key = ${p(1)}`, [
        idempotencyKey(run.stream, id),
      ]);
      return rows.length > 0;
    },
    async markApplied(id) {
      await tx.query(`INSERT INTO write_behind_applied (idempotency_key) VALUES (${p(1)})`, [
        idempotencyKey(run.stream, id),
      ]);
    },
    async insertRow(entry) {
      await tx.query(
        `INSERT INTO write_behind_row (run_id, write_id, cache_key, value) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
        [run.runId, entry.writeId, entry.key, entry.value],
      );
      onRow(entry);
    },
  };
}
