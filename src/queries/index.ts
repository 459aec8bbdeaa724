// The guide's queries for notebooks, one file per guide part: pick an engine's text, bind the guide's values (or yours), run it.

import type { QueryResult, Row, SqlEngine } from '../db/engine';
import { engineDefinition } from '../db/engines';
import type { EngineKind } from '../db/kinds';
import { LabError } from '../errors';
import type { GuideQuery, QueryValue } from './guide-query';
import { airportByIata, airportsByCity, airportsByCountry, airportsByCountryName } from './part1-fundamentals';
import { airportsInCountry } from './part2-valkey-basics';
import {
  flightSearch,
  flightSearchTiming,
  roundTrip,
  seatAvailability,
  userLastFlights,
  userLastFlightsTiming,
} from './part3-user-facing';
import { hubRoutes } from './part4-advanced';
import { countryProfile } from './part5-performance';

export { sqlTimestamp, type GuideQuery, type QueryText, type QueryValue } from './guide-query';
export { airportByIata, airportsByCity, airportsByCountry, airportsByCountryName } from './part1-fundamentals';
export { airportsInCountry } from './part2-valkey-basics';
export { airportTrafficRanking, flightMovements } from './part5-real-world';
export { activeSessions } from './troubleshooting';
export {
  airportRecord,
  applyWrittenBehind,
  dropPart4Tables,
  ensurePart4Tables,
  loadAirportRecord,
  openTransactionSession,
  renameAirport,
  routeSummary,
  writeBehindTally,
  type TransactionSession,
  type WriteBehindTally,
  type WrittenBehind,
} from './records-and-writes';
export {
  bookedSeatsOfFlight,
  bookingStore,
  dayWindow,
  flightCapacity,
  flightSearchByRange,
  LAB_BOOKING_ID_BASE,
  labBookingId,
  nextDates,
  PART3_QUERIES,
  popularRoutes,
  removeLabBookings,
  userTravelRows,
} from './searches-and-bookings';
export {
  flightSearch,
  flightSearchTiming,
  roundTrip,
  seatAvailability,
  userLastFlights,
  userLastFlightsTiming,
} from './part3-user-facing';
export { hubRoutes } from './part4-advanced';
export { countryProfile } from './part5-performance';

/** Every guide query, by name, in guide order. */
export const GUIDE_QUERIES = {
  airportsByCountry,
  airportsByCity,
  airportsByCountryName,
  airportsInCountry,
  airportByIata,
  flightSearch,
  roundTrip,
  userLastFlights,
  seatAvailability,
  flightSearchTiming,
  userLastFlightsTiming,
  hubRoutes,
  countryProfile,
} as const;

export type GuideQueryName = keyof typeof GUIDE_QUERIES;

/** The query's text for an engine: the guide's MariaDB/MySQL SQL, or its PostgreSQL equivalent. */
export function sqlFor<P extends Record<string, QueryValue>>(query: GuideQuery<P>, engine: EngineKind): string {
  return query[engine].sql;
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
  const text = query[engine];
  const merged = { ...query.defaults, ...values } as P;
  const params = text.params.flatMap((name) => {
    const value = merged[name];
    if (value === undefined) {
      throw new LabError({
        what: `${query.name} needs a value for "${name}"`,
        where: query.guideStep,
        fix: `Pass it, e.g. { ${name}: … }, or leave it out to use the guide's value.`,
      });
    }
    return bindable(value);
  });
  const expected = engineDefinition(engine).dialect.paramCount(text.sql);
  if (params.length !== expected) {
    throw new LabError({
      what: `${query.name} takes ${expected} parameter(s) on ${engineDefinition(engine).label}, got ${params.length}`,
      where: query.guideStep,
      fix: 'Check the list values: a list must have as many items as the query has placeholders for it.',
    });
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
