// The guide's SQL statements exactly as a learner pastes them into `mariadb` or `psql`, for the dataset tests:
// each must still find rows in the lab's data, and answer like the library's stored text of the same query.

import type { GuideQuery } from '../../src/queries';
import {
  airportByIata,
  airportsByCity,
  airportsByCountry,
  airportsInCountry,
  countryProfile,
  flightSearch,
  flightSearchTiming,
  hubRoutes,
  roundTrip,
  seatAvailability,
  userLastFlights,
  userLastFlightsTiming,
} from '../../src/queries';

export interface GuideStatement {
  /** Where the guide has it. */
  step: string;
  /** The statement as the guide prints it, comments and trailing spaces included. */
  sql: string;
  /** Why PostgreSQL refuses it as written; absent when it runs on both engines. */
  mysqlOnly?: string;
  /** The stored query it must answer like, with the guide's values. */
  answers?: GuideQuery<any>; // each query has parameters of its own
  /** Compare only the stored query's first rows (the guide asks for fewer). */
  first?: number;
  /** Compare only these columns. */
  columns?: readonly string[];
  /** The statement aggregates the stored query's rows into one JSON array. */
  jsonArray?: boolean;
}

export const GUIDE_STATEMENTS: readonly GuideStatement[] = [
  {
    step: 'Part 1, Step 2',
    sql: `SHOW TABLES;  -- MySQL/MariaDB`,
    mysqlOnly: 'SHOW TABLES is MariaDB/MySQL syntax (psql: \\dt)',
  },
  {
    step: 'Part 1, Step 2',
    sql: `DESCRIBE airport;     -- MySQL/MariaDB`,
    mysqlOnly: 'PostgreSQL has no DESCRIBE (psql: \\d airport)',
  },
  {
    step: 'Part 1, Step 3',
    sql: `-- Find first 10 airports by name (alphabetically) in Germany (Deutschland)
SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country, 
    ag.iso_a3
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata IS NOT null 
    AND ag.iso_a3 = 'DEU'
ORDER BY a.name
LIMIT 10 OFFSET 0;`,
    answers: airportsByCountry,
  },
  {
    step: 'Part 1, Step 3',
    sql: `-- Find all airports in New York City
SELECT
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country, 
    ag.iso_a3
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE a.iata IS NOT null 
    AND ag.iso_a3 = 'USA' 
    AND ag.city LIKE "%New York%"
ORDER BY a.name
LIMIT 10 OFFSET 0;`,
    answers: airportsByCity,
    mysqlOnly: 'a string in double quotes, which PostgreSQL reads as a column name',
  },
  {
    step: 'Part 1, Step 4',
    sql: `-- Analyze the query execution plan
EXPLAIN SELECT 
    a.name,
    a.iata,
    a.icao,
    ag.city,
    ag.country
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE ag.country = 'Germany'
ORDER BY a.name
LIMIT 10;`,
  },
  {
    step: 'Part 1, Step 5',
    sql: `-- Find airport details by IATA code
SELECT 
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
WHERE a.iata = 'JFK';`,
    answers: airportByIata,
  },
  {
    step: 'Part 1, Step 5',
    sql: `EXPLAIN SELECT 
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
WHERE a.iata = 'JFK';`,
  },
  {
    step: 'Part 2, Step 9',
    sql: `-- Back in your database CLI
SELECT 
    a.name,
    a.iata,
    a.icao,
    ag.city
FROM airport a
JOIN airport_geo ag ON a.airport_id = ag.airport_id
WHERE ag.country = 'Germany'
ORDER BY a.name
LIMIT 5;`,
    answers: airportsInCountry,
    first: 5,
  },
  {
    step: 'Part 2, Step 10',
    sql: `-- Time the database query
SELECT BENCHMARK(1, (
    SELECT COUNT(*) 
    FROM airport a
    JOIN airport_geo ag ON a.airport_id = ag.airport_id
    WHERE ag.country = 'Germany'
));`,
    mysqlOnly: 'BENCHMARK() is a MariaDB/MySQL function',
  },
  {
    step: 'Part 3, Step 11',
    sql: `-- Find available flights for a route and date (expensive query)
SELECT 
    f.flight_id,
    f.flightno,
    al.name as airline_name,
    al.iata as airline_code,
    dep_a.name as departure_airport,
    dep_a.iata as dep_iata,
    arr_a.name as arrival_airport,
    arr_a.iata as arr_iata,
    f.departure,
    f.arrival,
    TIMESTAMPDIFF(MINUTE, f.departure, f.arrival) as duration_minutes,
    COUNT(b.booking_id) as booked_seats,
    (SELECT COUNT(*) FROM booking WHERE flight_id = f.flight_id) as total_bookings
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE dep_a.iata = 'JFK' 
    AND arr_a.iata = 'LAX'
    AND DATE(f.departure) = '2025-12-15'
GROUP BY f.flight_id, f.flightno, al.name, al.iata, dep_a.name, dep_a.iata, 
         arr_a.name, arr_a.iata, f.departure, f.arrival
ORDER BY f.departure;`,
    answers: flightSearch,
    mysqlOnly: 'PostgreSQL has no TIMESTAMPDIFF',
  },
  {
    step: 'Part 3, Step 11',
    sql: `EXPLAIN SELECT 
    f.flight_id,
    f.flightno,
    al.name as airline_name,
    dep_a.iata as dep_iata,
    arr_a.iata as arr_iata,
    f.departure,
    f.arrival,
    COUNT(b.booking_id) as booked_seats
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE dep_a.iata = 'JFK' 
    AND arr_a.iata = 'LAX'
    AND DATE(f.departure) = '2025-12-15'
GROUP BY f.flight_id
ORDER BY f.departure;`,
    mysqlOnly: 'GROUP BY f.flight_id alone: PostgreSQL wants al.name grouped too',
  },
  {
    step: 'Part 3, Step 13',
    sql: `-- Round-trip flight search (even more expensive)
-- Outbound flights
SELECT 
    'outbound' as direction,
    f.flight_id,
    f.flightno,
    al.name as airline_name,
    f.departure,
    f.arrival,
    TIMESTAMPDIFF(MINUTE, f.departure, f.arrival) as duration_minutes
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE dep_a.iata = 'JFK' 
    AND arr_a.iata = 'LAX'
    AND DATE(f.departure) = '2025-12-15'

UNION ALL

-- Return flights
SELECT 
    'return' as direction,
    f.flight_id,
    f.flightno,
    al.name as airline_name,
    f.departure,
    f.arrival,
    TIMESTAMPDIFF(MINUTE, f.departure, f.arrival) as duration_minutes
FROM flight f
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE dep_a.iata = 'LAX' 
    AND arr_a.iata = 'JFK'
    AND DATE(f.departure) = '2025-12-22'
ORDER BY direction, departure;`,
    answers: roundTrip,
    mysqlOnly: 'PostgreSQL has no TIMESTAMPDIFF',
  },
  {
    step: 'Part 3, Step 14',
    sql: `-- Get user's last 10 flights with full details (expensive query)
SELECT 
    b.booking_id,
    f.flightno,
    al.name as airline_name,
    al.iata as airline_code,
    dep_a.name as departure_airport,
    dep_a.iata as dep_iata,
    dep_ag.city as dep_city,
    dep_ag.country as dep_country,
    arr_a.name as arrival_airport,
    arr_a.iata as arr_iata,
    arr_ag.city as arr_city,
    arr_ag.country as arr_country,
    f.departure,
    f.arrival,
    b.seat,
    b.price,
    CASE 
        WHEN f.departure > NOW() THEN 'upcoming'
        WHEN f.arrival < NOW() THEN 'completed'
        ELSE 'in_progress'
    END as flight_status
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport_geo dep_ag ON dep_a.airport_id = dep_ag.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airport_geo arr_ag ON arr_a.airport_id = arr_ag.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE b.passenger_id = 12345  -- User's passenger ID
ORDER BY f.departure DESC
LIMIT 10;`,
    answers: userLastFlights,
    // NOW() is the real clock, the stored text takes the lab's: the status column may differ.
    columns: ['booking_id', 'flightno', 'departure', 'arrival', 'seat', 'price'],
  },
  {
    step: 'Part 3, Step 14',
    sql: `EXPLAIN SELECT 
    b.booking_id,
    f.flightno,
    al.name as airline_name,
    dep_a.name as departure_airport,
    arr_a.name as arrival_airport,
    f.departure,
    f.arrival,
    b.seat,
    b.price
FROM booking b
JOIN flight f ON b.flight_id = f.flight_id
JOIN airport dep_a ON f.from_airport = dep_a.airport_id
JOIN airport arr_a ON f.to_airport = arr_a.airport_id
JOIN airline al ON f.airline_id = al.airline_id
WHERE b.passenger_id = 12345
ORDER BY f.departure DESC
LIMIT 10;`,
  },
  {
    step: 'Part 3, Step 16',
    sql: `-- Check seat availability for a specific flight (frequent query)
SELECT 
    f.flight_id,
    f.flightno,
    COUNT(b.booking_id) as booked_seats,
    (150 - COUNT(b.booking_id)) as available_seats,  -- Assuming 150 seat aircraft
    GROUP_CONCAT(b.seat ORDER BY b.seat) as booked_seat_numbers
FROM flight f
LEFT JOIN booking b ON f.flight_id = b.flight_id
WHERE f.flight_id = 1001
GROUP BY f.flight_id, f.flightno;`,
    answers: seatAvailability,
    mysqlOnly: 'GROUP_CONCAT is MariaDB/MySQL (PostgreSQL: string_agg)',
  },
  {
    step: 'Part 3, Step 18',
    sql: `SELECT f.flight_id, f.flightno, f.departure, f.arrival 
FROM flight f 
JOIN airport dep_a ON f.from_airport = dep_a.airport_id 
JOIN airport arr_a ON f.to_airport = arr_a.airport_id 
WHERE dep_a.iata = 'JFK' AND arr_a.iata = 'LAX' 
AND DATE(f.departure) = '2025-12-15';`,
    answers: flightSearchTiming,
  },
  {
    step: 'Part 3, Step 18',
    sql: `SELECT b.booking_id, f.flightno, f.departure, f.arrival 
FROM booking b 
JOIN flight f ON b.flight_id = f.flight_id 
WHERE b.passenger_id = 12345 
ORDER BY f.departure DESC LIMIT 10;`,
    answers: userLastFlightsTiming,
  },
  {
    step: 'Part 3, Step 19',
    sql: `SELECT JSON_ARRAYAGG(JSON_OBJECT("flight_id", f.flight_id, "flightno", f.flightno, "departure", f.departure, "arrival", f.arrival)) FROM flight f JOIN airport dep_a ON f.from_airport = dep_a.airport_id JOIN airport arr_a ON f.to_airport = arr_a.airport_id WHERE dep_a.iata = "JFK" AND arr_a.iata = "LAX" AND DATE(f.departure) = "2025-12-15";`,
    answers: flightSearchTiming,
    jsonArray: true,
    mysqlOnly: 'JSON_ARRAYAGG and JSON_OBJECT (PostgreSQL 15: json_agg, json_build_object), strings in double quotes',
  },
  {
    step: 'Part 4, Step 20',
    sql: `-- Find all routes from major hub airports (expensive query)
SELECT 
    dep_a.name as departure_airport,
    dep_a.iata as dep_iata,
    arr_a.name as arrival_airport,
    arr_a.iata as arr_iata,
    COUNT(r.route_id) as route_count
FROM route r
JOIN airport dep_a ON r.source_airport_id_openflights = dep_a.openflights_id
JOIN airport arr_a ON r.destination_airport_id_openflights = arr_a.openflights_id
WHERE dep_a.iata IN ('ATL', 'ORD', 'JFK', 'LAX', 'DFW')
GROUP BY dep_a.airport_id, dep_a.name, dep_a.iata, arr_a.airport_id, arr_a.name, arr_a.iata
ORDER BY route_count DESC
LIMIT 20;`,
    answers: hubRoutes,
  },
  {
    step: 'Part 4, Step 20',
    sql: `EXPLAIN SELECT 
    dep_a.name as departure_airport,
    dep_a.iata as dep_iata,
    arr_a.name as arrival_airport,
    arr_a.iata as arr_iata,
    COUNT(r.route_id) as route_count
FROM route r
JOIN airport dep_a ON r.source_airport_id_openflights = dep_a.openflights_id
JOIN airport arr_a ON r.destination_airport_id_openflights = arr_a.openflights_id
WHERE dep_a.iata IN ('ATL', 'ORD', 'JFK', 'LAX', 'DFW')
GROUP BY dep_a.airport_id, dep_a.name, dep_a.iata, arr_a.airport_id, arr_a.name, arr_a.iata
ORDER BY route_count DESC
LIMIT 20;`,
  },
  {
    step: 'Part 5, Step 19',
    sql: `SELECT 
    ag.country,
    COUNT(*) as airport_count,
    AVG(ag.altitude) as avg_altitude
FROM airport_geo ag
WHERE ag.country IS NOT NULL
GROUP BY ag.country
ORDER BY airport_count DESC
LIMIT 10;`,
    answers: countryProfile,
    // Two countries tie for tenth place and the guide's ORDER BY leaves the pick to the engine.
    columns: ['airport_count'],
  },
  {
    step: 'Troubleshooting',
    sql: `SHOW INDEX FROM airport;`,
    mysqlOnly: 'SHOW INDEX is MariaDB/MySQL (PostgreSQL: pg_indexes)',
  },
  {
    step: 'Troubleshooting',
    sql: `SHOW INDEX FROM airport_geo;`,
    mysqlOnly: 'SHOW INDEX is MariaDB/MySQL (PostgreSQL: pg_indexes)',
  },
  {
    step: 'Troubleshooting',
    sql: `SHOW PROCESSLIST;`,
    mysqlOnly: 'SHOW PROCESSLIST is MariaDB/MySQL (PostgreSQL: pg_stat_activity)',
  },
];
