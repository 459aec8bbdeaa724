// The FlughafenDB schema as the guide queries it: one definition, rendered as MariaDB/MySQL and PostgreSQL DDL.

import type { Column, ColumnType, ForeignKey, Index, TableDefinition as TableShape } from '../src/db/ddl';
import { engineDefinition } from '../src/db/engines';
import type { EngineKind } from '../src/db/kinds';
import { DATASET_TABLES, type TableName } from '../src/dataset-status';

export type { Column, ColumnType, ForeignKey, Index } from '../src/db/ddl';

/** A dataset table, described once (see src/db/ddl.ts); each engine renders it as its own DDL. */
export type TableDefinition = TableShape<TableName>;

export { DATASET_TABLES, type TableName } from '../src/dataset-status';

const smallint = { kind: 'smallint' } as const;
const int = { kind: 'int' } as const;
const flag = { kind: 'flag' } as const;
const date = { kind: 'date' } as const;
const time = { kind: 'time' } as const;
const datetime = { kind: 'datetime' } as const;
const char = (length: number) => ({ kind: 'char', length }) as const;
const varchar = (length: number) => ({ kind: 'varchar', length }) as const;
const decimal = (precision: number, scale: number) => ({ kind: 'decimal', precision, scale }) as const;

const col = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });
const idx = (name: string, ...columns: string[]): Index => ({ name, columns });
const unique = (name: string, ...columns: string[]): Index => ({ name, columns, unique: true });
const fk = (name: string, column: string, table: TableName, target: string): ForeignKey => ({
  name,
  columns: [column],
  references: { table, columns: [target] },
});

export const DEPARTMENTS = ['Marketing', 'Accounting', 'Management', 'Logistics', 'Airfield'] as const;
// prettier-ignore
export const WEATHER_KINDS = [
  'Fog-Snowfall', 'Snowfall', 'Rain', 'Rain-Snowfall', 'Fog-Rain', 'Fog-Rain-Thunderstorm', 'Thunderstorm', 'Fog',
  'Rain-Thunderstorm',
] as const;

export const SCHEMA: Record<TableName, TableDefinition> = {
  country: {
    name: 'country',
    about: 'Countries that have airports, with their ISO 3166 codes.',
    columns: [
      col('country_id', smallint),
      col('name', varchar(64)),
      col('iso_a2', char(2), true),
      col('iso_a3', char(3), true),
    ],
    primaryKey: ['country_id'],
    indexes: [unique('country_name_unq', 'name'), idx('country_iso_a3_idx', 'iso_a3')],
    foreignKeys: [],
  },
  airport: {
    name: 'airport',
    about: 'OpenFlights airports: codes and names.',
    columns: [
      col('airport_id', smallint),
      col('iata', char(3), true),
      col('icao', char(4)),
      col('name', varchar(100)),
      col('openflights_id', int),
    ],
    primaryKey: ['airport_id'],
    indexes: [
      unique('airport_icao_unq', 'icao'),
      idx('airport_iata_idx', 'iata'),
      idx('airport_name_idx', 'name'),
      unique('airport_openflights_unq', 'openflights_id'),
    ],
    foreignKeys: [],
  },
  airport_geo: {
    name: 'airport_geo',
    about:
      'Where each airport is. Deliberately no index on country or iso_a3: the guide shows the full scan, then adds one.',
    columns: [
      col('airport_id', smallint),
      col('name', varchar(100)),
      col('city', varchar(50), true),
      col('country', varchar(50), true),
      col('iso_a3', char(3), true),
      col('latitude', decimal(11, 8)),
      col('longitude', decimal(11, 8)),
      col('altitude', int),
    ],
    primaryKey: ['airport_id'],
    indexes: [],
    foreignKeys: [fk('airport_geo_airport_fk', 'airport_id', 'airport', 'airport_id')],
  },
  city: {
    name: 'city',
    about: 'Cities that have at least one airport.',
    columns: [col('city_id', int), col('name', varchar(50)), col('country_id', smallint)],
    primaryKey: ['city_id'],
    indexes: [idx('city_name_idx', 'name'), idx('city_country_idx', 'country_id')],
    foreignKeys: [fk('city_country_fk', 'country_id', 'country', 'country_id')],
  },
  city_airport_relation: {
    name: 'city_airport_relation',
    about: 'Which airports serve which city; the busiest one is the primary airport.',
    columns: [col('city_id', int), col('airport_id', smallint), col('is_primary_airport', flag)],
    primaryKey: ['city_id', 'airport_id'],
    indexes: [idx('city_airport_airport_idx', 'airport_id')],
    foreignKeys: [
      fk('city_airport_city_fk', 'city_id', 'city', 'city_id'),
      fk('city_airport_airport_fk', 'airport_id', 'airport', 'airport_id'),
    ],
  },
  airline: {
    name: 'airline',
    about: 'Active OpenFlights airlines with an IATA code, and their home airport.',
    columns: [
      col('airline_id', smallint),
      col('iata', char(2)),
      col('name', varchar(100)),
      col('base_airport', smallint),
      col('icao', char(3), true),
      col('openflights_id', int),
    ],
    primaryKey: ['airline_id'],
    indexes: [
      unique('airline_iata_unq', 'iata'),
      idx('airline_base_airport_idx', 'base_airport'),
      unique('airline_openflights_unq', 'openflights_id'),
    ],
    foreignKeys: [fk('airline_base_airport_fk', 'base_airport', 'airport', 'airport_id')],
  },
  airplane_type: {
    name: 'airplane_type',
    about: 'Aircraft models.',
    columns: [col('type_id', int), col('identifier', varchar(50)), col('description', { kind: 'text' }, true)],
    primaryKey: ['type_id'],
    indexes: [idx('airplane_type_identifier_idx', 'identifier')],
    foreignKeys: [],
  },
  airplane: {
    name: 'airplane',
    about: "The airlines' fleets: one row per aircraft, with its seat count.",
    columns: [
      col('airplane_id', int),
      col('capacity', { kind: 'mediumint-unsigned' }),
      col('type_id', int),
      col('airline_id', smallint),
    ],
    primaryKey: ['airplane_id'],
    indexes: [idx('airplane_type_idx', 'type_id'), idx('airplane_airline_idx', 'airline_id')],
    foreignKeys: [
      fk('airplane_type_fk', 'type_id', 'airplane_type', 'type_id'),
      fk('airplane_airline_fk', 'airline_id', 'airline', 'airline_id'),
    ],
  },
  route: {
    name: 'route',
    about:
      'Airline routes in the OpenFlights layout, keyed by OpenFlights ids (no index on the airports: the hub query scans).',
    columns: [
      col('route_id', int),
      col('airline_iata', char(2)),
      col('airline_id_openflights', int),
      col('source_airport_iata', char(3)),
      col('source_airport_id_openflights', int),
      col('destination_airport_iata', char(3)),
      col('destination_airport_id_openflights', int),
      col('codeshare', char(1), true),
      col('stops', smallint),
      col('equipment', varchar(40), true),
    ],
    primaryKey: ['route_id'],
    indexes: [idx('route_airline_idx', 'airline_id_openflights')],
    foreignKeys: [],
  },
  airport_reachable: {
    name: 'airport_reachable',
    about: 'Airports reachable from JFK over the route network, with the fewest hops.',
    columns: [col('airport_id', smallint), col('hops', int, true)],
    primaryKey: ['airport_id'],
    indexes: [],
    foreignKeys: [fk('airport_reachable_airport_fk', 'airport_id', 'airport', 'airport_id')],
  },
  flightschedule: {
    name: 'flightschedule',
    about: 'Timetable: each flight number flies at the same UTC times on the weekdays marked 1.',
    columns: [
      col('flightno', char(8)),
      col('from_airport', smallint),
      col('to_airport', smallint),
      col('departure', time),
      col('arrival', time),
      col('airline_id', smallint),
      col('monday', flag),
      col('tuesday', flag),
      col('wednesday', flag),
      col('thursday', flag),
      col('friday', flag),
      col('saturday', flag),
      col('sunday', flag),
    ],
    primaryKey: ['flightno'],
    indexes: [
      idx('flightschedule_from_idx', 'from_airport'),
      idx('flightschedule_to_idx', 'to_airport'),
      idx('flightschedule_airline_idx', 'airline_id'),
    ],
    foreignKeys: [
      fk('flightschedule_from_fk', 'from_airport', 'airport', 'airport_id'),
      fk('flightschedule_to_fk', 'to_airport', 'airport', 'airport_id'),
      fk('flightschedule_airline_fk', 'airline_id', 'airline', 'airline_id'),
    ],
  },
  flight: {
    name: 'flight',
    about: 'One row per flown (or planned) flight; times are UTC.',
    columns: [
      col('flight_id', int),
      col('flightno', char(8)),
      col('from_airport', smallint),
      col('to_airport', smallint),
      col('departure', datetime),
      col('arrival', datetime),
      col('airline_id', smallint),
      col('airplane_id', int),
    ],
    primaryKey: ['flight_id'],
    indexes: [
      idx('flight_from_idx', 'from_airport'),
      idx('flight_to_idx', 'to_airport'),
      idx('flight_departure_idx', 'departure'),
      idx('flight_arrival_idx', 'arrival'),
      idx('flight_airline_idx', 'airline_id'),
      idx('flight_airplane_idx', 'airplane_id'),
    ],
    foreignKeys: [
      fk('flight_from_fk', 'from_airport', 'airport', 'airport_id'),
      fk('flight_to_fk', 'to_airport', 'airport', 'airport_id'),
      fk('flight_airline_fk', 'airline_id', 'airline', 'airline_id'),
      fk('flight_airplane_fk', 'airplane_id', 'airplane', 'airplane_id'),
    ],
  },
  flight_log: {
    name: 'flight_log',
    about: 'Changes to flights (delays, aircraft swaps): the old and the new values.',
    columns: [
      col('log_date', datetime),
      // FlughafenDB calls this column `user`, a reserved word in PostgreSQL; renamed so both engines read it alike.
      col('changed_by', varchar(100)),
      col('flight_id', int),
      col('flightno_old', char(8)),
      col('flightno_new', char(8)),
      col('from_old', smallint),
      col('to_old', smallint),
      col('from_new', smallint),
      col('to_new', smallint),
      col('departure_old', datetime),
      col('arrival_old', datetime),
      col('departure_new', datetime),
      col('arrival_new', datetime),
      col('airplane_id_old', int),
      col('airplane_id_new', int),
      col('airline_id_old', smallint),
      col('airline_id_new', smallint),
      col('comment', varchar(200), true),
    ],
    indexes: [idx('flight_log_flight_idx', 'flight_id')],
    foreignKeys: [],
  },
  passenger: {
    name: 'passenger',
    about: 'Passengers: passport number and name.',
    columns: [
      col('passenger_id', int),
      col('passportno', char(9)),
      col('firstname', varchar(100)),
      col('lastname', varchar(100)),
    ],
    primaryKey: ['passenger_id'],
    indexes: [unique('passenger_passportno_unq', 'passportno')],
    foreignKeys: [],
  },
  passengerdetails: {
    name: 'passengerdetails',
    about: "Passengers' personal details.",
    columns: [
      col('passenger_id', int),
      col('birthdate', date),
      col('sex', char(1), true),
      col('street', varchar(100)),
      col('city', varchar(100)),
      col('zip', smallint),
      col('country', varchar(100)),
      col('emailaddress', varchar(120), true),
      col('telephoneno', varchar(30), true),
    ],
    primaryKey: ['passenger_id'],
    indexes: [],
    foreignKeys: [fk('passengerdetails_passenger_fk', 'passenger_id', 'passenger', 'passenger_id')],
  },
  booking: {
    name: 'booking',
    about: 'Bookings: one seat on one flight for one passenger, at a price.',
    columns: [
      col('booking_id', int),
      col('flight_id', int),
      col('seat', char(4), true),
      col('passenger_id', int),
      col('price', decimal(10, 2)),
    ],
    primaryKey: ['booking_id'],
    // FlughafenDB also has a plain index on flight_id; the unique key starts with flight_id and serves the
    // same lookups, so it is left out (at full scale it would add a third 55M-entry index).
    indexes: [unique('booking_flight_seat_unq', 'flight_id', 'seat'), idx('booking_passenger_idx', 'passenger_id')],
    foreignKeys: [
      fk('booking_flight_fk', 'flight_id', 'flight', 'flight_id'),
      fk('booking_passenger_fk', 'passenger_id', 'passenger', 'passenger_id'),
    ],
  },
  employee: {
    name: 'employee',
    about: "The airport's staff.",
    columns: [
      col('employee_id', int),
      col('firstname', varchar(100)),
      col('lastname', varchar(100)),
      col('birthdate', date),
      col('sex', char(1), true),
      col('street', varchar(100)),
      col('city', varchar(100)),
      col('zip', smallint),
      col('country', varchar(100)),
      col('emailaddress', varchar(120), true),
      col('telephoneno', varchar(30), true),
      col('salary', decimal(8, 2), true),
      col('department', { kind: 'enum', values: DEPARTMENTS }, true),
      col('username', varchar(20), true),
      col('password', char(32), true),
    ],
    primaryKey: ['employee_id'],
    indexes: [unique('employee_username_unq', 'username')],
    foreignKeys: [],
  },
  weatherdata: {
    name: 'weatherdata',
    about: 'Weather readings; `station` is the airport_id of the airport the station stands at.',
    columns: [
      col('log_date', date),
      col('time', time),
      col('station', int),
      col('temp', decimal(3, 1)),
      col('humidity', decimal(4, 1)),
      col('airpressure', decimal(10, 2)),
      col('wind', decimal(5, 2)),
      col('weather', { kind: 'enum', values: WEATHER_KINDS }, true),
      col('winddirection', smallint),
    ],
    primaryKey: ['log_date', 'time', 'station'],
    indexes: [],
    foreignKeys: [],
  },
};

/** Column names of a table, in the order the generator writes them. */
export function columnNames(table: TableName): string[] {
  return SCHEMA[table].columns.map((c) => c.name);
}

/** Every index name in the schema; they are unique across tables (PostgreSQL requires it, and it reads better). */
export function allIndexNames(): string[] {
  return DATASET_TABLES.flatMap((t) => SCHEMA[t].indexes.map((i) => i.name));
}

/**
 * CREATE TABLE without secondary indexes or foreign keys (those come after the load). Text sorts and
 * compares by code point on both engines, so ORDER BY and GROUP BY give the same rows everywhere.
 */
export function createTableSql(kind: EngineKind, table: TableName): string {
  return engineDefinition(kind).ddl.createTable(SCHEMA[table]);
}

/** The statements that build a table's keys and indexes after its rows are in (a primary key first). */
export function indexSql(kind: EngineKind, table: TableName): string[] {
  const { primaryKey, indexes } = engineDefinition(kind).ddl.keys(SCHEMA[table]);
  return primaryKey ? [primaryKey, ...indexes] : indexes;
}

/** The statements that add a table's foreign keys (existing rows are not re-checked; see src/db/ddl.ts). */
export function foreignKeySql(kind: EngineKind, table: TableName): string[] {
  return engineDefinition(kind).ddl.foreignKeys(SCHEMA[table]);
}

/** DROP TABLE for every dataset table at once (so foreign keys between them do not get in the way). */
export function dropTablesSql(kind: EngineKind, tables: readonly string[]): string {
  return engineDefinition(kind).ddl.dropTables(tables);
}
