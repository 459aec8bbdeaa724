// What a guide query is: the MariaDB/MySQL text with bound parameters, its PostgreSQL equivalent, the guide's values.

import { DEFAULTS } from '../config';

/** A value a query takes: text, a number, a list (expands to one placeholder per item) or a time. */
export type QueryValue = string | number | readonly string[] | Date;

/** One engine's text and which named parameter each placeholder binds, in order (`?` ... or `$1` ...). */
export interface QueryText<P> {
  sql: string;
  params: readonly (keyof P & string)[];
}

/** The guide's query, one text per engine; the keys `mysql` and `postgres` are the engines' kinds. */
export interface GuideQuery<P extends Record<string, QueryValue> = Record<string, QueryValue>> {
  /** The name notebooks use, in the guide's words. */
  name: string;
  /** Where the guide has it. */
  guideStep: string;
  /** What it answers, in one sentence. */
  description: string;
  /** The guide's own values: JFK, LAX, 2025-12-15, passenger 12345, flight 1001... */
  defaults: P;
  mysql: QueryText<P>;
  postgres: QueryText<P>;
}

/** A time as both engines compare it with DATETIME/timestamp columns: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function sqlTimestamp(time: Date): string {
  return time.toISOString().slice(0, 19).replace('T', ' ');
}

/** The lab clock's default ("now" in the guide's story). */
export const STORY_CLOCK = sqlTimestamp(new Date(DEFAULTS.LAB_CLOCK));

/** Declares a guide query (an identity function that lets TypeScript infer its parameters). */
export function guideQuery<P extends Record<string, QueryValue>>(query: GuideQuery<P>): GuideQuery<P> {
  return query;
}
