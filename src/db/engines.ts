// The engine registry: callers look an engine up by kind instead of branching on its name.

import type { EngineDefinition } from './definition';
import type { EngineKind } from './kinds';
import { mysqlEngine } from './mysql';
import { postgresEngine } from './postgres';

const ENGINES: Record<EngineKind, EngineDefinition> = { mysql: mysqlEngine, postgres: postgresEngine };

/** Everything the lab knows of one engine: connect, provision, dialect, DDL, its client. */
export function engineDefinition(kind: EngineKind): EngineDefinition {
  return ENGINES[kind];
}

/** Every engine the lab supports, in a stable order. */
export function engineDefinitions(): EngineDefinition[] {
  return Object.values(ENGINES);
}
