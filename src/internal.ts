// Set-up internals, for the project's scripts and tests (not for notebooks): `valkey-lab/internal` in dist.
// Everything notebooks use is in ./index; this entry adds servers the lab manages, provisioning,
// the engine registry and classes, bulk sessions, and the configuration's plumbing.

export * from './index';

// Configuration plumbing: where the project is, .env, the Valkey set-up manages
export {
  activeTarget,
  adminTargetOf,
  DEFAULTS,
  MANAGED_VALKEY_FILE,
  projectRoot,
  readDotEnv,
  readManagedValkey,
  targetOf,
  validateValkeyUrl,
  type ManagedValkey,
} from './config';
export { errorCode, errorMessage } from './errors';
export { ENGINE_KINDS, engineLabel, type DbTarget, type EngineKind, type LabConfig } from './config';

// The engine registry and what an engine is made of
export { connectSql } from './db';
export { engineDefinition, engineDefinitions } from './db/engines';
export { engineFacts, type EngineFacts } from './db/kinds';
export type { EngineDefinition } from './db/definition';
export type { Column, ColumnType, Ddl, ForeignKey, Index, KeyStatements, TableDefinition } from './db/ddl';
export type { NativeClient } from './db/native';
export type { SqlEngine } from './db/engine';
export { assertIdentifier, columnsFromDescribe, type BulkSession, type DescribeRow, type TextChunk } from './db/engine';
export { mysqlEngine, MysqlEngine } from './db/mysql';
export { postgresEngine, PostgresEngine } from './db/postgres';
export { provisionLabDatabase, testDatabaseName } from './db/provision';

// The dataset's record, as the loader writes it
export { countRows, DATASET_NAME, METADATA, METADATA_COLUMNS } from './dataset-status';

// Valkey servers set-up and tests start
export {
  binaryVersion,
  valkeyServerBinary,
  endChild,
  ensureManagedValkey,
  freePort,
  serverArgs,
  spawnOwnedValkey,
  waitUntilReady,
} from './valkey/server';
export { isAlive, own, OWNED_DIR, ownedPids, reapOrphans, startWorker, type OwnedRecord } from './valkey/processes';
export {
  LOCAL_CLUSTER_DIR,
  localClusterStatus,
  startLocalCluster,
  stopLocalCluster,
  type LocalClusterOptions,
  type LocalClusterStatus,
} from './valkey/cluster-server';
export { connectValkeyServer } from './valkey/client';
export { labKeysWithoutTtl } from './valkey/keys';
export {
  builtValkey,
  valkeyBinary,
  VALKEY_BUILD_DIR,
  VALKEY_TOOLS,
  type ValkeyBuild,
  type ValkeyTool,
} from './valkey/binaries';

// What the benchmark scripts drive: the guide's queries by name, codecs, pipelined workloads
export { GUIDE_QUERIES } from './queries';
export { msgpackRecordsCodec, type Codec } from './patterns';
export { runPipelined } from './measure';
