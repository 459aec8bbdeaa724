// A dataset plan: every table's row count known up front, and its rows as streams of text generated on demand.

import { bookingChunks, bookingParts, planBookings, type BookingContext } from './generate/bookings';
import { AIRPLANE_TYPES } from './generate/fleet';
import { buildFlights, type Flights } from './generate/flights';
import { buildRoutes, buildTimetable, reachableFrom, type Route, type Timetable } from './generate/network';
import { employeeChunks, passengerChunks, passengerDetailChunks, passengerIds } from './generate/people';
import { weatherChunks, weatherRows } from './generate/weather';
import { loadReference, type Reference } from './reference';
import { checkSeed, GENERATOR_VERSION, scaleDefinition, type ScaleDefinition } from './scales';
import { DATASET_TABLES, type TableName } from './schema';
import { NULL, TimestampFormatter, chunkLines, text, timeOfDay, type Chunk } from './tsv';

export interface TablePlan {
  table: TableName;
  rows: number;
  /**
   * The rows as up to `count` independent streams that together make the table (the bookings split, so
   * they can load over several connections at once; other tables come as one stream).
   */
  parts(count: number): Iterable<Chunk>[];
}

export interface DatasetPlan {
  scale: ScaleDefinition;
  seed: number;
  generatorVersion: string;
  tables: TablePlan[];
  rowCounts: Record<TableName, number>;
  /** What the generator built in memory (for tests and notebooks that want to look inside). */
  world: { reference: Reference; routes: Route[]; timetable: Timetable; flights: Flights };
}

/** A table generated as one stream, whatever the number of parts asked for. */
function whole(table: TableName, rows: number, chunks: () => Iterable<Chunk>): TablePlan {
  return { table, rows, parts: () => [chunks()] };
}

function rowsOf<T>(table: TableName, items: readonly T[], line: (item: T) => string): TablePlan {
  return whole(table, items.length, () => chunkLines(mapLines(items, line)));
}

function* mapLines<T>(items: readonly T[], line: (item: T) => string): Generator<string> {
  for (const item of items) yield line(item);
}

const flagText = (on: boolean) => (on ? '1' : '0');

/** Builds the plan for a scale and seed. Throws a LabError for an unknown scale or a bad seed. */
export function planDataset(scaleName: string, seed: number): DatasetPlan {
  const scale = scaleDefinition(scaleName);
  checkSeed(seed);
  const reference = loadReference();
  const routes = buildRoutes(reference, scale, seed);
  const timetable = buildTimetable(reference, routes, scale, seed);
  const flights = buildFlights(timetable.schedules, scale, seed);
  const airplanes = timetable.airplanes;
  const bookingContext: BookingContext = {
    flights,
    capacityOf: (id) => airplanes[id - 1]!.capacity,
    typeOf: (id) => airplanes[id - 1]!.typeId,
    passengers: scale.passengers,
    seed,
  };
  const bookings = planBookings(bookingContext);
  const reachable = [...reachableFrom(reference, routes).entries()].sort((a, b) => a[0] - b[0]);
  const time = new TimestampFormatter();

  const plans: Record<TableName, TablePlan> = {
    country: rowsOf(
      'country',
      reference.countries,
      (c) => `${c.countryId}\t${text(c.name)}\t${text(c.isoA2)}\t${text(c.isoA3)}\n`,
    ),
    airport: rowsOf(
      'airport',
      reference.airports,
      (a) => `${a.airportId}\t${text(a.iata)}\t${a.icao}\t${text(a.name)}\t${a.openflightsId}\n`,
    ),
    airport_geo: rowsOf(
      'airport_geo',
      reference.airports,
      (a) =>
        `${a.airportId}\t${text(a.name)}\t${text(a.city)}\t${text(a.country)}\t${text(a.isoA3)}\t${a.latitude.toFixed(8)}\t${a.longitude.toFixed(8)}\t${a.altitude}\n`,
    ),
    city: rowsOf('city', reference.cities, (c) => `${c.cityId}\t${text(c.name)}\t${c.countryId}\n`),
    city_airport_relation: rowsOf(
      'city_airport_relation',
      reference.cityAirports,
      (r) => `${r.cityId}\t${r.airportId}\t${flagText(r.isPrimary)}\n`,
    ),
    airline: rowsOf(
      'airline',
      reference.airlines,
      (a) => `${a.airlineId}\t${a.iata}\t${text(a.name)}\t${a.baseAirportId}\t${text(a.icao)}\t${a.openflightsId}\n`,
    ),
    airplane_type: rowsOf(
      'airplane_type',
      AIRPLANE_TYPES,
      (t) => `${t.typeId}\t${text(t.identifier)}\t${text(t.description)}\n`,
    ),
    airplane: rowsOf('airplane', airplanes, (a) => `${a.airplaneId}\t${a.capacity}\t${a.typeId}\t${a.airlineId}\n`),
    route: rowsOf(
      'route',
      routes,
      (r) =>
        `${r.routeId}\t${r.airline.iata}\t${r.airline.openflightsId}\t${r.source.iata}\t${r.source.openflightsId}\t` +
        `${r.destination.iata}\t${r.destination.openflightsId}\t${r.codeshare ? 'Y' : NULL}\t0\t${text(r.equipment)}\n`,
    ),
    airport_reachable: rowsOf('airport_reachable', reachable, ([airportId, hops]) => `${airportId}\t${hops}\n`),
    flightschedule: rowsOf('flightschedule', timetable.schedules, (s) => {
      const days = [0, 1, 2, 3, 4, 5, 6].map((d) => flagText((s.weekdays & (1 << d)) !== 0)).join('\t');
      return `${s.flightno}\t${s.from.airportId}\t${s.to.airportId}\t${timeOfDay(s.departureMinute)}\t${timeOfDay(s.departureMinute + s.durationMinutes)}\t${s.airline.airlineId}\t${days}\n`;
    }),
    flight: whole('flight', flights.count, () => chunkLines(flightLines(flights, time))),
    flight_log: rowsOf('flight_log', flights.log, (entry) => {
      const id = entry.flightId;
      const s = flights.schedules[flights.schedule[id - 1]!]!;
      const departure = flights.departure[id - 1]!;
      const arrival = flights.arrival[id - 1]!;
      const d = entry.delayMinutes;
      return (
        [
          time.format(entry.loggedAt),
          entry.changedBy,
          id,
          s.flightno,
          s.flightno,
          s.from.airportId,
          s.to.airportId,
          s.from.airportId,
          s.to.airportId,
          time.format(departure - d),
          time.format(arrival - d),
          time.format(departure),
          time.format(arrival),
          s.airplane.airplaneId,
          s.airplane.airplaneId,
          s.airline.airlineId,
          s.airline.airlineId,
          text(entry.comment),
        ].join('\t') + '\n'
      );
    }),
    passenger: whole('passenger', passengerIds(scale).length, () => passengerChunks(scale, seed)),
    passengerdetails: whole('passengerdetails', passengerIds(scale).length, () =>
      passengerDetailChunks(reference, scale, seed),
    ),
    booking: {
      table: 'booking',
      rows: bookings.total,
      parts: (count) => bookingParts(bookings, count).map((part) => bookingChunks(bookingContext, bookings, part)),
    },
    employee: whole('employee', scale.employees, () => employeeChunks(reference, scale, seed)),
    weatherdata: whole('weatherdata', weatherRows(reference, scale), () => weatherChunks(reference, scale, seed)),
  };

  const tables = DATASET_TABLES.map((t) => plans[t]);
  return {
    scale,
    seed,
    generatorVersion: GENERATOR_VERSION,
    tables,
    rowCounts: Object.fromEntries(tables.map((t) => [t.table, t.rows])) as Record<TableName, number>,
    world: { reference, routes, timetable, flights },
  };
}

function* flightLines(flights: Flights, time: TimestampFormatter): Generator<string> {
  for (let id = 1; id <= flights.count; id++) {
    const s = flights.schedules[flights.schedule[id - 1]!]!;
    yield `${id}\t${s.flightno}\t${s.from.airportId}\t${s.to.airportId}\t${time.format(flights.departure[id - 1]!)}\t${time.format(flights.arrival[id - 1]!)}\t${s.airline.airlineId}\t${s.airplane.airplaneId}\n`;
  }
}
