// The guide's SQL as the lab runs it: the MariaDB/MySQL text with bound parameters, and its PostgreSQL equivalent.

import { DEFAULTS } from '../config';

/** A value a query takes: text, a number, a list (expands to one placeholder per item) or a time. */
export type QueryValue = string | number | readonly string[] | Date;

/** One engine's text and which named parameter each placeholder binds, in order (`?` ... or `$1` ...). */
export interface QueryText<P> {
  sql: string;
  params: readonly (keyof P & string)[];
}

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
const STORY_CLOCK = sqlTimestamp(new Date(DEFAULTS.LAB_CLOCK));

function guideQuery<P extends Record<string, QueryValue>>(query: GuideQuery<P>): GuideQuery<P> {
  return query;
}

export const airportsByCountry = guideQuery({
  name: 'airportsByCountry',
  guideStep: 'Part 1, Step 3',
  description: 'The first ten airports (by name) with an IATA code in one country, given by its ISO 3166 alpha-3 code.',
  defaults: { isoA3: 'DEU' },
  mysql: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country,
    ag.iso_a3
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata IS NOT NULL
    AND ag.iso_a3 = ?
ORDER BY a.name
LIMIT 10 OFFSET 0`,
    params: ['isoA3'],
  },
  postgres: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country,
    ag.iso_a3
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata IS NOT NULL
    AND ag.iso_a3 = $1
ORDER BY a.name
LIMIT 10 OFFSET 0`,
    params: ['isoA3'],
  },
});

export const airportsByCity = guideQuery({
  name: 'airportsByCity',
  guideStep: 'Part 1, Step 3',
  description:
    "Airports with an IATA code whose city matches a LIKE pattern, in one country (the guide's New York City).",
  defaults: { isoA3: 'USA', cityPattern: '%New York%' },
  mysql: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country,
    ag.iso_a3
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata IS NOT NULL
    AND ag.iso_a3 = ?
    AND ag.city LIKE ?
ORDER BY a.name
LIMIT 10 OFFSET 0`,
    params: ['isoA3', 'cityPattern'],
  },
  postgres: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country,
    ag.iso_a3
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata IS NOT NULL
    AND ag.iso_a3 = $1
    AND ag.city LIKE $2
ORDER BY a.name
LIMIT 10 OFFSET 0`,
    params: ['isoA3', 'cityPattern'],
  },
});

export const airportsByCountryName = guideQuery({
  name: 'airportsByCountryName',
  guideStep: 'Part 1, Step 4',
  description:
    'The first ten airports of a country given by name: the query whose EXPLAIN shows a full scan of airport_geo.',
  defaults: { country: 'Germany' },
  mysql: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE ag.country = ?
ORDER BY a.name
LIMIT 10`,
    params: ['country'],
  },
  postgres: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE ag.country = $1
ORDER BY a.name
LIMIT 10`,
    params: ['country'],
  },
});

export const airportsInCountry = guideQuery({
  name: 'airportsInCountry',
  guideStep: 'Part 2, Step 9',
  description:
    'Every airport of a country given by name, in name order: the list cache-aside keeps under airport:country:<name> ' +
    '(the guide shows five), and the query whose plan shows the country filter reading all of airport_geo.',
  defaults: { country: 'Germany' },
  mysql: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE ag.country = ?
ORDER BY a.name`,
    params: ['country'],
  },
  postgres: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE ag.country = $1
ORDER BY a.name`,
    params: ['country'],
  },
});

export const airportByIata = guideQuery({
  name: 'airportByIata',
  guideStep: 'Part 1, Step 5',
  description: 'One airport and where it is, looked up by its IATA code through the index.',
  defaults: { iata: 'JFK' },
  mysql: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country,
    ag.latitude,
    ag.longitude,
    ag.altitude
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata = ?`,
    params: ['iata'],
  },
  postgres: {
    sql: `SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country,
    ag.latitude,
    ag.longitude,
    ag.altitude
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata = $1`,
    params: ['iata'],
  },
});

export const flightSearch = guideQuery({
  name: 'flightSearch',
  guideStep: 'Part 3, Step 11',
  description: 'Flights between two airports on one day, with airline, duration and how many seats are booked.',
  defaults: { from: 'JFK', to: 'LAX', date: '2025-12-15' },
  mysql: {
    sql: `SELECT
    f.flight_id,
    f.flightno,
    al.name AS airline_name,
    al.iata AS airline_code,
    dep_a.name AS departure_airport,
    dep_a.iata AS dep_iata,
    arr_a.name AS arrival_airport,
    arr_a.iata AS arr_iata,
    f.departure,
    f.arrival,
    TIMESTAMPDIFF(MINUTE, f.departure, f.arrival) AS duration_minutes,
    COUNT(b.booking_id) AS booked_seats,
    (SELECT COUNT(*) FROM booking WHERE flight_id = f.flight_id) AS total_bookings
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE dep_a.iata = ?
    AND arr_a.iata = ?
    AND DATE(f.departure) = ?
GROUP BY f.flight_id, f.flightno, al.name, al.iata, dep_a.name, dep_a.iata,
         arr_a.name, arr_a.iata, f.departure, f.arrival
ORDER BY f.departure`,
    params: ['from', 'to', 'date'],
  },
  postgres: {
    sql: `SELECT
    f.flight_id,
    f.flightno,
    al.name AS airline_name,
    al.iata AS airline_code,
    dep_a.name AS departure_airport,
    dep_a.iata AS dep_iata,
    arr_a.name AS arrival_airport,
    arr_a.iata AS arr_iata,
    f.departure,
    f.arrival,
    TRUNC(EXTRACT(EPOCH FROM (f.arrival - f.departure)) / 60)::integer AS duration_minutes,
    COUNT(b.booking_id) AS booked_seats,
    (SELECT COUNT(*) FROM booking WHERE flight_id = f.flight_id) AS total_bookings
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE dep_a.iata = $1
    AND arr_a.iata = $2
    AND CAST(f.departure AS date) = $3
GROUP BY f.flight_id, f.flightno, al.name, al.iata, dep_a.name, dep_a.iata,
         arr_a.name, arr_a.iata, f.departure, f.arrival
ORDER BY f.departure`,
    params: ['from', 'to', 'date'],
  },
});

export const flightSearchTiming = guideQuery({
  name: 'flightSearchTiming',
  guideStep: 'Part 3, Step 18',
  description: "The slimmed-down flight search the guide times as a cache miss: the day's flights on one route.",
  defaults: { from: 'JFK', to: 'LAX', date: '2025-12-15' },
  mysql: {
    sql: `SELECT f.flight_id, f.flightno, f.departure, f.arrival
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
WHERE dep_a.iata = ? AND arr_a.iata = ?
AND DATE(f.departure) = ?`,
    params: ['from', 'to', 'date'],
  },
  postgres: {
    sql: `SELECT f.flight_id, f.flightno, f.departure, f.arrival
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
WHERE dep_a.iata = $1 AND arr_a.iata = $2
AND CAST(f.departure AS date) = $3`,
    params: ['from', 'to', 'date'],
  },
});

export const roundTrip = guideQuery({
  name: 'roundTrip',
  guideStep: 'Part 3, Step 13',
  description:
    'Outbound flights on one day and return flights on another, as one list ordered by direction and departure.',
  defaults: { from: 'JFK', to: 'LAX', departDate: '2025-12-15', returnDate: '2025-12-22' },
  mysql: {
    sql: `SELECT
    'outbound' AS direction,
    f.flight_id,
    f.flightno,
    al.name AS airline_name,
    f.departure,
    f.arrival,
    TIMESTAMPDIFF(MINUTE, f.departure, f.arrival) AS duration_minutes
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE dep_a.iata = ?
    AND arr_a.iata = ?
    AND DATE(f.departure) = ?

UNION ALL

SELECT
    'return' AS direction,
    f.flight_id,
    f.flightno,
    al.name AS airline_name,
    f.departure,
    f.arrival,
    TIMESTAMPDIFF(MINUTE, f.departure, f.arrival) AS duration_minutes
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE dep_a.iata = ?
    AND arr_a.iata = ?
    AND DATE(f.departure) = ?
ORDER BY direction, departure`,
    params: ['from', 'to', 'departDate', 'to', 'from', 'returnDate'],
  },
  postgres: {
    sql: `SELECT
    'outbound' AS direction,
    f.flight_id,
    f.flightno,
    al.name AS airline_name,
    f.departure,
    f.arrival,
    TRUNC(EXTRACT(EPOCH FROM (f.arrival - f.departure)) / 60)::integer AS duration_minutes
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE dep_a.iata = $1
    AND arr_a.iata = $2
    AND CAST(f.departure AS date) = $3

UNION ALL

SELECT
    'return' AS direction,
    f.flight_id,
    f.flightno,
    al.name AS airline_name,
    f.departure,
    f.arrival,
    TRUNC(EXTRACT(EPOCH FROM (f.arrival - f.departure)) / 60)::integer AS duration_minutes
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE dep_a.iata = $2
    AND arr_a.iata = $1
    AND CAST(f.departure AS date) = $4
ORDER BY direction, departure`,
    params: ['from', 'to', 'departDate', 'returnDate'],
  },
});

export const userLastFlights = guideQuery({
  name: 'userLastFlights',
  guideStep: 'Part 3, Step 14',
  description:
    "A passenger's ten latest flights with airports, cities, seat, price and status (upcoming, in progress or completed at the lab clock's now).",
  defaults: { passengerId: 12345, now: STORY_CLOCK },
  mysql: {
    sql: `SELECT
    b.booking_id,
    f.flightno,
    al.name AS airline_name,
    al.iata AS airline_code,
    dep_a.name AS departure_airport,
    dep_a.iata AS dep_iata,
    dep_ag.city AS dep_city,
    dep_ag.country AS dep_country,
    arr_a.name AS arrival_airport,
    arr_a.iata AS arr_iata,
    arr_ag.city AS arr_city,
    arr_ag.country AS arr_country,
    f.departure,
    f.arrival,
    b.seat,
    b.price,
    CASE
        WHEN f.departure > ? THEN 'upcoming'
        WHEN f.arrival < ? THEN 'completed'
        ELSE 'in_progress'
    END AS flight_status
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport_geo dep_ag ON dep_a.airport_id = dep_ag.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airport_geo arr_ag ON arr_a.airport_id = arr_ag.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE b.passenger_id = ?
ORDER BY f.departure DESC
LIMIT 10`,
    params: ['now', 'now', 'passengerId'],
  },
  postgres: {
    sql: `SELECT
    b.booking_id,
    f.flightno,
    al.name AS airline_name,
    al.iata AS airline_code,
    dep_a.name AS departure_airport,
    dep_a.iata AS dep_iata,
    dep_ag.city AS dep_city,
    dep_ag.country AS dep_country,
    arr_a.name AS arrival_airport,
    arr_a.iata AS arr_iata,
    arr_ag.city AS arr_city,
    arr_ag.country AS arr_country,
    f.departure,
    f.arrival,
    b.seat,
    b.price,
    CASE
        WHEN f.departure > $1 THEN 'upcoming'
        WHEN f.arrival < $1 THEN 'completed'
        ELSE 'in_progress'
    END AS flight_status
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport_geo dep_ag ON dep_a.airport_id = dep_ag.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airport_geo arr_ag ON arr_a.airport_id = arr_ag.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE b.passenger_id = $2
ORDER BY f.departure DESC
LIMIT 10`,
    params: ['now', 'passengerId'],
  },
});

export const userLastFlightsTiming = guideQuery({
  name: 'userLastFlightsTiming',
  guideStep: 'Part 3, Step 18',
  description: "The slimmed-down flight history the guide times as a cache miss: a passenger's ten latest bookings.",
  defaults: { passengerId: 12345 },
  mysql: {
    sql: `SELECT b.booking_id, f.flightno, f.departure, f.arrival
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
WHERE b.passenger_id = ?
ORDER BY f.departure DESC LIMIT 10`,
    params: ['passengerId'],
  },
  postgres: {
    sql: `SELECT b.booking_id, f.flightno, f.departure, f.arrival
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
WHERE b.passenger_id = $1
ORDER BY f.departure DESC LIMIT 10`,
    params: ['passengerId'],
  },
});

export const seatAvailability = guideQuery({
  name: 'seatAvailability',
  guideStep: 'Part 3, Step 16',
  description:
    "A flight's booked and free seats and the booked seat numbers, assuming (as the guide does) a 150-seat airplane.",
  defaults: { flightId: 1001 },
  mysql: {
    sql: `SELECT
    f.flight_id,
    f.flightno,
    COUNT(b.booking_id) AS booked_seats,
    (150 - COUNT(b.booking_id)) AS available_seats,
    GROUP_CONCAT(b.seat ORDER BY b.seat) AS booked_seat_numbers
FROM flight f
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE f.flight_id = ?
GROUP BY f.flight_id, f.flightno`,
    params: ['flightId'],
  },
  postgres: {
    sql: `SELECT
    f.flight_id,
    f.flightno,
    COUNT(b.booking_id) AS booked_seats,
    (150 - COUNT(b.booking_id)) AS available_seats,
    string_agg(b.seat, ',' ORDER BY b.seat) AS booked_seat_numbers
FROM flight f
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE f.flight_id = $1
GROUP BY f.flight_id, f.flightno`,
    params: ['flightId'],
  },
});

export const hubRoutes = guideQuery({
  name: 'hubRoutes',
  guideStep: 'Part 4, Step 20',
  description: 'The twenty busiest routes out of the five major hubs, counted over the OpenFlights-style route table.',
  defaults: { hubs: ['ATL', 'ORD', 'JFK', 'LAX', 'DFW'] },
  mysql: {
    sql: `SELECT
    dep_a.name AS departure_airport,
    dep_a.iata AS dep_iata,
    arr_a.name AS arrival_airport,
    arr_a.iata AS arr_iata,
    COUNT(r.route_id) AS route_count
FROM route r
JOIN airport dep_a ON r.source_airport_id_openflights = dep_a.openflights_id
JOIN airport arr_a ON r.destination_airport_id_openflights = arr_a.openflights_id
WHERE dep_a.iata IN (?, ?, ?, ?, ?)
GROUP BY dep_a.airport_id, dep_a.name, dep_a.iata, arr_a.airport_id, arr_a.name, arr_a.iata
ORDER BY route_count DESC
LIMIT 20`,
    params: ['hubs'],
  },
  postgres: {
    sql: `SELECT
    dep_a.name AS departure_airport,
    dep_a.iata AS dep_iata,
    arr_a.name AS arrival_airport,
    arr_a.iata AS arr_iata,
    COUNT(r.route_id) AS route_count
FROM route r
JOIN airport dep_a ON r.source_airport_id_openflights = dep_a.openflights_id
JOIN airport arr_a ON r.destination_airport_id_openflights = arr_a.openflights_id
WHERE dep_a.iata IN ($1, $2, $3, $4, $5)
GROUP BY dep_a.airport_id, dep_a.name, dep_a.iata, arr_a.airport_id, arr_a.name, arr_a.iata
ORDER BY route_count DESC
LIMIT 20`,
    params: ['hubs'],
  },
});

export const countryProfile = guideQuery({
  name: 'countryProfile',
  guideStep: 'Part 5, Step 19',
  description:
    'The ten countries with the most airports and their average altitude (ties broken by country name, so both engines agree: India and Indonesia both have 125).',
  defaults: {},
  mysql: {
    sql: `SELECT
    ag.country,
    COUNT(*) AS airport_count,
    AVG(ag.altitude) AS avg_altitude
FROM airport_geo ag
WHERE ag.country IS NOT NULL
GROUP BY ag.country
ORDER BY airport_count DESC, ag.country
LIMIT 10`,
    params: [],
  },
  postgres: {
    // MariaDB/MySQL give AVG of an integer four decimals (div_precision_increment); PostgreSQL gives ~16.
    sql: `SELECT
    ag.country,
    COUNT(*) AS airport_count,
    ROUND(AVG(ag.altitude), 4) AS avg_altitude
FROM airport_geo ag
WHERE ag.country IS NOT NULL
GROUP BY ag.country
ORDER BY airport_count DESC, ag.country
LIMIT 10`,
    params: [],
  },
});

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
