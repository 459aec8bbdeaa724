// The lab's own tables on MariaDB/MySQL (see ../lab-tables.ts).

import type { LabTables } from '../lab-tables';

export const mysqlLabTables: LabTables = {
  create: [
    `CREATE TABLE IF NOT EXISTS airport_write_version (
  iata CHAR(3) NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
) ENGINE=InnoDB`,
    `CREATE TABLE IF NOT EXISTS write_behind_applied (
  idempotency_key VARCHAR(200) NOT NULL PRIMARY KEY,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB`,
    `CREATE TABLE IF NOT EXISTS write_behind_row (
  row_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  run_id VARCHAR(64) NOT NULL,
  write_id VARCHAR(100) NOT NULL,
  cache_key VARCHAR(200) NOT NULL,
  value TEXT NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY write_behind_row_run_idx (run_id, write_id)
) ENGINE=InnoDB`,
  ],
  upsertVersion:
    'INSERT INTO airport_write_version (iata, version) VALUES (?, 1) ON DUPLICATE KEY UPDATE version = version + 1',
  transactionSetup: 'SET SESSION foreign_key_checks = 1',
};
