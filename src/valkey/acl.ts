// An ACL user for a service: its rule, set on a private server through the guard, and probes that show what the
// user may and may not do (a refused command answers NOPERM).

import type Redis from 'iovalkey';
import { errorMessage } from '../errors';
import { connectValkeyUrl } from './client';
import { adminCommand, privateCommand } from './server';

/**
 * The lab's rule for a service that caches under `prefix`: on, with a password, only keys under its prefix, no
 * Pub/Sub channels, and from nothing (`-@all`) only the commands cache-aside sends (GET, SET, DEL) and PING.
 */
export function serviceAclRule(prefix: string, password: string): string {
  return `on >${password} resetkeys ~${prefix}* resetchannels -@all +get +set +del +ping`;
}

/** Creates or replaces `user` with `rule` (ACL SETUSER's words) on a private server: through the admin guard. */
export async function setAclUser(admin: Redis, user: string, rule: string): Promise<void> {
  await adminCommand(admin, 'ACL', 'SETUSER', user, 'reset', ...rule.trim().split(/\s+/));
}

/** The rule of `user` as the server keeps it (ACL LIST's line for it, password hashes shown as the server shows them). */
export async function aclUserLine(admin: Redis, user: string): Promise<string | undefined> {
  const [lines] = (await adminCommand(admin, 'ACL', 'LIST')) as [string[]];
  return lines.find((line) => line.startsWith(`user ${user} `));
}

/**
 * Connects to a private server as `user` (no INFO ready check: the user may not run INFO). Rejects when the server
 * refuses the user or its password: the client would only report that as an event.
 */
export async function connectAsUser(url: string, user: string, password: string): Promise<Redis> {
  const client = await connectValkeyUrl(url, {
    keyPrefix: '',
    extra: { username: user, password, enableReadyCheck: false, connectionName: undefined },
  });
  try {
    await client.call('AUTH', user, password); // AUTH is open to every user: it answers WRONGPASS when refused
    return client;
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

/** One thing a user tries: what it is, whether the rule should allow it, and the command. */
export interface AclProbe {
  label: string;
  should: 'work' | 'be refused';
  run: (client: Redis) => Promise<unknown>;
}

/** A probe's outcome: the reply, or the error the server answered (NOPERM for a refusal). */
export interface AclProbeResult {
  label: string;
  should: AclProbe['should'];
  allowed: boolean;
  reply: string;
  /** True when what happened is what the probe expected. */
  asExpected: boolean;
}

/**
 * What a caching service must be able to do under `prefix`, and what it must not: wipe the server, read or change
 * its configuration, list every key, or touch another application's keys (`foreignPrefix`).
 */
export function serviceAclProbes(prefix: string, foreignPrefix = 'billing:'): AclProbe[] {
  const key = `${prefix}airport:JFK`;
  return [
    {
      label: `SET ${key} … EX 60`,
      should: 'work',
      run: (c) => privateCommand(c, 'SET', key, '{"iata":"JFK"}', 'EX', 60),
    },
    { label: `GET ${key}`, should: 'work', run: (c) => privateCommand(c, 'GET', key) },
    { label: `DEL ${key}`, should: 'work', run: (c) => privateCommand(c, 'DEL', key) },
    { label: 'PING', should: 'work', run: (c) => privateCommand(c, 'PING') },
    { label: 'FLUSHALL', should: 'be refused', run: (c) => privateCommand(c, 'FLUSHALL') },
    { label: 'CONFIG GET', should: 'be refused', run: (c) => privateCommand(c, 'CONFIG', 'GET', 'maxmemory') },
    { label: 'KEYS *', should: 'be refused', run: (c) => privateCommand(c, 'KEYS', '*') },
    {
      label: `GET ${foreignPrefix}invoice:1`,
      should: 'be refused',
      run: (c) => privateCommand(c, 'GET', `${foreignPrefix}invoice:1`),
    },
    {
      label: `SET ${foreignPrefix}invoice:1 …`,
      should: 'be refused',
      run: (c) => privateCommand(c, 'SET', `${foreignPrefix}invoice:1`, 'paid'),
    },
  ];
}

/** Runs each probe as the connected user, in order, and says what the server answered. */
export async function probeAcl(client: Redis, probes: readonly AclProbe[]): Promise<AclProbeResult[]> {
  const results: AclProbeResult[] = [];
  for (const probe of probes) {
    let allowed = true;
    let reply: string;
    try {
      const answer = await probe.run(client);
      reply = answer === null ? '(nil)' : Array.isArray(answer) ? `${answer.length} items` : String(answer);
    } catch (error) {
      allowed = false;
      reply = errorMessage(error);
    }
    results.push({
      label: probe.label,
      should: probe.should,
      allowed,
      reply,
      asExpected: allowed === (probe.should === 'work'),
    });
  }
  return results;
}

/** True when a reply is the server's ACL refusal. */
export function isNoPerm(reply: string): boolean {
  return reply.startsWith('NOPERM');
}

/** One entry of the server's ACL LOG: a refusal, who was refused, and what for. */
export interface AclLogEntry {
  /** `command`, `key`, `channel` or `auth`. */
  reason: string;
  /** The command or key that was refused. */
  object: string;
  username: string;
  /** How many times in a row (the server folds repeats into one entry). */
  count: number;
}

/** The newest `count` entries of a private server's ACL LOG (read through the admin guard). */
export async function aclLog(admin: Redis, count = 20): Promise<AclLogEntry[]> {
  const [entries] = (await adminCommand(admin, 'ACL', 'LOG', count)) as [unknown[][]];
  return entries.map((flat) => {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), flat[i + 1]);
    return {
      reason: String(fields.get('reason') ?? ''),
      object: String(fields.get('object') ?? ''),
      username: String(fields.get('username') ?? ''),
      count: Number(fields.get('count') ?? 1),
    };
  });
}
