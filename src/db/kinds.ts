// The engines the lab knows, as plain facts (no drivers loaded): enough to read a URL and name a server.

import { mysqlFacts } from './mysql/mysql-facts';
import { postgresFacts } from './postgres/postgres-facts';

export type EngineKind = 'mysql' | 'postgres';

/** What an engine is before anything connects: its name in messages, its URLs and its settings. */
export interface EngineFacts {
  kind: EngineKind;
  /** How messages name it: `MariaDB/MySQL`, `PostgreSQL`. */
  label: string;
  /** URL schemes its settings accept, with the colon: `mysql:`, `postgres:`... */
  urlSchemes: readonly string[];
  defaultPort: number;
  /** The setting that holds the lab user's URL (MYSQL_URL, PG_URL). */
  urlVariable: string;
  /** The setting that holds the administrator's URL, used only by set-up. */
  adminUrlVariable: string;
}

const FACTS: Record<EngineKind, EngineFacts> = { mysql: mysqlFacts, postgres: postgresFacts };

export const ENGINE_KINDS: readonly EngineKind[] = Object.keys(FACTS) as EngineKind[];

/** The facts of one engine. */
export function engineFacts(kind: EngineKind): EngineFacts {
  return FACTS[kind];
}

/** How messages name an engine: `MariaDB/MySQL` or `PostgreSQL`. */
export function engineLabel(kind: EngineKind): string {
  return FACTS[kind].label;
}
