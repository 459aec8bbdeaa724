// The guide's Part 2 (Valkey basics and cache-aside, Step 9): the query the first cache sits in front of.

import { guideQuery } from './guide-query';

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
