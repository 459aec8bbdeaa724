// Sessions in Valkey: one HASH per session with an expiry that slides on every access, deleted at logout.

import { randomBytes } from 'node:crypto';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { LabError } from '../errors';
import { ENTRY_MAX_CHARS, isWrongType, wrongTypeProblem } from '../patterns/entries';

type Client = Redis | Cluster;

/** What a session may hold: plain profile and preference fields, never credentials. */
export type SessionFields = Record<string, string | number>;

/**
 * Field names a session must not carry. A session store is read by every request and often dumped for
 * debugging; a password or payment token there outlives the request that needed it.
 */
export const SECRET_FIELD = /pass(word)?|secret|token|credit|card|cvv|pin$|api[-_]?key/i;

export interface SessionRead {
  /** False when the session does not exist (never created, expired or logged out). */
  found: boolean;
  fields: Record<string, string>;
  /** Seconds left after this access (the expiry restarted), or -2 when not found. */
  ttlSeconds: number;
  /**
   * Why a key under this session's name was not a session (not a hash, or absurdly large): it was removed,
   * and the read is not found, as for any unknown session.
   */
  problem?: string;
}

export interface SessionStore {
  /** Starts a session for these fields; returns its new random id. */
  create(fields: SessionFields): Promise<string>;
  /** Reads a session and restarts its expiry (sliding expiry): an active user stays logged in. */
  read(id: string): Promise<SessionRead>;
  /** Deletes the session; returns whether there was one. */
  logout(id: string): Promise<boolean>;
  /** The session's key: `<prefix>:<id>`. */
  keyOf(id: string): string;
}

/**
 * A session id: 256 bits from the operating system's cryptographic random source, URL-safe. It must not
 * be derived from the user (an id, a name, a time): whoever can compute an id can use the session.
 */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionStoreOptions {
  /** Seconds a session lives after its last access. Default 1800 (the guide's 30 minutes). */
  ttlSeconds?: number;
  /** The keys' first part. Default `session`. */
  prefix?: string;
}

/** Sessions under `<prefix>:<id>` that expire `ttlSeconds` after their last access. */
export function createSessionStore(client: Client, options: SessionStoreOptions = {}): SessionStore {
  const ttlSeconds = options.ttlSeconds ?? 1800;
  const prefix = options.prefix ?? 'session';
  if (prefix === '' || /\s/.test(prefix)) {
    throw new LabError({ what: `The session key prefix "${prefix}" is empty or has a space`, fix: 'e.g. "session".' });
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new LabError({ what: `ttlSeconds must be a whole number > 0, got ${ttlSeconds}`, fix: 'e.g. 1800.' });
  }
  const keyOf = (id: string) => {
    if (!SESSION_ID.test(id)) {
      throw new LabError({ what: 'Not a session id this store issued', fix: 'Use an id from create().' });
    }
    return `${prefix}:${id}`;
  };
  return {
    keyOf,
    async create(fields) {
      const secret = Object.keys(fields).find((name) => SECRET_FIELD.test(name));
      if (secret) {
        throw new LabError({
          what: `A session must not hold "${secret}"`,
          fix: 'Keep credentials out of the session; store only who the user is and their preferences.',
        });
      }
      if (Object.keys(fields).length === 0) {
        throw new LabError({ what: 'A session needs at least one field', fix: 'e.g. { user_id: 123 }.' });
      }
      const id = newSessionId();
      // HSET and EXPIRE in one transaction: a session never exists without its expiry.
      await client.multi().hset(keyOf(id), fields).expire(keyOf(id), ttlSeconds).exec();
      return id;
    },
    async read(id) {
      const key = keyOf(id);
      const replies = await client.multi().hgetall(key).expire(key, ttlSeconds).ttl(key).exec();
      const [error, hash] = replies?.[0] ?? [null, {}];
      if (error && !isWrongType(error)) throw error;
      const fields = (hash ?? {}) as Record<string, string>;
      const size = Object.entries(fields).reduce((sum, [field, value]) => sum + field.length + value.length, 0);
      let problem: string | undefined;
      if (error) problem = wrongTypeProblem(error);
      else if (size > ENTRY_MAX_CHARS) problem = `the session is ${size} characters, over the ${ENTRY_MAX_CHARS} limit`;
      if (problem) {
        // Whatever it is, it is not a session this store wrote: no one may log in with it.
        await client.del(key);
        return { found: false, fields: {}, ttlSeconds: -2, problem };
      }
      const ttl = Number(replies?.[2]?.[1] ?? -2);
      return { found: Object.keys(fields).length > 0, fields, ttlSeconds: ttl };
    },
    async logout(id) {
      return (await client.del(keyOf(id))) === 1;
    },
  };
}
