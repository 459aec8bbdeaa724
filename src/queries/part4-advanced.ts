// The guide's Part 4 (advanced patterns, Step 20): the BI query over hub routes.

import { guideQuery } from './guide-query';

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
