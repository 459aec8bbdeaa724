// PostgreSQL (pg, pg-copy-streams): everything the lab needs of this engine, in one definition.

import type { EngineDefinition } from '../definition';
import { postgresDdl } from './postgres-ddl';
import { postgresDialect } from './postgres-dialect';
import { postgresLabTables } from './postgres-lab-tables';
import { postgresServerFigures } from './postgres-profile';
import { connectPostgres } from './postgres-engine';
import { postgresFacts } from './postgres-facts';
import { postgresNativeClient } from './postgres-native';
import { provisionPostgres } from './postgres-provision';

export const postgresEngine: EngineDefinition = {
  ...postgresFacts,
  connect: (target, urlVariable = postgresFacts.urlVariable) => connectPostgres(target, urlVariable),
  async provision(adminTarget, lab, databases) {
    const admin = await connectPostgres(adminTarget, postgresFacts.adminUrlVariable);
    try {
      await provisionPostgres(admin, lab, databases);
    } finally {
      await admin.close();
    }
  },
  dialect: postgresDialect,
  ddl: postgresDdl,
  nativeClient: postgresNativeClient,
  labTables: postgresLabTables,
  serverFigures: postgresServerFigures,
};

export { PostgresEngine } from './postgres-engine';
