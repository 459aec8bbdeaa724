// What an engine's profiler says a query cost on the server: the part of experiments/profiling.ts each engine
// answers its own way (src/db/<engine>/<engine>-profile.ts).

import type { SqlEngine } from './engine';
import type { ExplainResult } from './explain';

export interface ServerFigures {
  /** The statement that produced the figures (ANALYZE FORMAT=JSON or EXPLAIN (ANALYZE, BUFFERS ...)). */
  statement: string;
  /** Execution time as the server measured it, in ms (no network, no driver). */
  serverMs: number;
  /** Planning time, where the engine reports it apart (PostgreSQL). */
  planningMs?: number;
  /** PostgreSQL: 8 kB pages found in its buffer cache, and read from the OS / disk. */
  sharedHitBlocks?: number;
  sharedReadBlocks?: number;
}

/** The server's figures for a query whose analyzed plan is `explain` (the query has run once already). */
export type ServerProfiler = (
  engine: SqlEngine,
  sql: string,
  params: readonly unknown[],
  explain: ExplainResult,
) => Promise<ServerFigures>;

/** A number at `key` of a JSON object, or undefined. */
export function numberAt(value: unknown, key: string): number | undefined {
  if (value && typeof value === 'object' && key in value) {
    const found = (value as Record<string, unknown>)[key];
    return typeof found === 'number' ? found : undefined;
  }
  return undefined;
}
