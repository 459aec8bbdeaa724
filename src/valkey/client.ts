// The Valkey client factory: iovalkey with the lab's timeouts, retry policy and key prefix.

import Redis, { type RedisOptions } from 'iovalkey';
import { maskUrl, validateValkeyUrl, type LabConfig } from '../config';
import { LabError, errorCode, errorMessage } from '../errors';
import { cacheServerInfo, parseInfo, type CacheServerInfo, type Info } from './info';

export type { Redis as Valkey };

export interface ValkeyClientOptions {
  /** Prepended to every key a command names (iovalkey `keyPrefix`). Default: the config's LAB_KEY_PREFIX. */
  keyPrefix?: string;
  /** Give up connecting after this long. Default 2 s. */
  connectTimeoutMs?: number;
  /** A command that gets no answer in this long fails (so a cache never hangs a request). Default 2 s. */
  commandTimeoutMs?: number;
  /** Extra iovalkey options (e.g. `{ monitor: true }`), applied last. */
  extra?: RedisOptions;
}

/**
 * The retry policy: a command is tried once and fails fast while the server is away (so a
 * cache-aside read falls back to the database at once), while the connection keeps
 * reconnecting in the background, backing off to at most one attempt per second.
 */
export function labRedisOptions(options: ValkeyClientOptions = {}): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    keyPrefix: options.keyPrefix,
    connectionName: 'valkey-lab',
    ...options.extra,
  };
}

/** `host:port` of a Valkey URL, for messages. */
export function valkeyWhere(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

/** Connects to a Valkey URL and waits until it is ready; failures become one clear LabError. */
export async function connectValkeyUrl(url: string, options: ValkeyClientOptions = {}): Promise<Redis> {
  validateValkeyUrl(url);
  // iovalkey understands redis:// and rediss://; valkey:// and valkeys:// mean the same.
  const redisUrl = url.replace(/^valkey(s?):/, 'redis$1:');
  const client = new Redis(redisUrl, labRedisOptions(options));
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error; // kept for the message below; later errors surface on the commands that fail
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw valkeyConnectError(url, lastError ?? error);
  }
  return client;
}

/** Connects to the lab's Valkey (VALKEY_URL, or the one set-up manages), with the lab's key prefix. */
export async function connectValkey(config: LabConfig, options: ValkeyClientOptions = {}): Promise<Redis> {
  const url = config.valkey.url;
  if (!url) {
    throw new LabError({
      what: 'No Valkey is configured',
      fix: 'Run `npm run setup` (it starts a Valkey for the lab), or set VALKEY_URL to a running server.',
    });
  }
  return connectValkeyUrl(url, { keyPrefix: config.valkey.keyPrefix, ...options });
}

function valkeyConnectError(url: string, error: unknown): LabError {
  const code = errorCode(error) ?? errorMessage(error);
  const where = valkeyWhere(url);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(`${code} ${errorMessage(error)}`)) {
    return new LabError({
      what: `Valkey refused the credentials in ${maskUrl(url)} (${code})`,
      where,
      fix: 'Fix the user/password in VALKEY_URL.',
      cause: error,
    });
  }
  return new LabError({
    what: `Cannot reach Valkey (${code})`,
    where,
    fix: "Run `npm run setup` to start the lab's Valkey, or point VALKEY_URL at a running server.",
    cause: error,
  });
}

/** INFO (all sections, or one), parsed. */
export async function readInfo(client: Redis, section?: string): Promise<Info> {
  const text = section ? await client.info(section) : await client.info();
  return parseInfo(text);
}

/** Which server answered (Valkey or Redis), its version and mode. */
export async function valkeyServerInfo(client: Redis): Promise<CacheServerInfo> {
  const { host, port } = client.options;
  return cacheServerInfo(await readInfo(client, 'server'), `${host}:${port}`);
}
