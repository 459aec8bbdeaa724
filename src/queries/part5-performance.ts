// The guide's Part 5 (performance, Step 19): airports and mean altitude per country, the query it profiles.

import { guideQuery } from './guide-query';

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
