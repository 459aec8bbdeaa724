// Part 4 of the guide, real-world scenarios: the airport traffic ranking a leaderboard keeps, computed by SQL.

import type { GuideQuery } from './guide-query';

type DayRange = { from: string; to: string };

/**
 * Movements (departures + arrivals) per airport between two times, highest first. Ties are broken by
 * IATA code, bytewise and descending: the order a sorted set's ZREVRANGE gives equal scores, so the two
 * rankings can be compared row for row.
 */
export const airportTrafficRanking: GuideQuery<DayRange> = {
  name: 'airportTrafficRanking',
  guideStep: 'Part 4 (real-world scenarios), Step 17',
  description:
    'Departures plus arrivals per airport (by IATA code) for flights departing in [from, to), busiest first.',
  defaults: { from: '2025-12-15 00:00:00', to: '2025-12-16 00:00:00' },
  mysql: {
    sql: `SELECT
    a.iata,
    COUNT(*) AS movements
FROM (
    SELECT from_airport AS airport_id FROM flight WHERE departure >= ? AND departure < ?
    UNION ALL
    SELECT to_airport AS airport_id FROM flight WHERE departure >= ? AND departure < ?
) m
JOIN airport a ON a.airport_id = m.airport_id
WHERE a.iata IS NOT NULL
GROUP BY a.iata
ORDER BY movements DESC, CAST(a.iata AS BINARY) DESC`,
    params: ['from', 'to', 'from', 'to'],
  },
  postgres: {
    sql: `SELECT
    a.iata,
    COUNT(*) AS movements
FROM (
    SELECT from_airport AS airport_id FROM flight WHERE departure >= $1 AND departure < $2
    UNION ALL
    SELECT to_airport AS airport_id FROM flight WHERE departure >= $1 AND departure < $2
) m
JOIN airport a ON a.airport_id = m.airport_id
WHERE a.iata IS NOT NULL
GROUP BY a.iata
ORDER BY movements DESC, a.iata COLLATE "C" DESC`,
    params: ['from', 'to'],
  },
};

/** The flights a leaderboard is fed from: each departure and arrival airport by IATA code, in departure order. */
export const flightMovements: GuideQuery<DayRange> = {
  name: 'flightMovements',
  guideStep: 'Part 4 (real-world scenarios), Step 17',
  description: 'Each flight departing in [from, to) with the IATA codes of its two airports, in departure order.',
  defaults: { from: '2025-12-15 00:00:00', to: '2025-12-16 00:00:00' },
  mysql: {
    sql: `SELECT
    f.flight_id,
    dep.iata AS from_iata,
    arr.iata AS to_iata
FROM flight f
JOIN airport dep ON dep.airport_id = f.from_airport
JOIN airport arr ON arr.airport_id = f.to_airport
WHERE f.departure >= ? AND f.departure < ?
ORDER BY f.departure, f.flight_id`,
    params: ['from', 'to'],
  },
  postgres: {
    sql: `SELECT
    f.flight_id,
    dep.iata AS from_iata,
    arr.iata AS to_iata
FROM flight f
JOIN airport dep ON dep.airport_id = f.from_airport
JOIN airport arr ON arr.airport_id = f.to_airport
WHERE f.departure >= $1 AND f.departure < $2
ORDER BY f.departure, f.flight_id`,
    params: ['from', 'to'],
  },
};
