// The troubleshooting section's SQL: who is connected to the lab's database, and what each session is doing.

import type { GuideQuery } from './guide-query';

/**
 * The troubleshooting section's SHOW PROCESSLIST, as one query with the same columns on both engines:
 * the sessions on the lab's database, what each is doing and for how long.
 */
export const activeSessions: GuideQuery<Record<string, never>> = {
  name: 'activeSessions',
  guideStep: 'Troubleshooting, Performance Issues',
  description:
    "Sessions connected to the lab's database: state, seconds in that state, and the start of their statement.",
  defaults: {},
  mysql: {
    sql: `SELECT ID AS id, USER AS user_name, COMMAND AS command, TIME AS seconds, STATE AS state,
    LEFT(INFO, 80) AS query
FROM information_schema.PROCESSLIST
WHERE DB = DATABASE()
ORDER BY TIME DESC`,
    params: [],
  },
  postgres: {
    sql: `SELECT pid AS id, usename AS user_name, state AS command,
    COALESCE(EXTRACT(EPOCH FROM now() - state_change)::int, 0) AS seconds, wait_event AS state,
    LEFT(query, 80) AS query
FROM pg_stat_activity
WHERE datname = current_database()
ORDER BY seconds DESC`,
    params: [],
  },
};
