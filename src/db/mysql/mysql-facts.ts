// MariaDB/MySQL as the lab names it and finds it, before any driver is loaded.

import type { EngineFacts } from '../kinds';

export const mysqlFacts: EngineFacts = {
  kind: 'mysql',
  label: 'MariaDB/MySQL',
  urlSchemes: ['mysql:', 'mariadb:'],
  defaultPort: 3306,
  urlVariable: 'MYSQL_URL',
  adminUrlVariable: 'MYSQL_ADMIN_URL',
};
