// The guide's Part 1 (database fundamentals, Steps 3-5): airports by country and city, the IATA lookup.

import { guideQuery } from './guide-query';

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
