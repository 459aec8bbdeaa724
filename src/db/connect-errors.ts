// Turns a driver's connection failure into one line: what failed, where, and how to fix it.

import type { DbTarget } from '../config';
import { engineLabel } from './kinds';
import { LabError, errorCode, errorMessage } from '../errors';

const REFUSED_CREDENTIALS = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', '28P01', '28000']);
const MISSING_DATABASE = new Set(['ER_BAD_DB_ERROR', '3D000']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/** `urlVariable` names the setting the learner would change (MYSQL_URL, PG_URL, MYSQL_ADMIN_URL...). */
export function connectError(target: DbTarget, urlVariable: string, error: unknown): LabError {
  const server = engineLabel(target.kind);
  const code = errorCode(error) ?? 'unknown error';
  const where = `${target.host}:${target.port}/${target.database}`;
  if (UNREACHABLE.has(code) || /timeout/i.test(errorMessage(error))) {
    return new LabError({
      what: `Cannot reach ${server} (${code})`,
      where: `${target.host}:${target.port}`,
      fix: `Start the server, or point ${urlVariable} at a running one.`,
      cause: error,
    });
  }
  if (REFUSED_CREDENTIALS.has(code)) {
    return new LabError({
      what: `${server} refused user "${target.user}" (${code}: wrong password or no such user)`,
      where,
      fix: `Run \`npm run setup\`: it creates the lab user, or gives this clone the password every clone of the lab on this machine shares. Or fix the user and password in ${urlVariable} / LAB_DB_PASSWORD.`,
      cause: error,
    });
  }
  if (MISSING_DATABASE.has(code)) {
    return new LabError({
      what: `${server} has no database "${target.database}" (${code})`,
      where: `${target.host}:${target.port}`,
      fix: `Run \`npm run setup\` to create it, or fix the database name in ${urlVariable}.`,
      cause: error,
    });
  }
  return new LabError({
    what: `Cannot connect to ${server} as "${target.user}" (${code}: ${errorMessage(error)})`,
    where,
    fix: `Check ${urlVariable} and that the server accepts connections.`,
    cause: error,
  });
}

const LOST =
  /Connection terminated|connection lost|closed state|PROTOCOL_CONNECTION_LOST|server closed the connection/i;

/**
 * A failure of a query on an open pool: when the server went away (or now refuses the lab user), one
 * LabError naming server, host, port and database; any other error (bad SQL...) is returned unchanged.
 */
export function queryConnectionError(target: DbTarget, error: unknown): unknown {
  const code = errorCode(error) ?? '';
  const server = engineLabel(target.kind);
  if (REFUSED_CREDENTIALS.has(code)) {
    return new LabError({
      what: `${server} refused user "${target.user}" in the middle of the work (${code}: wrong password or no such user)`,
      where: target.where,
      fix: 'Run `npm run setup` to reset the lab user, then run the cell again.',
      cause: error,
    });
  }
  if (UNREACHABLE.has(code) || code === 'PROTOCOL_CONNECTION_LOST' || LOST.test(errorMessage(error))) {
    return new LabError({
      what: `Lost ${server} while running a query (${code || errorMessage(error)})`,
      where: target.where,
      fix: 'Check that the server is running (then run the cell again; the pool reconnects by itself).',
      cause: error,
    });
  }
  return error;
}
