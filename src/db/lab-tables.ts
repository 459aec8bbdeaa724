// The lab's own tables beside the dataset (Part 4's write-through versions and write-behind rows), and the few
// statements about them that each engine words its own way. Each engine's half is src/db/<engine>/<engine>-lab-tables.ts.

export interface LabTables {
  /** CREATE TABLE IF NOT EXISTS for `airport_write_version`, `write_behind_applied` and `write_behind_row`. */
  create: readonly string[];
  /** Bumps an airport's version, inserting 1 the first time (`iata` is the one parameter). */
  upsertVersion: string;
  /**
   * What a transaction on a session of its own sets first: PostgreSQL's bulk session turns synchronous commit off
   * (fine for a reload, wrong for a write that must survive), and MariaDB's turns foreign-key checks off.
   */
  transactionSetup: string;
}
