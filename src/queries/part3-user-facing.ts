// The guide's Part 3 (user-facing queries, Steps 11-18): flight search, round trip, a user's flights, seats.

import { STORY_CLOCK, guideQuery } from './guide-query';

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
