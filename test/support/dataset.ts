// Tests that query the guide's tables share one tiny dataset in the test databases, loaded when missing.

import { loadDataset } from '../../datasets';
import type { SqlEngine } from '../../src/db';
import { testConfig } from './lab';

/** Makes sure `engine`'s test database holds the tiny dataset (the loader does nothing when it already does). */
export async function ensureTinyDataset(engine: SqlEngine): Promise<void> {
  await loadDataset(engine, { scale: 'tiny', seed: testConfig().dataset.seed });
}
