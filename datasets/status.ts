// The loader's record of what it loaded: created, marked loading, marked loaded. Reading it is src/dataset-status.ts.

import type { SqlEngine } from '../src/db/engine';
import { engineDefinition } from '../src/db/engines';
import type { EngineKind } from '../src/db/kinds';
import { DATASET_NAME, METADATA, METADATA_COLUMNS, METADATA_TABLE } from '../src/dataset-status';

export {
  DATASET_NAME,
  METADATA_TABLE,
  countRows,
  datasetStatus,
  type DatasetState,
  type DatasetStatus,
} from '../src/dataset-status';

export function metadataTableSql(kind: EngineKind): string {
  return engineDefinition(kind).ddl.createTable(METADATA, { ifNotExists: true });
}

/** Records that a load has started: until `markLoaded` runs, the dataset reads as interrupted. */
export async function markLoading(
  engine: SqlEngine,
  values: { scale: string; seed: number; generatorVersion: string; startedAt: string },
): Promise<void> {
  const upsert = engineDefinition(engine.kind).ddl.upsert(METADATA_TABLE, ['dataset'], METADATA_COLUMNS);
  await engine.query(upsert, [
    DATASET_NAME,
    'loading',
    values.generatorVersion,
    values.scale,
    values.seed,
    values.startedAt,
    null,
    null,
  ]);
}

/** Records that every table is loaded and indexed, with the row counts. */
export async function markLoaded(engine: SqlEngine, loadedAt: string, counts: Record<string, number>): Promise<void> {
  const p = (n: number) => engine.dialect.param(n);
  const { affectedRows } = await engine.query(
    `UPDATE ${METADATA_TABLE} SET state = 'loaded', loaded_at = ${p(1)}, row_counts = ${p(2)} WHERE dataset = ${p(3)} AND state = 'loading'`,
    [loadedAt, JSON.stringify(counts), DATASET_NAME],
  );
  if (affectedRows !== 1) throw new Error(`The ${METADATA_TABLE} record changed while loading at ${engine.where}.`);
}
