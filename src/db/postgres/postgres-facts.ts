// PostgreSQL as the lab names it and finds it, before any driver is loaded.

import type { EngineFacts } from '../kinds';

export const postgresFacts: EngineFacts = {
  kind: 'postgres',
  label: 'PostgreSQL',
  urlSchemes: ['postgres:', 'postgresql:'],
  defaultPort: 5432,
  urlVariable: 'PG_URL',
  adminUrlVariable: 'PG_ADMIN_URL',
};
