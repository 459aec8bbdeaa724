// Codecs compared on real cached values: bytes in Valkey, encode and decode time, and the whole hit, in the same
// interleaved rounds so a busy moment of the machine weighs on every codec alike.

import { LabError } from '../errors';
import { benchInterleaved } from '../measure/compare';
import { createCacheAside } from '../patterns/cache-aside';
import { CODECS, type Codec } from '../patterns/codecs';
import type { CodecFigures } from '../show/performance-charts';
import type { ValkeyClient } from '../valkey/client';
import { storedKey } from '../valkey/keys';

/** One codec's figures for one value, with the bytes Valkey reports for its key. */
export interface CodecRow extends CodecFigures {
  /** MEMORY USAGE of the key: the value's bytes plus the key and the server's overhead. */
  valkeyBytes: number;
}

/**
 * For each value and codec: stores the value through the lab's cache-aside with that codec (a miss, then a hit
 * that must give back the same rows), then times the hit, the encoding and the decoding `iterations` times each,
 * the codecs taking turns. Keys go under `namespace` on `valkey`, expire after 300 s, and are deleted at the end.
 */
export async function compareCodecs(
  valkey: ValkeyClient,
  values: ReadonlyArray<{ name: string; rows: unknown[] }>,
  options: { namespace: string; iterations?: number; warmup?: number; codecs?: readonly Codec[] },
): Promise<CodecRow[]> {
  const timing = { iterations: options.iterations ?? 300, warmup: options.warmup ?? 30 };
  const codecs = options.codecs ?? CODECS;
  const rows: CodecRow[] = [];
  const keys: string[] = [];
  try {
    for (const value of values) {
      const load = async () => value.rows;
      const entries = [];
      for (const codec of codecs) {
        const key = `${options.namespace}:codec:${codec.name}:${value.name.replace(/\W+/g, '-')}`;
        keys.push(key);
        const cacheAside = createCacheAside(valkey, { codec });
        await valkey.del(key);
        const [first, last] = [await cacheAside(key, 300, load), await cacheAside(key, 300, load)];
        if (
          first.outcome !== 'miss' ||
          last.outcome !== 'hit' ||
          JSON.stringify(last.value) !== JSON.stringify(value.rows)
        ) {
          throw new LabError({
            what: `${codec.name} did not store and give back ${value.name} (${first.outcome}, ${last.outcome})`,
          });
        }
        entries.push({ codec, key, cacheAside, bytes: codec.encode(value.rows) });
      }
      const hits = await benchInterleaved(
        entries.map((e) => ({ name: e.codec.name, fn: () => e.cacheAside(e.key, 300, load) })),
        timing,
      );
      const encodes = await benchInterleaved(
        entries.map((e) => ({ name: e.codec.name, fn: () => e.codec.encode(value.rows) })),
        timing,
      );
      const decodes = await benchInterleaved(
        entries.map((e) => ({ name: e.codec.name, fn: () => e.codec.decode(e.bytes) })),
        timing,
      );
      for (const [i, e] of entries.entries()) {
        rows.push({
          codec: e.codec.name,
          value: value.name,
          bytes: e.bytes.length,
          valkeyBytes: Number(await valkey.call('MEMORY', 'USAGE', storedKey(valkey, e.key))),
          encodeMs: encodes[i]!.p50,
          decodeMs: decodes[i]!.p50,
          hitP50Ms: hits[i]!.p50,
        });
      }
    }
  } finally {
    if (keys.length > 0) await Promise.all(keys.map((key) => valkey.del(key)));
  }
  return rows;
}

/** Codec rows as a table: the sizes, the p50s, and how much of the hit decoding takes. */
export function codecTable(rows: readonly CodecRow[]): Array<Record<string, unknown>> {
  return rows.map((r) => ({
    value: r.value,
    codec: r.codec,
    'value bytes': r.bytes,
    'MEMORY USAGE': r.valkeyBytes,
    'encode p50 ms': r.encodeMs,
    'decode p50 ms': r.decodeMs,
    'whole hit p50 ms': r.hitP50Ms,
    'decode share of hit': `${Math.round((100 * r.decodeMs) / r.hitP50Ms)}%`,
  }));
}
