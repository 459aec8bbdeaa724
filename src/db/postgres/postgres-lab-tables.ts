// The lab's own tables on PostgreSQL (see ../lab-tables.ts).

import type { LabTables } from '../lab-tables';

export const postgresLabTables: LabTables = {
  create: [
    `CREATE TABLE IF NOT EXISTS airport_write_version (
  iata char(3) PRIMARY KEY,
  version bigint NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS write_behind_applied (
  idempotency_key varchar(200) PRIMARY KEY,
  applied_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
)`,
    `CREATE TABLE IF NOT EXISTS write_behind_row (
  row_id bigserial PRIMARY KEY,
  run_id varchar(64) NOT NULL,
  write_id varchar(100) NOT NULL,
  cache_key varchar(200) NOT NULL,
  value text NOT NULL,
  applied_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
)`,
    `CREATE INDEX IF NOT EXISTS write_behind_row_run_idx ON write_behind_row (run_id, write_id)`,
  ],
  upsertVersion:
    'INSERT INTO airport_write_version (iata, version) VALUES ($1, 1) ON CONFLICT (iata) DO UPDATE SET version = airport_write_version.version + 1',
  transactionSetup: 'SET synchronous_commit = on',
};
