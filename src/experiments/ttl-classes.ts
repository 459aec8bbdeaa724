// TTLs by volatility: the keys a notebook left in Valkey, grouped by what they hold, with the TTL each class
// is meant to have beside what the keys really have left.

import { inspectKey, listLabKeys } from '../valkey/keys';
import type { ValkeyClient } from '../valkey/client';

/** A class of keys: which keys (by name), how often their data changes, and the longest TTL they may have. */
export interface VolatilityClass {
  kind: string;
  match: RegExp;
  volatility: string;
  /** Seconds; null when the class lives as long as what depends on it (dependency sets). */
  maxTtlSeconds: number | null;
}

export interface VolatilityReport {
  rows: Array<Record<string, string | number>>;
  /** Keys that matched no class. */
  unclassified: string[];
  /** Keys with no TTL, or one longer than their class allows. */
  tooLong: string[];
}

const hours = (seconds: number) => (seconds / 3600).toFixed(2);

/** Every lab key matching `pattern`, grouped by class, with its TTL left, types and bytes. */
export async function volatilityReport(
  valkey: ValkeyClient,
  pattern: string,
  classes: readonly VolatilityClass[],
): Promise<VolatilityReport> {
  const keys = await Promise.all((await listLabKeys(valkey, pattern)).map((key) => inspectKey(valkey, key)));
  const classOf = (key: string) => classes.find((c) => c.match.test(key));
  const rows = classes.flatMap((c) => {
    const found = keys.filter((k) => classOf(k.key) === c);
    if (found.length === 0) return [];
    const left = found.map((k) => k.ttlSeconds);
    return [
      {
        keys: c.kind,
        count: found.length,
        volatility: c.volatility,
        'longest TTL (h)': c.maxTtlSeconds === null ? 'as its dependents' : hours(c.maxTtlSeconds),
        'TTL left (h)': `${hours(Math.min(...left))}–${hours(Math.max(...left))}`,
        types: [...new Set(found.map((k) => `${k.type}/${k.encoding}`))].join(', '),
        bytes: found.reduce((sum, k) => sum + (k.bytes ?? 0), 0),
      },
    ];
  });
  const unclassified = keys.filter((k) => !classOf(k.key)).map((k) => k.key);
  const tooLong = keys
    .filter((k) => {
      const limit = classOf(k.key)?.maxTtlSeconds;
      return k.ttlSeconds < 0 || (limit !== null && limit !== undefined && k.ttlSeconds > limit);
    })
    .map((k) => k.key);
  return { rows, unclassified, tooLong };
}
