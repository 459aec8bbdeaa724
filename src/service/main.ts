// The service as a process of its own (so a notebook can load it from another process, and kill its cache under it):
//
//   node --import tsx src/service/main.ts --port N [--engine mysql|postgres] [--cache on|off] [--timeout-ms N]
//        [--failures-to-open N --cool-down-ms N]
//
// The cache's URL comes from LAB_SERVICE_VALKEY_URL (an environment variable, so a password never shows in the
// process list). It prints one JSON line when it listens, one per cache error, and ends on SIGTERM.

import http from 'node:http';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectSql } from '../db';
import { LabError, errorMessage } from '../errors';
import { connectValkeyUrl, valkeyWhere, type Valkey } from '../valkey/client';
import { engineFlag, wholeNumberFlag } from '../flags';
import { createBreaker } from './breaker';
import { createServiceApp } from './app';

const USAGE =
  'Usage: node --import tsx src/service/main.ts --port N [--engine mysql|postgres] [--cache on|off] [--timeout-ms N] [--failures-to-open N --cool-down-ms N]';

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      engine: { type: 'string' },
      cache: { type: 'string', default: 'on' },
      'timeout-ms': { type: 'string' },
      'failures-to-open': { type: 'string' },
      'cool-down-ms': { type: 'string' },
    },
  });
  const config = loadConfig();
  const engine = engineFlag(values.engine, config.engine, USAGE);
  const port = wholeNumberFlag(values.port, 'port', USAGE);
  if (port === undefined) throw new LabError({ what: '--port is required', fix: USAGE });
  const timeoutMs = wholeNumberFlag(values['timeout-ms'], 'timeout-ms', USAGE) ?? 2_000;
  const failuresToOpen = wholeNumberFlag(values['failures-to-open'], 'failures-to-open', USAGE);
  const coolDownMs = wholeNumberFlag(values['cool-down-ms'], 'cool-down-ms', USAGE);
  const url = process.env.LAB_SERVICE_VALKEY_URL;
  const useCache = values.cache !== 'off';
  if (useCache && !url)
    throw new LabError({
      what: 'LAB_SERVICE_VALKEY_URL is not set',
      fix: 'Start the service with lab helpers (startService), or pass --cache off.',
    });

  const sql = await connectSql(config, engine);
  let valkey: Valkey | undefined;
  if (useCache && url) {
    // The command timeout is the one bound on every Valkey call; connecting gets the same bound.
    valkey = await connectValkeyUrl(url, {
      keyPrefix: config.valkey.keyPrefix,
      commandTimeoutMs: timeoutMs,
      connectTimeoutMs: timeoutMs,
    });
    valkey.on('error', () => undefined); // failures surface on the commands, which fall back to the database
  }
  const breaker =
    useCache && failuresToOpen !== undefined && coolDownMs !== undefined && failuresToOpen > 0
      ? createBreaker({ failuresToOpen, coolDownMs })
      : undefined;
  const cacheWhere = url ? valkeyWhere(url) : undefined;
  const app = createServiceApp({ sql, valkey, breaker, cacheWhere });
  const server = http.createServer(app.handler);
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  say({
    event: 'listening',
    port,
    engine,
    cache: useCache ? cacheWhere : 'off',
    timeoutMs,
    breaker: breaker ? { failuresToOpen, coolDownMs } : 'none',
  });

  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    valkey?.disconnect();
    void sql.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  say({ event: 'failed', problem: errorMessage(error) });
  process.exit(1);
});
