// Set-up's database step: as an administrator, create the lab databases and the lab user on one engine.

import { adminTargetOf, targetOf, type LabConfig } from '../config';
import { engineDefinition } from './engines';
import type { EngineKind } from './kinds';

/** The database the tests use, beside the notebooks' one, so tests never touch the notebooks' data. */
export function testDatabaseName(database: string): string {
  return `${database}_test`;
}

/** Creates (idempotently) the lab database, its test twin and the lab user on `engine`. */
export async function provisionLabDatabase(config: LabConfig, engine: EngineKind): Promise<string[]> {
  const lab = targetOf(config, engine);
  const databases = [lab.database, testDatabaseName(lab.database)];
  await engineDefinition(engine).provision(adminTargetOf(config, engine), lab, databases);
  return databases;
}
