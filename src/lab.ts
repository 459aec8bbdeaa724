// One call that opens everything a notebook needs: the configuration, the active SQL engine and Valkey.

import { loadConfig, type EngineKind, type LabConfig } from './config';
import { connectSql, type SqlEngine, type SqlServerInfo } from './db';
import { connectValkey, valkeyServerInfo, type CacheServerInfo, type Valkey } from './valkey';

export interface Lab {
  config: LabConfig;
  /** The engine LAB_DB names, connected as the lab user. */
  sql: SqlEngine;
  /** Valkey with the lab's key prefix. */
  valkey: Valkey;
  /** Which database server answered, and its version. */
  sqlServer: SqlServerInfo;
  /** Which cache server answered (Valkey or Redis), and its version. */
  cacheServer: CacheServerInfo;
  /** Closes both connections (the end of a notebook). */
  close(): Promise<void>;
}

/**
 * Connects to the active engine (or `engine`) and to Valkey; any failure is one LabError saying what
 * to do. `config` defaults to the environment's.
 */
export async function openLab(options: { engine?: EngineKind; config?: LabConfig } = {}): Promise<Lab> {
  const config = options.config ?? loadConfig();
  const sql = await connectSql(config, options.engine ?? config.engine);
  let valkey: Valkey;
  try {
    valkey = await connectValkey(config);
  } catch (error) {
    await sql.close();
    throw error;
  }
  const [sqlServer, cacheServer] = await Promise.all([sql.serverInfo(), valkeyServerInfo(valkey)]);
  return {
    config,
    sql,
    valkey,
    sqlServer,
    cacheServer,
    async close() {
      valkey.disconnect();
      await sql.close();
    },
  };
}
