// MariaDB and MySQL (one adapter, mysql2): everything the lab needs of this engine, in one definition.

import type { EngineDefinition } from '../definition';
import { mysqlDdl } from './mysql-ddl';
import { mysqlDialect } from './mysql-dialect';
import { mysqlLabTables } from './mysql-lab-tables';
import { mysqlServerFigures } from './mysql-profile';
import { connectMysql } from './mysql-engine';
import { mysqlFacts } from './mysql-facts';
import { mysqlNativeClient } from './mysql-native';
import { provisionMysql } from './mysql-provision';

export const mysqlEngine: EngineDefinition = {
  ...mysqlFacts,
  connect: (target, urlVariable = mysqlFacts.urlVariable) => connectMysql(target, urlVariable),
  async provision(adminTarget, lab, databases) {
    const admin = await connectMysql(adminTarget, mysqlFacts.adminUrlVariable);
    try {
      await provisionMysql(admin, lab, databases);
    } finally {
      await admin.close();
    }
  },
  dialect: mysqlDialect,
  ddl: mysqlDdl,
  nativeClient: mysqlNativeClient,
  labTables: mysqlLabTables,
  serverFigures: mysqlServerFigures,
};

export { MysqlEngine } from './mysql-engine';
