// The guide's queries for notebooks: pick an engine's text, bind the guide's values (or yours), run it.

import type { EngineKind } from '../config';
import type { QueryResult, Row, SqlEngine } from '../db/engine';
import type { GuideQuery, QueryValue } from './guide-queries';

export * from './guide-queries';

/** The query's text for an engine: the guide's MariaDB/MySQL SQL, or its PostgreSQL equivalent. */
export function sqlFor<P extends Record<string, QueryValue>>(query: GuideQuery<P>, engine: EngineKind): string {
  return engine === 'mysql' ? query.mysql.sql : query.postgres.sql;
}

function bindable(value: QueryValue): unknown[] {
  if (value instanceof Date) return [value.toISOString().slice(0, 19).replace('T', ' ')];
  if (Array.isArray(value)) return [...value];
  return [value as string | number];
}

/** The positional parameters for an engine's text: the guide's defaults, overridden by `values`. */
export function paramsFor<P extends Record<string, QueryValue>>(
  query: GuideQuery<P>,
  engine: EngineKind,
  values: Partial<P> = {},
): unknown[] {
  const text = engine === 'mysql' ? query.mysql : query.postgres;
  const merged = { ...query.defaults, ...values } as P;
  const params = text.params.flatMap((name) => {
    const value = merged[name];
    if (value === undefined) throw new Error(`${query.name} needs a value for "${name}".`);
    return bindable(value);
  });
  const expected =
    engine === 'mysql'
      ? (text.sql.match(/\?/g) ?? []).length
      : Math.max(0, ...[...text.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  if (params.length !== expected) {
    throw new Error(
      `${query.name} takes ${expected} parameter(s) on ${engine}, got ${params.length} (check the list values).`,
    );
  }
  return params;
}

/** The text and bound values, ready for `engine.query(sql, params)` or `engine.explain(sql, params)`. */
export function prepareGuideQuery<P extends Record<string, QueryValue>>(
  query: GuideQuery<P>,
  engine: EngineKind,
  values: Partial<P> = {},
): { sql: string; params: unknown[] } {
  return { sql: sqlFor(query, engine), params: paramsFor(query, engine, values) };
}

/** Runs a guide query on `engine` with the guide's values, or `values` where given. */
export function runGuideQuery<P extends Record<string, QueryValue>, R = Row>(
  engine: SqlEngine,
  query: GuideQuery<P>,
  values: Partial<P> = {},
): Promise<QueryResult<R>> {
  const { sql, params } = prepareGuideQuery(query, engine.kind, values);
  return engine.query<R>(sql, params);
}
export * from './part5-profiling';
