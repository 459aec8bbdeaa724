// The lab user's password, one for every clone of the lab on this machine. The lab user is one account per
// database server, so two clones that each generated a password would take turns locking each other out; set-up
// keeps the password in the machine user's config folder (readable by that user only) and writes it into each
// clone's .env.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where set-up keeps the lab user's password for every clone of the lab: `$XDG_CONFIG_HOME` or `~/.config`. */
export function sharedPasswordFile(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME?.trim() || path.join(homedir(), '.config');
  return path.join(configHome, 'cache-me-if-you-can', 'lab-user-password');
}

export function readSharedPassword(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

export function writeSharedPassword(file: string, password: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
}

export interface LabUserPassword {
  password: string;
  /** Where it came from, for set-up's one line (the password itself is never shown). */
  source: 'environment' | 'shared' | '.env' | 'generated';
}

/**
 * The lab user's password for this clone: LAB_DB_PASSWORD from the environment when set (an explicit choice,
 * which every other clone then follows), else the one the clones on this machine share, else the one in this
 * clone's .env (a clone set up before passwords were shared), else a new random one. Whatever it is, it becomes
 * the shared one.
 */
export function resolveLabUserPassword(
  fromEnvironment: string | undefined,
  fromDotEnv: string | undefined,
  file: string,
): LabUserPassword {
  const shared = readSharedPassword(file);
  const chosen: LabUserPassword = fromEnvironment
    ? { password: fromEnvironment, source: 'environment' }
    : shared
      ? { password: shared, source: 'shared' }
      : fromDotEnv
        ? { password: fromDotEnv, source: '.env' }
        : { password: randomBytes(18).toString('base64url'), source: 'generated' };
  if (chosen.password !== shared) writeSharedPassword(file, chosen.password);
  return chosen;
}
