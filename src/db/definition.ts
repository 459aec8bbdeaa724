// What an engine is, in one object: each src/db/<engine>/index.ts exports one, src/db/engines.ts looks them up.

import type { DbTarget } from '../config';
import type { Ddl } from './ddl';
import type { Dialect, SqlEngine } from './engine';
import type { EngineFacts } from './kinds';
import type { LabTables } from './lab-tables';
import type { NativeClient } from './native';
import type { ServerProfiler } from './profile';

export interface EngineDefinition extends EngineFacts {
  /** Connects to `target` and proves the connection works; `urlVariable` names the setting in errors. */
  connect(target: DbTarget, urlVariable?: string): Promise<SqlEngine>;
  /**
   * Set-up only: connects as the administrator at `admin` and creates (idempotently) `databases` and
   * the least-privilege lab user of `lab`, with its password.
   */
  provision(admin: DbTarget, lab: DbTarget, databases: readonly string[]): Promise<void>;
  /** Where its SQL differs. */
  dialect: Dialect;
  /** Its DDL for a table definition. */
  ddl: Ddl;
  /** Its own command-line client. */
  nativeClient(target: DbTarget): NativeClient;
  /** The lab's own tables beside the dataset, in its words. */
  labTables: LabTables;
  /** What its profiler says a query cost on the server. */
  serverFigures: ServerProfiler;
}
